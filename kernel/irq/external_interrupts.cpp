#include <irq/external_interrupts.hpp>

namespace tessera {

void ExternalInterruptRouter::route_pending(CpuHardwareId cpu) {
    for (u32 claims = 0; claims < kMaxClaimsPerEntry; ++claims) {
        auto claimed = controller_->claim(cpu);
        if (!claimed) {
            ++counts_.controller_errors;
            return;
        }
        if (!claimed.value().has_value()) {
            if (claims == 0) ++counts_.empty_claims;
            return;
        }
        route_line(cpu, *claimed.value());
    }
}

void ExternalInterruptRouter::route_line(CpuHardwareId cpu, u32 line) {
    ++counts_.lines_claimed;
    // A line the virtual numbering cannot name is handled by nobody; it is still masked and
    // completed, so the controller does not stall on it.
    bool handled =
        line <= VirtualIrq::kMaxWiredLine && dispatcher_->dispatch(VirtualIrq::wired_line(static_cast<u16>(line)));
    if (!handled) {
        ++counts_.lines_unhandled;
        if (!controller_->mask(line)) ++counts_.controller_errors;
    }
    if (!controller_->complete(cpu, line)) ++counts_.controller_errors;
}

} // namespace tessera
