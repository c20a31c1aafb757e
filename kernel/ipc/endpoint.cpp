// Endpoints: synchronous rendezvous. A message moves only when a sender meets a receiver;
// whoever comes first waits in the endpoint's FIFO queue (which therefore holds only
// senders or only receivers). Semantics follow seL4's sendIPC / receiveIPC, with MCS-style
// Reply objects for Call's answer.
#include <ipc/ipc.hpp>
#include <ipc/transfer.hpp>
#include <ipc/wake.hpp>

namespace tessera {

// In notification.cpp: a pending signal of the receiver's bound notification ends Recv.
bool take_bound_signal(Tcb& receiver);

namespace {

kstd::Result<Endpoint*, IpcStatus> endpoint_with(const Capability& cap, bool need_write, bool is_call) {
    if (cap.type() != CapType::Endpoint) return kstd::fail(IpcStatus::InvalidCapability);
    Rights rights = cap.rights();
    bool allowed = need_write ? rights.can_write() : rights.can_read();
    // A caller hands the receiver a way to answer it: seL4 asks for grant or grant-reply.
    if (is_call && !rights.can_grant() && !rights.can_grant_reply()) allowed = false;
    if (!allowed) return kstd::fail(IpcStatus::InvalidCapability);
    return &endpoint_of(cap);
}

u64 address_of(const void* object) { return reinterpret_cast<u64>(object); }

OfferedMessage offer_of(const Tcb& sender) {
    return OfferedMessage{MessageInfo::from_word(sender.ipc.message_info), sender.ipc.badge, sender.ipc.can_grant};
}

// A delivered Call: the caller waits on the receiver's Reply object for its answer (from
// the CPU or from the endpoint's queue), or, when the receiver named none, returns NoReply.
void park_caller(Tcb& caller, ReplyObject* reply, bool answer_can_grant) {
    if (reply == nullptr) {
        if (caller.fault.pending()) {
            forget_wait(caller);
            ipc_thread_access().abandon_fault(caller, IpcStatus::NoReply);
            return;
        }
        ipc_thread_access().set_status(caller, IpcStatus::NoReply, 0);
        if (!caller.runnable()) wake_thread(caller);
        return;
    }
    KASSERT(reply->caller == nullptr && reply->receiver == nullptr);
    reply->caller = &caller;
    reply->can_grant = answer_can_grant ? 1 : 0;
    forget_wait(caller);
    block_thread(caller, ThreadState::BlockedOnReply, address_of(reply));
}

} // namespace

kstd::Result<SendOutcome, IpcStatus> send_ipc(Tcb& sender, const Capability& cap, MessageInfo info,
                                              Blocking blocking, bool is_call) {
    Endpoint& endpoint = *TRY(endpoint_with(cap, true, is_call));
    KASSERT(ipc_thread_access().complete());
    if (endpoint.state() != EndpointState::Receiving) {
        if (blocking == Blocking::No) {
            ipc_thread_access().set_status(sender, IpcStatus::NothingPending, 0);
            return SendOutcome::Dropped;
        }
        sender.ipc.badge = cap.badge();
        sender.ipc.message_info = info.to_word();
        sender.ipc.is_call = is_call;
        sender.ipc.can_grant = cap.rights().can_grant();
        block_thread(sender, ThreadState::BlockedOnSend, address_of(&endpoint));
        endpoint.queue.push_back(sender);
        endpoint.set_state(EndpointState::Sending);
        return SendOutcome::Blocked;
    }
    Tcb& receiver = *endpoint.queue.pop_front();
    endpoint.settle();
    ReplyObject* reply = receiver.ipc.reply;
    bool answer_can_grant = receiver.ipc.can_grant;
    release_receive_reply(receiver);
    (void)transfer_message(sender, OfferedMessage{info, cap.badge(), cap.rights().can_grant()}, &endpoint, receiver);
    wake_thread(receiver);
    if (!is_call) {
        ipc_thread_access().set_status(sender, IpcStatus::Ok, 0);
        return SendOutcome::Delivered;
    }
    park_caller(sender, reply, answer_can_grant);
    return reply != nullptr ? SendOutcome::Blocked : SendOutcome::Delivered;
}

kstd::Result<ReceiveOutcome, IpcStatus> receive_ipc(Tcb& receiver, const Capability& cap, ReplyObject* reply,
                                                    Blocking blocking) {
    Endpoint& endpoint = *TRY(endpoint_with(cap, false, false));
    KASSERT(ipc_thread_access().complete());
    if (reply != nullptr) {
        if (reply->receiver != nullptr && reply->receiver != &receiver) return kstd::fail(IpcStatus::ReplyInUse);
        drop_caller(*reply, IpcStatus::Cancelled);
    }
    if (take_bound_signal(receiver)) return ReceiveOutcome::Signalled;
    if (endpoint.state() != EndpointState::Sending) {
        if (blocking == Blocking::No) {
            ReceivedMessage nothing;
            nothing.status = IpcStatus::NothingPending;
            ipc_thread_access().deliver(receiver, nothing);
            return ReceiveOutcome::NothingPending;
        }
        receiver.ipc.can_grant = cap.rights().can_grant();
        receiver.ipc.reply = reply;
        if (reply != nullptr) reply->receiver = &receiver;
        block_thread(receiver, ThreadState::BlockedOnReceive, address_of(&endpoint));
        endpoint.queue.push_back(receiver);
        endpoint.set_state(EndpointState::Receiving);
        return ReceiveOutcome::Blocked;
    }
    Tcb& sender = *endpoint.queue.pop_front();
    endpoint.settle();
    (void)transfer_message(sender, offer_of(sender), &endpoint, receiver);
    if (sender.ipc.is_call) {
        park_caller(sender, reply, cap.rights().can_grant());
    } else {
        ipc_thread_access().set_status(sender, IpcStatus::Ok, 0);
        wake_thread(sender);
    }
    return ReceiveOutcome::Received;
}

void reply_ipc(Tcb& replier, ReplyObject& reply, MessageInfo info) {
    Tcb* caller = reply.caller;
    if (caller == nullptr) return;
    bool can_grant = reply.can_grant != 0;
    reply.caller = nullptr;
    reply.can_grant = 0;
    if (caller->fault.pending()) {
        // The answer to a fault is not a message: it is new register values.
        forget_wait(*caller);
        ipc_thread_access().answer_fault(*caller, replier, info);
        return;
    }
    (void)transfer_message(replier, OfferedMessage{info, 0, can_grant}, nullptr, *caller);
    wake_thread(*caller);
}

void cancel_badged_sends(Endpoint& endpoint, u64 badge) {
    if (endpoint.state() != EndpointState::Sending) return;
    Tcb* thread = endpoint.queue.front();
    while (thread != nullptr) {
        Tcb* following = thread->ipc.next;
        if (thread->ipc.badge == badge) {
            endpoint.queue.remove(*thread);
            wake_with_status(*thread, IpcStatus::Cancelled);
        }
        thread = following;
    }
    endpoint.settle();
}

void finalise_endpoint(Endpoint& endpoint) {
    while (Tcb* thread = endpoint.queue.pop_front()) {
        release_receive_reply(*thread);
        wake_with_status(*thread, IpcStatus::ObjectDeleted);
    }
    endpoint.set_state(EndpointState::Idle);
}

void finalise_reply(ReplyObject& reply) {
    drop_caller(reply, IpcStatus::Cancelled);
    if (Tcb* receiver = reply.receiver) {
        leave_endpoint_queue(*receiver);
        wake_with_status(*receiver, IpcStatus::ObjectDeleted, 1);
    }
    reply.can_grant = 0;
}

} // namespace tessera
