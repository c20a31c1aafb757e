// The TCB invocations' scheduler hooks in the kernel: they act on this CPU's scheduler.
// Threads are scheduled on the CPU that resumes them (no migration yet).
#include <cpu/cpu.hpp>
#include <kstd/span.hpp> // kernel_entry.hpp uses it without including it
#include <object/thread_control.hpp>
#include <sched/kernel_entry.hpp>

namespace tessera {

void install_thread_control() {
    ThreadControl& hooks = thread_control();
    hooks.resume = [](Tcb& thread) { resume_thread(thread); };
    hooks.suspend = [](Tcb& thread) { suspend_thread(thread); };
    hooks.block = [](Tcb& thread) { this_cpu().scheduler.make_unrunnable(thread); };
    hooks.set_priority = [](Tcb& thread, u8 priority) { change_priority(this_cpu().scheduler, thread, priority); };
}

} // namespace tessera
