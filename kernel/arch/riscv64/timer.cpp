// The supervisor timer: the time CSR counts at the timebase frequency; the deadline goes
// to stimecmp where the CPU has Sstc, otherwise through the SBI TIME call.
#include <arch/csr.hpp>
#include <arch/interface.hpp>
#include <arch/sbi.hpp>
#include <console/panic.hpp>
#include <cpu/cpu.hpp>
#include <platform/platform_info.hpp>

namespace arch {

namespace {

bool use_sstc = false;

} // namespace

void init_timer(const tessera::PlatformInfo& platform, bool force_firmware_timer) {
    const tessera::HartInfo* hart = platform.find_hart(tessera::this_cpu().hardware_id);
    // Sstc needs the firmware to have opened stimecmp to S-mode (menvcfg.STCE); OpenSBI does
    // so exactly when it finds the extension, which is also when the tree lists it.
    use_sstc = hart != nullptr && hart->has_sstc && !force_firmware_timer;
    if (!use_sstc) {
        sbi::Ret ret = sbi::set_timer(~u64{0});
        if (ret.error != sbi::Error::Success) tessera::panic("SBI set_timer failed: {}", sbi::error_name(ret.error));
    } else {
        write_csr<Csr::stimecmp>(~u64{0});
    }
    set_csr_bits<Csr::sie>(sie::STIE);
}

u64 read_timer() { return read_csr<Csr::time>(); }

void set_timer_deadline(u64 deadline) {
    if (use_sstc)
        write_csr<Csr::stimecmp>(deadline);
    else
        sbi::set_timer(deadline);
}

kstd::StringView timer_mechanism() { return use_sstc ? "sstc (stimecmp)" : "sbi (TIME extension)"; }

} // namespace arch
