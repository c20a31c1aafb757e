// Notifications: asynchronous signals. A word of badge bits collects signals (OR) until a
// Wait or Poll takes it; a waiter gets the word at once. A notification bound to a thread
// also ends that thread's Recv on an endpoint, so a server waits for its clients and its
// interrupts in one call. Semantics follow seL4's sendSignal / receiveSignal.
#include <ipc/ipc.hpp>
#include <ipc/wake.hpp>

namespace tessera {

namespace {

kstd::Result<Notification*, IpcStatus> notification_with(const Capability& cap, bool need_write) {
    if (cap.type() != CapType::Notification) return kstd::fail(IpcStatus::InvalidCapability);
    bool allowed = need_write ? cap.rights().can_write() : cap.rights().can_read();
    if (!allowed) return kstd::fail(IpcStatus::InvalidCapability);
    return &notification_of(cap);
}

// Wait and Poll end with Ok; a Recv ended by its bound notification with Signalled.
void deliver_word(Tcb& thread, u64 word, IpcStatus status) {
    ReceivedMessage message;
    message.badge = word;
    message.status = status;
    ipc_thread_access().deliver(thread, message);
}

// Takes the pending word: the notification becomes idle (it had no waiters).
u64 take_pending(Notification& notification) {
    u64 word = notification.pending;
    notification.pending = 0;
    notification.set_state(NotificationState::Idle);
    return word;
}

} // namespace

bool take_bound_signal(Tcb& receiver) {
    Notification* bound = receiver.bound_notification;
    if (bound == nullptr || bound->state() != NotificationState::Active) return false;
    deliver_word(receiver, take_pending(*bound), IpcStatus::Signalled);
    return true;
}

kstd::Result<void, IpcStatus> signal_notification(const Capability& cap) {
    Notification& notification = *TRY(notification_with(cap, true));
    KASSERT(ipc_thread_access().complete());
    u64 badge = cap.badge();
    switch (notification.state()) {
    case NotificationState::Idle: {
        Tcb* bound = notification.bound;
        if (bound != nullptr && bound->state == ThreadState::BlockedOnReceive) {
            // Its Recv ends with the signal instead of a message.
            leave_endpoint_queue(*bound);
            deliver_word(*bound, badge, IpcStatus::Signalled);
            wake_thread(*bound);
            return {};
        }
        notification.pending = badge;
        notification.set_state(NotificationState::Active);
        return {};
    }
    case NotificationState::Waiting: {
        Tcb& waiter = *notification.waiters.pop_front();
        if (notification.waiters.empty()) notification.set_state(NotificationState::Idle);
        deliver_word(waiter, badge, IpcStatus::Ok);
        wake_thread(waiter);
        return {};
    }
    case NotificationState::Active: notification.pending |= badge; return {};
    }
    return {};
}

kstd::Result<ReceiveOutcome, IpcStatus> wait_notification(Tcb& waiter, const Capability& cap,
                                                                Blocking blocking) {
    Notification& notification = *TRY(notification_with(cap, false));
    KASSERT(ipc_thread_access().complete());
    // A bound notification's signals belong to its thread (seL4 faults anyone else).
    if (notification.bound != nullptr && notification.bound != &waiter)
        return kstd::fail(IpcStatus::InvalidCapability);
    if (notification.state() == NotificationState::Active) {
        deliver_word(waiter, take_pending(notification), IpcStatus::Ok);
        return ReceiveOutcome::Received;
    }
    if (blocking == Blocking::No) {
        deliver_word(waiter, 0, IpcStatus::NothingPending);
        return ReceiveOutcome::NothingPending;
    }
    block_thread(waiter, ThreadState::BlockedOnNotification, reinterpret_cast<u64>(&notification));
    notification.waiters.push_back(waiter);
    notification.set_state(NotificationState::Waiting);
    return ReceiveOutcome::Blocked;
}

kstd::Result<void, InvocationError> bind_notification(Tcb& thread, const Capability& cap) {
    if (cap.type() != CapType::Notification || !cap.rights().can_read())
        return kstd::fail(InvocationError::invalid_capability(1));
    Notification& notification = notification_of(cap);
    // A notification with waiters would wake them and the bound thread for one signal.
    if (thread.bound_notification != nullptr || notification.bound != nullptr ||
        notification.state() == NotificationState::Waiting)
        return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    thread.bound_notification = &notification;
    notification.bound = &thread;
    return {};
}

void unbind_notification(Tcb& thread) {
    if (thread.bound_notification == nullptr) return;
    thread.bound_notification->bound = nullptr;
    thread.bound_notification = nullptr;
}

void finalise_notification(Notification& notification) {
    while (Tcb* thread = notification.waiters.pop_front()) wake_with_status(*thread, IpcStatus::ObjectDeleted);
    if (notification.bound != nullptr) unbind_notification(*notification.bound);
    notification.pending = 0;
    notification.set_state(NotificationState::Idle);
}

} // namespace tessera
