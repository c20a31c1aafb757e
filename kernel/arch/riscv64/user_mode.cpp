// User threads on riscv64: entering user mode, the trap from it, address-space switches,
// and the idle loop.
#include <arch/address_space.hpp>
#include <arch/csr.hpp>
#include <arch/interface.hpp>
#include <arch/kernel_space.hpp>
#include <arch/trap.hpp>
#include <arch/vspace_platform.hpp>
#include <console/panic.hpp>
#include <cpu/cpu.hpp>
#include <irq/dispatcher.hpp>
#include <sched/kernel_entry.hpp>

#include "vspace/vspace_internal.hpp"

extern "C" {
[[noreturn]] void riscv_user_trap(arch::TrapFrame* frame);
[[noreturn]] void riscv_return_to_user(arch::TrapFrame* frame);
[[noreturn]] void riscv_idle_loop(u64 stack_top);
}

namespace arch {

namespace {

constexpr u64 kCauseEcallFromUser = 8;
constexpr u64 kRootEntries = 512;
constexpr u64 kFirstKernelEntry = 256; // the upper half starts at entry 256 of the root

} // namespace

void init_user_context(TrapFrame& frame, u64 entry, u64 stack, u64 argument) {
    frame = TrapFrame{};
    frame.sepc = entry;
    frame.x[2] = stack;
    frame.x[10] = argument;
    // User mode (SPP clear), interrupts on after sret (SPIE), floating point usable with
    // all registers zero (Initial).
    frame.sstatus = sstatus::SPIE | sstatus::FS_INITIAL;
}

namespace {

// Whether satp keeps all 16 ASID bits (ASIDLEN, found by writing ones and reading back). A
// hart with fewer would alias ASIDs that differ in the missing bits, so it gets a full
// flush on every switch instead.
bool asids_are_usable() {
    static int usable = -1;
    if (usable < 0) {
        constexpr u64 asid_field = u64{0xffff} << 44;
        u64 saved = read_csr<Csr::satp>();
        write_csr<Csr::satp>(saved | asid_field);
        usable = (read_csr<Csr::satp>() & asid_field) == asid_field ? 1 : 0;
        write_csr<Csr::satp>(saved);
        asm volatile("sfence.vma" ::: "memory");
    }
    return usable == 1;
}

} // namespace

void activate_address_space(const tessera::Capability* vspace_root) {
    u64 root = kernel_root_table();
    u64 asid = vspace::kKernelAsid;
    if (vspace_root != nullptr && is_valid_vspace_root(*vspace_root)) {
        root = vspace::physical_of(vspace_root->address());
        asid = vspace_root->page_table_asid();
    }
    u64 satp = SATP_MODE_SV39 | (asid << 44) | (root >> 12);
    if (read_csr<Csr::satp>() == satp) return;
    write_csr<Csr::satp>(satp);
    // Translations are tagged by ASID, and an ASID is flushed whenever it changes hands
    // (AsidPool.Assign, the root's or the pool's deletion), so a switch flushes nothing.
    if (!asids_are_usable()) asm volatile("sfence.vma" ::: "memory");
}

void copy_kernel_mappings(void* root_table) {
    auto* kernel = static_cast<const sv39::Pte*>(physical_to_virtual(tessera::PhysAddr{kernel_root_table()}));
    auto* table = static_cast<sv39::Pte*>(root_table);
    for (u64 i = kFirstKernelEntry; i < kRootEntries; ++i) table[i] = kernel[i];
}

void return_to_user(TrapFrame& frame, FpContext& fp) {
    load_user_fp(frame, fp);
    // Whatever the frame says, a thread never returns to supervisor mode.
    frame.sstatus = (frame.sstatus & ~(sstatus::SPP | sstatus::SIE)) | sstatus::SPIE;
    riscv_return_to_user(&frame);
}

void idle() {
    tessera::Cpu& cpu = tessera::this_cpu();
    cpu.idling = true;
    cpu.arch.user_frame = 0;
    activate_address_space(nullptr);
    riscv_idle_loop(cpu.arch.kernel_stack_top);
}

} // namespace arch

void riscv_user_trap(arch::TrapFrame* frame) {
    using namespace tessera;
    Cpu& cpu = this_cpu();
    Tcb* thread = cpu.scheduler.current();
    if ((frame->sstatus & arch::sstatus::SPP) != 0)
        panic_with_frame("trap from supervisor mode took the user path (sscratch not zero)", *frame);
    if (thread == nullptr || &thread->registers != frame)
        panic_with_frame("trap from user mode without a current thread", *frame);

    arch::save_user_fp(*frame, thread->fp);
    if (frame->is_interrupt()) {
        arch::dispatch_interrupt(*frame);
    } else if (frame->cause_code() == arch::kCauseEcallFromUser) {
        frame->sepc += 4;
        handle_syscall(*thread);
    } else {
        handle_user_exception(*thread, arch::classify_user_exception(*frame));
    }
    run_next_thread();
}
