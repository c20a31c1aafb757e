// The IPC side of stopping and deleting: no queue may hold a suspended or dead thread,
// and no thread may point at a deleted endpoint or notification.
#include <ipc/ipc.hpp>
#include <ipc/wake.hpp>
#include <object/finalise.hpp>

namespace tessera {

void cancel_ipc(Tcb& thread) {
    switch (thread.state) {
    case ThreadState::BlockedOnSend:
    case ThreadState::BlockedOnReceive: {
        Endpoint& endpoint = *reinterpret_cast<Endpoint*>(thread.ipc.waiting_on);
        endpoint.queue.remove(thread);
        endpoint.settle();
        break;
    }
    case ThreadState::BlockedOnNotification: {
        Notification& notification = *reinterpret_cast<Notification*>(thread.ipc.waiting_on);
        notification.waiters.remove(thread);
        if (notification.waiters.empty()) notification.set_state(NotificationState::Idle);
        break;
    }
    default: return;
    }
    forget_wait(thread);
    // The caller gives the thread its new state (Inactive); when it is resumed, it makes
    // its system call again rather than returning from it with nothing delivered.
    thread.state = ThreadState::Inactive;
    ipc_thread_access().restart_system_call(thread);
}

void release_thread_ipc(Tcb& thread) {
    cancel_ipc(thread);
    unbind_notification(thread);
}

void install_ipc_finalisers() {
    ObjectFinalisers& hooks = object_finalisers();
    hooks.endpoint = [](u64 address) { finalise_endpoint(*reinterpret_cast<Endpoint*>(address)); };
    hooks.notification = [](u64 address) { finalise_notification(*reinterpret_cast<Notification*>(address)); };
}

} // namespace tessera
