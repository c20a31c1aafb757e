#pragma once
// The two IPC objects as they lie in memory, made zeroed (idle, empty) by Retype.
//
// Endpoint (16 bytes): a queue of blocked threads, all senders or all receivers; the
// queue's state bits say which. Notification (32 bytes): a queue of waiting threads, the
// word of pending badge bits, and the thread bound to it (if any). Reply (32 bytes): the
// link between a caller waiting for its answer and the receiver that got its Call.
#include <abi/object_types.hpp>
#include <ipc/wait_queue.hpp>
#include <object/capability.hpp>

namespace tessera {

enum class EndpointState : u8 {
    Idle = 0,      // nobody waits
    Sending = 1,   // the queue holds senders (BlockedOnSend)
    Receiving = 2, // the queue holds receivers (BlockedOnReceive)
};

struct Endpoint {
    WaitQueue queue;

    EndpointState state() const { return static_cast<EndpointState>(queue.state()); }
    void set_state(EndpointState state) { queue.set_state(static_cast<u8>(state)); }
    // After a thread left: an emptied queue makes the endpoint idle.
    void settle() {
        if (queue.empty()) set_state(EndpointState::Idle);
    }
};

static_assert(sizeof(Endpoint) == (u64{1} << kEndpointSizeBits), "an Endpoint is what Retype sizes it");

enum class NotificationState : u8 {
    Idle = 0,    // no signal pending, nobody waits
    Waiting = 1, // the queue holds waiters (BlockedOnNotification)
    Active = 2,  // signals are pending in `pending` (possibly all from badge 0)
};

struct Notification {
    WaitQueue waiters;
    u64 pending; // the OR of the badges signalled since the last Wait / Poll took them
    Tcb* bound;  // the thread whose Recv this notification also ends, or null

    NotificationState state() const { return static_cast<NotificationState>(waiters.state()); }
    void set_state(NotificationState state) { waiters.set_state(static_cast<u8>(state)); }
};

static_assert(sizeof(Notification) == (u64{1} << kNotificationSizeBits), "a Notification is what Retype sizes it");

// A server names a Reply object in Recv; a Call that arrives parks its caller on it until
// Reply (or ReplyRecv) through the same object answers. A server holds as many pending
// calls as it has Reply objects (docs/ipc.md says why these, not seL4's one-shot caps).
struct ReplyObject {
    Tcb* caller;   // waiting for the answer (BlockedOnReply), or null
    Tcb* receiver; // blocked in Recv with this object, or null
    u64 can_grant; // the answer may carry capabilities (the receiver's endpoint right)
    u64 reserved;
};

static_assert(sizeof(ReplyObject) == (u64{1} << kReplySizeBits), "a Reply object is what Retype sizes it");

inline Endpoint& endpoint_of(const Capability& cap) { return *reinterpret_cast<Endpoint*>(cap.address()); }
inline Notification& notification_of(const Capability& cap) {
    return *reinterpret_cast<Notification*>(cap.address());
}
inline ReplyObject& reply_object_of(const Capability& cap) { return *reinterpret_cast<ReplyObject*>(cap.address()); }

} // namespace tessera
