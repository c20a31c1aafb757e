// Endpoints: synchronous rendezvous. A message moves only when a sender meets a receiver;
// whoever comes first waits in the endpoint's FIFO queue (which therefore holds only
// senders or only receivers). Semantics follow seL4's sendIPC / receiveIPC.
#include <ipc/ipc.hpp>
#include <ipc/transfer.hpp>
#include <ipc/wake.hpp>

namespace tessera {

// In notification.cpp: a pending signal of the receiver's bound notification ends Recv.
bool take_bound_signal(Tcb& receiver);

namespace {

kstd::Result<Endpoint*, InvocationError> endpoint_with(const Capability& cap, bool need_write) {
    if (cap.type() != CapType::Endpoint) return kstd::fail(InvocationError::invalid_capability(0));
    bool allowed = need_write ? cap.rights().can_write() : cap.rights().can_read();
    if (!allowed) return kstd::fail(InvocationError::invalid_capability(0));
    return &endpoint_of(cap);
}

u64 address_of(const Endpoint& endpoint) { return reinterpret_cast<u64>(&endpoint); }

OfferedMessage offer_of(const Tcb& sender) {
    return OfferedMessage{MessageInfo::from_word(sender.ipc.message_info), sender.ipc.badge, sender.ipc.can_grant};
}

} // namespace

kstd::Result<SendOutcome, InvocationError> send_ipc(Tcb& sender, const Capability& cap, MessageInfo info,
                                                    Blocking blocking, bool is_call) {
    Endpoint& endpoint = *TRY(endpoint_with(cap, true));
    KASSERT(ipc_thread_access().complete());
    if (endpoint.state() != EndpointState::Receiving) {
        if (blocking == Blocking::No) return SendOutcome::Dropped;
        sender.ipc.badge = cap.badge();
        sender.ipc.message_info = info.to_word();
        sender.ipc.is_call = is_call;
        sender.ipc.can_grant = cap.rights().can_grant();
        block_thread(sender, ThreadState::BlockedOnSend, address_of(endpoint));
        endpoint.queue.push_back(sender);
        endpoint.set_state(EndpointState::Sending);
        return SendOutcome::Blocked;
    }
    Tcb& receiver = *endpoint.queue.pop_front();
    endpoint.settle();
    (void)transfer_message(sender, OfferedMessage{info, cap.badge(), cap.rights().can_grant()}, endpoint, receiver);
    wake_thread(receiver);
    return SendOutcome::Delivered;
}

kstd::Result<ReceiveOutcome, InvocationError> receive_ipc(Tcb& receiver, const Capability& cap, Blocking blocking) {
    Endpoint& endpoint = *TRY(endpoint_with(cap, false));
    KASSERT(ipc_thread_access().complete());
    if (take_bound_signal(receiver)) return ReceiveOutcome::Signalled;
    if (endpoint.state() != EndpointState::Sending) {
        if (blocking == Blocking::No) {
            ipc_thread_access().deliver(receiver, ReceivedMessage{});
            return ReceiveOutcome::NothingPending;
        }
        block_thread(receiver, ThreadState::BlockedOnReceive, address_of(endpoint));
        endpoint.queue.push_back(receiver);
        endpoint.set_state(EndpointState::Receiving);
        return ReceiveOutcome::Blocked;
    }
    Tcb& sender = *endpoint.queue.pop_front();
    endpoint.settle();
    (void)transfer_message(sender, offer_of(sender), endpoint, receiver);
    // A Call's sender will wait for the reply here once reply capabilities exist; until
    // then it continues like a Send's.
    wake_thread(sender);
    return ReceiveOutcome::Received;
}

void cancel_badged_sends(Endpoint& endpoint, u64 badge) {
    if (endpoint.state() != EndpointState::Sending) return;
    Tcb* thread = endpoint.queue.front();
    while (thread != nullptr) {
        Tcb* following = thread->ipc.next;
        if (thread->ipc.badge == badge) {
            endpoint.queue.remove(*thread);
            wake_to_restart(*thread);
        }
        thread = following;
    }
    endpoint.settle();
}

void finalise_endpoint(Endpoint& endpoint) {
    while (Tcb* thread = endpoint.queue.pop_front()) wake_to_restart(*thread);
    endpoint.set_state(EndpointState::Idle);
}

} // namespace tessera
