// The IPC side of stopping and deleting: no queue may hold a suspended or dead thread,
// no Reply object may name one, and no thread may point at a deleted object.
#include <ipc/ipc.hpp>
#include <ipc/wake.hpp>
#include <object/finalise.hpp>

namespace tessera {

void cancel_ipc(Tcb& thread) {
    bool restart = true;
    switch (thread.state) {
    case ThreadState::BlockedOnSend: {
        Endpoint& endpoint = *reinterpret_cast<Endpoint*>(thread.ipc.waiting_on);
        endpoint.queue.remove(thread);
        endpoint.settle();
        break;
    }
    case ThreadState::BlockedOnReceive: leave_endpoint_queue(thread); break;
    case ThreadState::BlockedOnNotification: {
        Notification& notification = *reinterpret_cast<Notification*>(thread.ipc.waiting_on);
        notification.waiters.remove(thread);
        if (notification.waiters.empty()) notification.set_state(NotificationState::Idle);
        break;
    }
    case ThreadState::BlockedOnReply: {
        // Its message was delivered: making the Call again would send it twice. The
        // Call returns Cancelled, and the server's answer finds nobody.
        ReplyObject& reply = *reinterpret_cast<ReplyObject*>(thread.ipc.waiting_on);
        reply.caller = nullptr;
        reply.can_grant = 0;
        restart = false;
        break;
    }
    default: return;
    }
    forget_wait(thread);
    // The caller gives the thread its new state (Inactive); when it is resumed, it makes
    // its system call again rather than returning from it with nothing delivered.
    thread.state = ThreadState::Inactive;
    if (thread.fault.pending()) {
        // Its registers are still those of the fault: resumed, it runs the faulting
        // instruction again and faults afresh, as in seL4.
        thread.fault = PendingFault{};
        return;
    }
    if (restart)
        ipc_thread_access().restart_system_call(thread);
    else
        ipc_thread_access().set_status(thread, IpcStatus::Cancelled, 0);
}

void release_thread_ipc(Tcb& thread) {
    cancel_ipc(thread);
    unbind_notification(thread);
}

void install_ipc_finalisers() {
    ObjectFinalisers& hooks = object_finalisers();
    hooks.endpoint = [](u64 address) { finalise_endpoint(*reinterpret_cast<Endpoint*>(address)); };
    hooks.notification = [](u64 address) { finalise_notification(*reinterpret_cast<Notification*>(address)); };
    hooks.reply = [](u64 address) { finalise_reply(*reinterpret_cast<ReplyObject*>(address)); };
}

} // namespace tessera
