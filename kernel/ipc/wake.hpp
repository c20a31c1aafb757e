#pragma once
// How the IPC core moves threads in and out of the scheduler (internal to kernel/ipc/).
#include <ipc/thread_access.hpp>
#include <object/tcb.hpp>
#include <object/thread_control.hpp>

namespace tessera {

// The thread waits in the object at `object` in `state`; it leaves the scheduler.
inline void block_thread(Tcb& thread, ThreadState state, u64 object) {
    KASSERT(thread_control().block != nullptr);
    thread.state = state;
    thread.ipc.waiting_on = object;
    thread_control().block(thread);
}

// The thread's wait is over (it was already taken out of the queue).
inline void forget_wait(Tcb& thread) {
    thread.ipc.waiting_on = 0;
    thread.ipc.badge = 0;
    thread.ipc.message_info = 0;
    thread.ipc.is_call = false;
    thread.ipc.can_grant = false;
}

// A waiter whose partner arrived: runnable again, its result already delivered.
inline void wake_thread(Tcb& thread) {
    KASSERT(thread_control().resume != nullptr);
    forget_wait(thread);
    thread_control().resume(thread);
}

// A waiter whose wait was cancelled while it stays alive: runnable, and its system call
// runs again (seL4's Restart state).
inline void wake_to_restart(Tcb& thread) {
    wake_thread(thread);
    thread.state = ThreadState::Restart;
    ipc_thread_access().restart_system_call(thread);
}

} // namespace tessera
