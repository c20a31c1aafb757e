#include <abi/vm.hpp>
#include <arch/address_space.hpp>
#include <arch/interface.hpp>
#include <console/console.hpp>
#include <cpu/cpu.hpp>
#include <ipc/ipc.hpp>
#include <kstd/bounded_vector.hpp>
#include <ipc/fastpath.hpp>
#include <ipc/fault_messages.hpp>
#include <sched/invocation_syscall.hpp>
#include <sched/ipc_syscalls.hpp>
#include <sched/faults.hpp>
#include <sched/kernel_entry.hpp>

namespace tessera {

namespace {

kstd::BoundedVector<RecordedEvent, 256> events;
void (*idle_hook)() = nullptr;

// The architecture checks that it is a valid VSpace root and falls back to the kernel-only
// space otherwise.
const Capability* address_space_of(Tcb& thread) { return &thread.slot(TcbSlot::VSpaceRoot).cap; }

// Writes user memory to the console, page by page as the thread's address space maps it.
void debug_put_string(Tcb& thread) {
    arch::TrapFrame& frame = thread.registers;
    u64 address = frame.argument(0);
    u64 length = frame.argument(1);
    if (length > kDebugPutStringLimit || address + length < address) {
        frame.set_result(0, 1);
        return;
    }
    const Capability& vspace = thread.slot(TcbSlot::VSpaceRoot).cap;
    while (length > 0) {
        u64 chunk = kstd::min(length, kPageBytes - (address & (kPageBytes - 1)));
        const u8* bytes = arch::user_memory(vspace, address, chunk, false);
        if (bytes == nullptr) {
            frame.set_result(0, 1);
            return;
        }
        arch::debug_write(kstd::StringView(reinterpret_cast<const char*>(bytes), chunk));
        address += chunk;
        length -= chunk;
    }
    frame.set_result(0, 0);
}

// The debug calls give any thread the console and the power switch: a build for anything
// but development turns them off (meson option debug_syscalls).
bool is_debug_syscall(u64 number) {
    return number >= static_cast<u64>(Syscall::DebugPutChar) &&
           number <= static_cast<u64>(Syscall::DebugFastpathCount);
}

} // namespace

void resume_thread(Tcb& thread) {
    thread.state = ThreadState::Running;
    this_cpu().scheduler.make_runnable(thread);
}

void suspend_thread(Tcb& thread) {
    thread.state = ThreadState::Suspended;
    this_cpu().scheduler.make_unrunnable(thread);
}

void install_thread_finaliser() {
    object_finalisers().tcb = [](u64 address) {
        Tcb& thread = *reinterpret_cast<Tcb*>(address);
        release_thread_ipc(thread);
        thread.state = ThreadState::Inactive;
        this_cpu().scheduler.make_unrunnable(thread);
        arch::forget_user_fp(thread.fp);
    };
}

void handle_syscall(Tcb& thread) {
    arch::TrapFrame& frame = thread.registers;
    bool refused = !TESSERA_DEBUG_SYSCALLS && is_debug_syscall(frame.syscall_number());
    switch (refused ? Syscall{0} : static_cast<Syscall>(frame.syscall_number())) {
    case Syscall::Yield: this_cpu().scheduler.yield(); return;
    case Syscall::DebugPutChar: {
        char c = static_cast<char>(frame.argument(0));
        arch::debug_write(kstd::StringView(&c, 1));
        return;
    }
    case Syscall::DebugRecord:
        if (!events.push_back({frame.argument(0), frame.argument(1)})) frame.set_result(0, 1);
        return;
    case Syscall::DebugSuspend: suspend_thread(thread); return;
    case Syscall::DebugPutString: debug_put_string(thread); return;
    case Syscall::DebugHalt:
        kprintln("thread {} asked for a power-off ({})", thread.name, frame.argument(0) == 0 ? "success" : "failure");
        arch::power_off(frame.argument(0) != 0);
    case Syscall::DebugFastpathCount: frame.set_result(0, ipc_fastpath_count()); return;
    case Syscall::Call:
        if (fastpath_call(thread, this_cpu().scheduler, arch::read_timer()) || handle_endpoint_call(thread)) return;
        handle_call_syscall(thread);
        return;
    case Syscall::ReplyRecv:
        if (fastpath_reply_recv(thread, this_cpu().scheduler, arch::read_timer())) return;
        handle_ipc_syscall(thread, Syscall::ReplyRecv);
        return;
    case Syscall::Send:
    case Syscall::NBSend:
    case Syscall::Recv:
    case Syscall::NBRecv:
    case Syscall::Reply:
    case Syscall::Signal:
    case Syscall::Wait:
    case Syscall::Poll: handle_ipc_syscall(thread, static_cast<Syscall>(frame.syscall_number())); return;
    }
    // A fault: the thread stops at the faulting ecall (the trap already moved the pc past
    // it), so the message and the log name it, and resuming as it is tries it again.
    frame.restart_syscall();
    u64 arguments[arch::TrapFrame::kArgumentRegisters];
    for (unsigned i = 0; i < arch::TrapFrame::kArgumentRegisters; ++i) arguments[i] = frame.argument(i);
    PendingFault fault = unknown_syscall_message(frame.program_counter(), frame.stack_pointer(), frame.return_address(),
                                                 kstd::Span<const u64>(arguments, arch::TrapFrame::kArgumentRegisters),
                                                 frame.syscall_number());
    if (raise_fault(thread, fault) != FaultRouting::NoHandler) return;
    kprintln("thread {}: unknown system call {} at pc {}; suspended (no fault handler)", thread.name,
             frame.syscall_number(), kstd::Hex{frame.program_counter()});
    suspend_thread(thread);
}

void handle_user_exception(Tcb& thread, const UserException& exception) {
    PendingFault fault =
        exception.is_vm_fault
            ? vm_fault_message(VmFaultInfo{exception.address, exception.access, exception.pc, exception.cause})
            : user_exception_message(UserExceptionInfo{exception.pc, thread.registers.stack_pointer(), exception.kind,
                                                       exception.cause, exception.address});
    if (raise_fault(thread, fault) != FaultRouting::NoHandler) return;
    kprintln("thread {}: {} at pc {}, address {}; suspended (no fault handler)", thread.name, exception.description,
             kstd::Hex{exception.pc}, kstd::Hex{exception.address});
    suspend_thread(thread);
}

void charge_current_thread(u64 now) { this_cpu().scheduler.tick(now); }

void run_next_thread() {
    Cpu& cpu = this_cpu();
    Tcb* next = cpu.scheduler.choose(arch::read_timer());
    if (next == nullptr) {
        if (idle_hook != nullptr) idle_hook();
        arch::idle();
    }
    cpu.idling = false;
    if (next->state == ThreadState::Restart) next->state = ThreadState::Running;
    arch::activate_address_space(address_space_of(*next));
    arch::return_to_user(next->registers, next->fp);
}

kstd::Span<const RecordedEvent> recorded_events() { return events.span(); }
void clear_recorded_events() { events.clear(); }
void set_idle_hook(void (*hook)()) { idle_hook = hook; }

} // namespace tessera
