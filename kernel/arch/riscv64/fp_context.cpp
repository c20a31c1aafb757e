// Floating point for user threads. Each thread's sstatus.FS says whether it touched its FP
// registers since they were last saved (Dirty); the CPU remembers whose registers the
// hardware holds, so a thread that runs again on the same CPU loads nothing.
#include <arch/csr.hpp>
#include <arch/fp_context.hpp>
#include <arch/trap_frame.hpp>
#include <cpu/cpu.hpp>

extern "C" {
void riscv_fp_save(arch::FpContext* context);
void riscv_fp_load(const arch::FpContext* context);
}

namespace arch {

namespace {

u64 with_fs(u64 status, u64 fs) { return (status & ~sstatus::FS_MASK) | fs; }

} // namespace

void save_user_fp(TrapFrame& frame, FpContext& context) {
    if ((frame.sstatus & sstatus::FS_MASK) != sstatus::FS_DIRTY) return;
    riscv_fp_save(&context);
    frame.sstatus = with_fs(frame.sstatus, sstatus::FS_CLEAN);
    tessera::this_cpu().arch.fp_owner = reinterpret_cast<u64>(&context);
}

void load_user_fp(TrapFrame& frame, FpContext& context) {
    CpuLocal& cpu = tessera::this_cpu().arch;
    if (cpu.fp_owner != reinterpret_cast<u64>(&context)) {
        // The unit must be on to load it; sret then installs the thread's own FS.
        set_csr_bits<Csr::sstatus>(sstatus::FS_CLEAN);
        riscv_fp_load(&context);
        cpu.fp_owner = reinterpret_cast<u64>(&context);
    }
    frame.sstatus = with_fs(frame.sstatus, sstatus::FS_CLEAN);
}

void forget_user_fp(const FpContext& context) {
    CpuLocal& cpu = tessera::this_cpu().arch;
    if (cpu.fp_owner == reinterpret_cast<u64>(&context)) cpu.fp_owner = 0;
}

} // namespace arch
