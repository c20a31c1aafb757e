// Secondary harts: found in the device tree, left stopped in the firmware (SBI HSM) until
// the SMP issue starts them.
#include <arch/interface.hpp>
#include <arch/sbi.hpp>
#include <console/console.hpp>
#include <cpu/cpu.hpp>
#include <platform/platform_info.hpp>

namespace arch {

namespace {

const char* hart_state_name(i64 state) {
    switch (static_cast<sbi::HartState>(state)) {
    case sbi::HartState::Started: return "started";
    case sbi::HartState::Stopped: return "stopped";
    case sbi::HartState::StartPending: return "start pending";
    case sbi::HartState::StopPending: return "stop pending";
    case sbi::HartState::Suspended: return "suspended";
    case sbi::HartState::SuspendPending: return "suspend pending";
    case sbi::HartState::ResumePending: return "resume pending";
    }
    return "unknown";
}

} // namespace

void report_secondary_cpus(const tessera::PlatformInfo& platform, const tessera::Cpu& boot_cpu) {
    bool has_hsm = sbi::probe_extension(sbi::kExtensionHsm);
    usize parked = 0;
    for (const tessera::HartInfo& hart : platform.harts) {
        if (hart.hart_id == boot_cpu.hardware_id) continue;
        ++parked;
        if (!has_hsm) continue;
        sbi::Ret status = sbi::hart_get_status(hart.hart_id);
        if (status.error != sbi::Error::Success)
            tessera::kprintln("hart {}: status unknown ({})", hart.hart_id, sbi::error_name(status.error));
        else
            tessera::kprintln("hart {}: {} in firmware", hart.hart_id, hart_state_name(status.value));
    }
    tessera::kprintln("secondary harts parked: {} (per-CPU records for up to {} CPUs)", parked, TESSERA_MAX_CPUS);
}

} // namespace arch
