#pragma once
// The kernel's handler of the interrupt controller's interrupt (riscv64: the supervisor
// external interrupt). For each line the controller has pending for this CPU:
//
//   claim -> dispatch VirtualIrq::wired_line(line) -> mask it if nobody handled it -> complete
//
// Handlers of a line register with the IrqDispatcher under the line's virtual number, with
// a priority and flags like every kernel handler. A handler that hands the interrupt to a
// driver (irq/irq_handlers.hpp) masks the line itself and returns Handled; the line is then
// completed at once and stays masked until the driver acks. A line nobody handles is
// masked too, so a device nobody drives cannot hold the CPU in an interrupt storm.
#include <irq/controller.hpp>
#include <irq/dispatcher.hpp>

namespace tessera {

struct ExternalInterruptCounts {
    u64 lines_claimed = 0;
    u64 lines_unhandled = 0;   // spurious: claimed, handled by nobody, and masked
    u64 empty_claims = 0;      // the controller interrupted, then had nothing to claim
    u64 controller_errors = 0; // a claim, mask or completion the controller refused
};

class ExternalInterruptRouter {
public:
    // One entry claims at most this many lines; any still pending interrupt again at once,
    // which gives the rest of the kernel (the timer) a turn in between.
    static constexpr u32 kMaxClaimsPerEntry = 16;

    ExternalInterruptRouter(InterruptController& controller, IrqDispatcher& dispatcher)
        : controller_(&controller), dispatcher_(&dispatcher) {}

    // Claims and routes what is pending for `cpu`, which must be the CPU running this.
    void route_pending(CpuHardwareId cpu);

    InterruptController& controller() const { return *controller_; }
    const ExternalInterruptCounts& counts() const { return counts_; }

private:
    void route_line(CpuHardwareId cpu, u32 line);

    InterruptController* controller_;
    IrqDispatcher* dispatcher_;
    ExternalInterruptCounts counts_;
};

} // namespace tessera
