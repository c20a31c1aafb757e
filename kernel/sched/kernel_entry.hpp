#pragma once
// What the kernel does when a user thread enters it, independent of the architecture:
// system calls, exceptions, and the choice of who runs next.
#include <abi/syscalls.hpp>
#include <object/tcb.hpp>

namespace tessera {

struct UserException {
    u64 cause;   // the architecture's cause code
    u64 address; // faulting address or instruction bits
    u64 pc;
    const char* description;
    // The architecture's reading of the cause (abi/faults.hpp): a page fault with its
    // access, or another exception of `kind`.
    bool is_vm_fault = false;
    VmAccess access = VmAccess::Read;
    UserExceptionKind kind = UserExceptionKind::Other;
};

void handle_syscall(Tcb& thread);
void handle_user_exception(Tcb& thread, const UserException& exception);

// The timer tick at time `now`, as seen by the scheduler: charges the current thread's
// time slice.
void charge_current_thread(u64 now);

// Chooses the next thread and runs it, or idles. Never returns: the kernel stack starts
// afresh at the next entry.
[[noreturn]] void run_next_thread();

// Registers what deleting the last capability to a TCB does: the thread stops and leaves
// every queue before its memory can be reused.
void install_thread_finaliser();

// Makes a thread runnable on this CPU / takes it off (suspend).
void resume_thread(Tcb& thread);
void suspend_thread(Tcb& thread);

// The user-mode self-tests' event log (DebugRecord).
struct RecordedEvent {
    u64 tag;
    u64 value;
};
kstd::Span<const RecordedEvent> recorded_events();
void clear_recorded_events();
// Called when this CPU would idle: lets the user-mode self-tests conclude.
void set_idle_hook(void (*hook)());

} // namespace tessera
