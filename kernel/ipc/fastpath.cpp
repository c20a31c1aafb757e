// The fastpath's conditions, checked in order of how cheaply they fail:
//   Call:      length <= 4, no extra capabilities; a0 an Endpoint capability with write
//              and grant or grant-reply; a receiver waiting on it with a Reply object; that
//              receiver outranks every queued thread.
//   ReplyRecv: length <= 4, no extra capabilities; a6 a Reply object with a caller parked
//              on it; a0 an Endpoint capability with read and no sender queued on it; no
//              signal pending on the server's bound notification; the caller outranks
//              every queued thread.
// Then the message moves register to register, the threads trade places with the Reply
// object as the general path leaves them, and the scheduler switches directly.
#include <ipc/fastpath.hpp>
#include <ipc/wake.hpp>
#include <object/cspace.hpp>
#include <sched/scheduler.hpp>

namespace tessera {

namespace {

bool enabled = true;
u64 completed = 0;

// The message the fastpath carries, or false when it is too long or carries capabilities.
bool short_message(const Tcb& sender, MessageInfo& info) {
    info = MessageInfo::from_word(sender.registers.argument(kInfoRegister));
    return info.length <= kMessageRegisterCount && info.extra_caps == 0;
}

const Capability* capability_at(Tcb& thread, unsigned reg) {
    auto slot = lookup_slot(thread.slot(TcbSlot::CSpaceRoot).cap, thread.registers.argument(reg));
    return slot ? &slot.value()->cap : nullptr;
}

void move_message(const Tcb& sender, Tcb& receiver, MessageInfo info, u64 badge) {
    for (unsigned i = 0; i < info.length; ++i)
        receiver.registers.set_result(kFirstWordRegister + i, sender.registers.argument(kFirstWordRegister + i));
    MessageInfo delivered;
    delivered.label = info.label;
    delivered.length = info.length;
    receiver.registers.set_result(kBadgeRegister, badge);
    receiver.registers.set_result(kInfoRegister, delivered.to_word());
    receiver.registers.set_result(kStatusRegister, static_cast<u64>(IpcStatus::Ok));
}

void hand_over(Tcb& next, Scheduler& scheduler, u64 now) {
    next.state = ThreadState::Running;
    scheduler.switch_to(next, now);
    ++completed;
}

} // namespace

bool fastpath_call(Tcb& caller, Scheduler& scheduler, u64 now) {
    MessageInfo info;
    if (!enabled || !short_message(caller, info)) return false;
    const Capability* cap = capability_at(caller, kCapabilityRegister);
    if (cap == nullptr || cap->type() != CapType::Endpoint) return false;
    Rights rights = cap->rights();
    if (!rights.can_write() || !(rights.can_grant() || rights.can_grant_reply())) return false;
    Endpoint& endpoint = endpoint_of(*cap);
    if (endpoint.state() != EndpointState::Receiving) return false;
    Tcb& receiver = *endpoint.queue.front();
    ReplyObject* reply = receiver.ipc.reply;
    if (reply == nullptr || !scheduler.outranks_queued(receiver.schedule.priority)) return false;

    endpoint.queue.remove(receiver);
    endpoint.settle();
    move_message(caller, receiver, info, cap->badge());
    reply->receiver = nullptr;
    reply->caller = &caller;
    reply->can_grant = receiver.ipc.can_grant ? 1 : 0;
    forget_wait(receiver);
    forget_wait(caller);
    caller.state = ThreadState::BlockedOnReply;
    caller.ipc.waiting_on = reinterpret_cast<u64>(reply);
    hand_over(receiver, scheduler, now);
    return true;
}

bool fastpath_reply_recv(Tcb& server, Scheduler& scheduler, u64 now) {
    MessageInfo info;
    if (!enabled || !short_message(server, info)) return false;
    const Capability* reply_cap = capability_at(server, kReplyRegister);
    if (reply_cap == nullptr || reply_cap->type() != CapType::Reply) return false;
    ReplyObject& reply = reply_object_of(*reply_cap);
    Tcb* caller = reply.caller;
    // The answer to a fault sets registers instead of delivering a message: the general path.
    if (caller == nullptr || caller->fault.pending()) return false;
    const Capability* cap = capability_at(server, kCapabilityRegister);
    if (cap == nullptr || cap->type() != CapType::Endpoint || !cap->rights().can_read()) return false;
    Endpoint& endpoint = endpoint_of(*cap);
    if (endpoint.state() == EndpointState::Sending) return false;
    Notification* bound = server.bound_notification;
    if (bound != nullptr && bound->state() == NotificationState::Active) return false;
    if (!scheduler.outranks_queued(caller->schedule.priority)) return false;

    KASSERT(caller->state == ThreadState::BlockedOnReply && reply.receiver == nullptr);
    move_message(server, *caller, info, 0);
    reply.caller = nullptr;
    forget_wait(*caller);
    server.ipc.can_grant = cap->rights().can_grant();
    server.ipc.reply = &reply;
    reply.receiver = &server;
    reply.can_grant = 0;
    server.state = ThreadState::BlockedOnReceive;
    server.ipc.waiting_on = reinterpret_cast<u64>(&endpoint);
    endpoint.queue.push_back(server);
    endpoint.set_state(EndpointState::Receiving);
    hand_over(*caller, scheduler, now);
    return true;
}

void set_ipc_fastpath_enabled(bool on) { enabled = on; }
bool ipc_fastpath_enabled() { return enabled; }
u64 ipc_fastpath_count() { return completed; }

} // namespace tessera
