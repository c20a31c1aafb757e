#pragma once
// How the IPC core moves threads in and out of the scheduler (internal to kernel/ipc/).
#include <ipc/ipc_objects.hpp>
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
    thread.ipc.reply = nullptr;
}

// A waiter whose partner arrived: runnable again, its result already delivered.
inline void wake_thread(Tcb& thread) {
    KASSERT(thread_control().resume != nullptr);
    forget_wait(thread);
    thread_control().resume(thread);
}

// A waiter whose wait ended without its partner (deletion, cancellation): runnable, and
// its system call returns `status`; `detail` says which capability it concerns (1: the
// Reply object in a6, else 0).
inline void wake_with_status(Tcb& thread, IpcStatus status, u64 detail = 0) {
    if (thread.fault.pending()) {
        // A fault message that will get no answer: no system call returns; the thread stops.
        forget_wait(thread);
        ipc_thread_access().abandon_fault(thread, status);
        return;
    }
    ipc_thread_access().set_status(thread, status, detail);
    wake_thread(thread);
}

// A receiver leaving its wait lets go of the Reply object it named.
inline void release_receive_reply(Tcb& receiver) {
    if (receiver.ipc.reply == nullptr) return;
    receiver.ipc.reply->receiver = nullptr;
    receiver.ipc.reply = nullptr;
}

// Takes a thread blocked in Recv out of its endpoint's queue (a signal or a deletion
// ended its wait).
inline void leave_endpoint_queue(Tcb& receiver) {
    Endpoint& endpoint = *reinterpret_cast<Endpoint*>(receiver.ipc.waiting_on);
    endpoint.queue.remove(receiver);
    endpoint.settle();
    release_receive_reply(receiver);
}

// A caller parked on `reply` will get no answer: the link goes, the caller returns
// `status` (Cancelled).
inline void drop_caller(ReplyObject& reply, IpcStatus status) {
    Tcb* caller = reply.caller;
    if (caller == nullptr) return;
    reply.caller = nullptr;
    reply.can_grant = 0;
    wake_with_status(*caller, status);
}

} // namespace tessera
