#include <arch/interface.hpp>
#include <console/console.hpp>
#include <cpu/cpu.hpp>
#include <kstd/bounded_vector.hpp>
#include <sched/kernel_entry.hpp>

namespace tessera {

namespace {

kstd::BoundedVector<RecordedEvent, 256> events;
void (*idle_hook)() = nullptr;

void* address_space_of(Tcb& thread) {
    const Capability& vspace = thread.slot(TcbSlot::VSpaceRoot).cap;
    return vspace.type() == CapType::PageTable ? reinterpret_cast<void*>(vspace.address()) : nullptr;
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
        thread.state = ThreadState::Inactive;
        this_cpu().scheduler.make_unrunnable(thread);
    };
}

void handle_syscall(Tcb& thread) {
    arch::TrapFrame& frame = thread.registers;
    switch (static_cast<Syscall>(frame.syscall_number())) {
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
    case Syscall::DebugPutString:
    case Syscall::DebugHalt:
    case Syscall::Call:
        // The trap-level invocation path (IPC buffer, reply registers) arrives with the
        // IPC issue; until then a Call is refused like an unknown number.
        break;
    }
    kprintln("thread {}: unknown system call {} at pc {}; suspended (no fault handler yet)", thread.name,
             frame.syscall_number(), kstd::Hex{frame.program_counter()});
    suspend_thread(thread);
}

void handle_user_exception(Tcb& thread, const UserException& exception) {
    kprintln("thread {}: {} at pc {}, address {}; suspended (no fault handler yet)", thread.name,
             exception.description, kstd::Hex{exception.pc}, kstd::Hex{exception.address});
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
    arch::return_to_user(next->registers);
}

kstd::Span<const RecordedEvent> recorded_events() { return events.span(); }
void clear_recorded_events() { events.clear(); }
void set_idle_hook(void (*hook)()) { idle_hook = hook; }

} // namespace tessera
