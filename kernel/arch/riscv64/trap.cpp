// The C++ side of trap entry: interrupts go to the generic dispatcher through the cause
// table below; any exception taken in kernel mode is a kernel bug and panics.
#include <arch/csr.hpp>
#include <arch/interface.hpp>
#include <arch/trap.hpp>
#include <console/console.hpp>
#include <console/panic.hpp>
#include <cpu/cpu.hpp>
#include <irq/dispatcher.hpp>
#include <sched/kernel_entry.hpp>

extern "C" void riscv_kernel_trap(arch::TrapFrame* frame);

namespace arch {

namespace {

u64 expected_breakpoint_pc = 0;
u64 breakpoints_taken = 0;

constexpr u64 kCauseBreakpoint = 3;

// Supervisor interrupt causes (scause with the interrupt bit) to virtual interrupts.
struct InterruptMapping {
    u64 cause;
    tessera::VirtualIrq irq;
};
constexpr InterruptMapping kInterruptTable[] = {
    {1, tessera::kIrqInterProcessor},     // supervisor software interrupt
    {5, tessera::kIrqLocalTimer},         // supervisor timer interrupt
    {9, tessera::kIrqControllerExternal}, // supervisor external interrupt (PLIC)
};

} // namespace

void dispatch_interrupt(const TrapFrame& frame) {
    for (const InterruptMapping& mapping : kInterruptTable) {
        if (mapping.cause != frame.cause_code()) continue;
        if (!tessera::kernel_irq_dispatcher().dispatch(mapping.irq)) {
            // Nothing claimed it. Masking the source in sie stops a level-triggered storm
            // from starving the kernel; the count says it happened.
            ++tessera::this_cpu().spurious_interrupts;
            clear_csr_bits<Csr::sie>(u64{1} << mapping.cause);
        }
        return;
    }
    tessera::panic_with_frame("interrupt with an unknown cause", frame);
}

namespace {

bool is_compressed_instruction(u64 address) { return (*reinterpret_cast<const u16*>(address) & 3) != 3; }

} // namespace

void expect_kernel_breakpoint(u64 program_counter) { expected_breakpoint_pc = program_counter; }
u64 kernel_breakpoints_taken() { return breakpoints_taken; }

const char* exception_name(u64 cause) {
    switch (cause) {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load address misaligned";
    case 5: return "load access fault";
    case 6: return "store/AMO address misaligned";
    case 7: return "store/AMO access fault";
    case 8: return "environment call from U-mode";
    case 9: return "environment call from S-mode";
    case 12: return "instruction page fault";
    case 13: return "load page fault";
    case 15: return "store/AMO page fault";
    default: return "unknown exception";
    }
}

tessera::UserException classify_user_exception(const TrapFrame& frame) {
    using tessera::UserExceptionKind;
    using tessera::VmAccess;
    u64 cause = frame.cause_code();
    tessera::UserException exception{cause, frame.stval, frame.sepc, exception_name(cause)};
    switch (cause) {
    case 12: exception.is_vm_fault = true; exception.access = VmAccess::Execute; break;
    case 13: exception.is_vm_fault = true; exception.access = VmAccess::Read; break;
    case 15: exception.is_vm_fault = true; exception.access = VmAccess::Write; break;
    case 2: exception.kind = UserExceptionKind::IllegalInstruction; break;
    case 3: exception.kind = UserExceptionKind::Breakpoint; break;
    case 0:
    case 4:
    case 6: exception.kind = UserExceptionKind::MisalignedAccess; break;
    case 1:
    case 5:
    case 7: exception.kind = UserExceptionKind::AccessFault; break;
    default: exception.kind = UserExceptionKind::Other; break;
    }
    return exception;
}

void print_trap_frame(const TrapFrame& frame) {
    using tessera::kprintln;
    if (frame.scause == 0 && frame.stval == 0)
        kprintln("trap: none (registers captured at the panic call)");
    else if (frame.is_interrupt())
        kprintln("trap: interrupt {}", frame.cause_code());
    else
        kprintln("trap: {} (scause {})", exception_name(frame.cause_code()), frame.scause);
    kprintln("sepc    {}  stval   {}", kstd::hex64(frame.sepc), kstd::hex64(frame.stval));
    kprintln("sstatus {}  scause  {}", kstd::hex64(frame.sstatus), kstd::hex64(frame.scause));
    for (unsigned row = 0; row < 8; ++row) {
        tessera::ConsoleSink sink;
        for (unsigned column = 0; column < 4; ++column) {
            unsigned reg = row * 4 + column;
            u64 value = reg == 0 ? 0 : frame.x[reg];
            kstd::format_to(sink, "x{}{}{}{} {}  ", reg, reg < 10 ? " " : "", "/", kRegisterNames[reg], kstd::hex64(value));
        }
        sink.put('\n');
    }
}

} // namespace arch

void riscv_kernel_trap(arch::TrapFrame* frame) {
    tessera::Cpu& cpu = tessera::this_cpu();
    if (cpu.arch.sscratch_corrupt != 0) tessera::panic_with_frame("sscratch was not zero on a kernel trap", *frame);
    u64 frame_address = reinterpret_cast<u64>(frame);
    if (frame_address < cpu.arch.emergency_stack_top && frame_address >= cpu.arch.emergency_stack_top - PAGE_SIZE) {
        u64 sp = frame->stack_pointer();
        bool in_guard = sp < cpu.arch.stack_limit + TRAP_FRAME_SIZE && sp + PAGE_SIZE >= cpu.arch.stack_limit;
        tessera::panic_with_frame(in_guard ? "kernel stack overflow into the guard page"
                                           : "kernel stack pointer outside the kernel stack",
                                  *frame);
    }
    if (frame->is_interrupt()) {
        arch::dispatch_interrupt(*frame);
        // The idle loop is the only kernel context that may be abandoned: if the interrupt
        // made a thread runnable, run it instead of returning to the loop.
        if (cpu.idling && !cpu.scheduler.queues().empty()) tessera::run_next_thread();
        return;
    }
    if (frame->cause_code() == arch::kCauseBreakpoint && arch::expected_breakpoint_pc != 0 &&
        frame->sepc == arch::expected_breakpoint_pc) {
        arch::expected_breakpoint_pc = 0;
        ++arch::breakpoints_taken;
        frame->sepc += arch::is_compressed_instruction(frame->sepc) ? 2 : 4;
        return;
    }
    tessera::panic_with_frame("exception in kernel mode", *frame);
}
