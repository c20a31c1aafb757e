// Reply objects when waits end from outside: suspending a parked caller (Cancelled, not
// made again) or a receiver holding a Reply object (made again, the object released);
// deleting the Reply object under either; deleting the endpoint under a receiver that
// holds one; deleting a parked caller's TCB; a bound signal and CancelBadgedSends. No
// Reply object may name a thread that stopped waiting on it.
#include "ipc_fixture.hpp"

using namespace ipctest;

namespace {

constexpr u64 kEndpoint = 20;
constexpr u64 kNotification = 21;
constexpr u64 kReply = 22;
constexpr u64 kOtherReply = 23;
constexpr u64 kOtherEndpoint = 24;
constexpr u64 kServerSlot = 100;
constexpr u64 kClientSlot = 101;

// A server and a client; the client's Call was delivered and it waits on kReply.
struct ParkedCall {
    IpcKernel& k;
    Tcb& server;
    Tcb& client;
    explicit ParkedCall(IpcKernel& kernel)
        : k(kernel), server(kernel.thread(kServerSlot)), client(kernel.thread(kClientSlot)) {
        k.make_endpoint(kEndpoint);
        k.make_notification(kNotification);
        k.make_reply(kReply);
        k.make_reply(kOtherReply);
        k.make_endpoint(kOtherEndpoint);
        REQUIRE(k.receive(server, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        REQUIRE(k.call_endpoint(client, kEndpoint, {1}) == SendOutcome::Blocked);
        REQUIRE(client.state == ThreadState::BlockedOnReply);
        REQUIRE(k.reply_object(kReply).caller == &client);
    }
    ReplyObject& reply() { return k.reply_object(kReply); }
};

// Nobody is linked to the Reply object any more.
void require_empty(const ReplyObject& reply) {
    CHECK(reply.caller == nullptr);
    CHECK(reply.receiver == nullptr);
    CHECK(reply.can_grant == 0);
}

// Woken from outside with `status`: runnable, no wait left, the system call not made again.
void require_woken_with(IpcKernel& k, Tcb& thread, IpcStatus status, u64 detail = 0) {
    CHECK(thread.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(thread));
    CHECK(thread.ipc.waiting_on == 0);
    CHECK(thread.ipc.reply == nullptr);
    CHECK(thread.ipc.next == nullptr);
    CHECK(thread.ipc.prev == nullptr);
    CHECK(k.last_status(thread) == StatusRecord{status, detail});
    CHECK(IpcKernel::status_register(thread) == status);
    CHECK(k.restarts(thread) == 0);
    CHECK(thread.registers.sepc == kStartPc);
}

} // namespace

TEST_CASE("Suspending a caller parked for its answer: Cancelled, not made again, the answer reaches nobody") {
    IpcKernel k;
    ParkedCall p(k);
    CHECK(k.call(kClientSlot, InvocationLabel::TcbSuspend, {}) == success());
    CHECK(p.client.state == ThreadState::Inactive);
    CHECK_FALSE(k.runnable_in_scheduler(p.client));
    CHECK(p.client.ipc.waiting_on == 0);
    require_empty(p.reply());
    CHECK(k.last_status(p.client) == StatusRecord{IpcStatus::Cancelled, 0});
    CHECK(k.status_count(p.client) == 1);
    CHECK(IpcKernel::status_register(p.client) == IpcStatus::Cancelled);
    CHECK(k.restarts(p.client) == 0);
    CHECK(p.client.registers.sepc == kStartPc);

    k.reply(p.server, kReply, {5}, 5);
    CHECK(k.deliveries(p.client) == 0);
    CHECK(p.client.state == ThreadState::Inactive);
    // Receiving with the object again drops nobody: the client is told nothing more.
    CHECK(k.receive(p.server, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    CHECK(k.status_count(p.client) == 1);

    CHECK(k.call(kClientSlot, InvocationLabel::TcbResume, {}) == success());
    CHECK(p.client.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(p.client));
    CHECK(IpcKernel::status_register(p.client) == IpcStatus::Cancelled);
    CHECK(p.client.registers.sepc == kStartPc);
}

TEST_CASE("Suspending a receiver that holds a Reply object: made again, the object released") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    k.make_reply(kReply);
    Tcb& server = k.thread(kServerSlot);
    Tcb& other = k.thread(102);
    Tcb& client = k.thread(kClientSlot);
    Syscall made = GENERATE(Syscall::Recv, Syscall::ReplyRecv);
    server.registers.set_syscall_number(static_cast<u64>(made));
    CHECK(k.receive(server, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);

    CHECK(k.call(kServerSlot, InvocationLabel::TcbSuspend, {}) == success());
    CHECK(server.state == ThreadState::Inactive);
    CHECK(server.ipc.waiting_on == 0);
    CHECK(server.ipc.reply == nullptr);
    require_empty(k.reply_object(kReply));
    CHECK(k.endpoint(kEndpoint).queue.empty());
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
    CHECK(k.restarts(server) == 1);
    CHECK(k.status_count(server) == 0);
    CHECK(server.registers.sepc == kEcallPc);
    // Made again, a ReplyRecv must not answer a second time: it becomes a Recv.
    CHECK(server.registers.syscall_number() == static_cast<u64>(Syscall::Recv));

    // The object is free for another receiver, and a Call now waits for one.
    CHECK(k.receive(other, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    CHECK(k.reply_object(kReply).receiver == &other);
    CHECK(k.call_endpoint(client, kEndpoint, {3}) == SendOutcome::Blocked);
    CHECK(k.reply_object(kReply).caller == &client);
    CHECK(k.words(other, 1) == std::vector<u64>{3});
}

TEST_CASE("Suspending a caller still queued as a sender makes its Call again") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    k.make_reply(kReply);
    Tcb& client = k.thread(kClientSlot);
    CHECK(k.call_endpoint(client, kEndpoint, {1}) == SendOutcome::Blocked);
    CHECK(k.call(kClientSlot, InvocationLabel::TcbSuspend, {}) == success());
    CHECK(client.state == ThreadState::Inactive);
    CHECK_FALSE(client.ipc.is_call);
    CHECK(k.endpoint(kEndpoint).queue.empty());
    CHECK(k.restarts(client) == 1);
    CHECK(client.registers.sepc == kEcallPc);
    CHECK(k.status_count(client) == 0);
}

TEST_CASE("Deleting a Reply object with a parked caller: the caller returns Cancelled") {
    IpcKernel k;
    ParkedCall p(k);
    CHECK(k.receive(p.server, kEndpoint, Blocking::Yes, kOtherReply) == ReceiveOutcome::Blocked);
    REQUIRE(k.remove(kReply) == success());
    require_woken_with(k, p.client, IpcStatus::Cancelled);
    CHECK(k.deliveries(p.client) == 0);
    // The server, waiting with another object, is not affected.
    CHECK(p.server.state == ThreadState::BlockedOnReceive);
    CHECK(k.reply_object(kOtherReply).receiver == &p.server);
    CHECK(k.status_count(p.server) == 0);
}

TEST_CASE("Deleting a Reply object a receiver waits with: ObjectDeleted, out of the endpoint's queue") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    k.make_reply(kReply);
    k.make_reply(kOtherReply);
    Tcb& before = k.thread(102);
    Tcb& server = k.thread(kServerSlot);
    Tcb& after = k.thread(103);
    bool alone = GENERATE(true, false);
    if (!alone) CHECK(k.receive(before, kEndpoint, Blocking::Yes, kOtherReply) == ReceiveOutcome::Blocked);
    CHECK(k.receive(server, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    if (!alone) CHECK(k.receive(after, kEndpoint) == ReceiveOutcome::Blocked);

    REQUIRE(k.remove(kReply) == success());
    // a0 = 1: the Reply object in a6 went, not the endpoint.
    require_woken_with(k, server, IpcStatus::ObjectDeleted, 1);
    CHECK(k.deliveries(server) == 0);
    if (alone) {
        CHECK(k.endpoint(kEndpoint).queue.empty());
        CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
    } else {
        CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&before, &after});
        CHECK(k.endpoint(kEndpoint).state() == EndpointState::Receiving);
        CHECK(k.reply_object(kOtherReply).receiver == &before);
    }
}

TEST_CASE("Deleting an endpoint under a receiver that holds a Reply object releases the object") {
    IpcKernel k;
    ParkedCall p(k);
    // The server waits again with another object; the first still holds the client.
    CHECK(k.receive(p.server, kEndpoint, Blocking::Yes, kOtherReply) == ReceiveOutcome::Blocked);
    Tcb& caller = k.thread(102);
    REQUIRE(k.call_endpoint(caller, kOtherEndpoint, {7}) == SendOutcome::Blocked); // a queued Call elsewhere

    REQUIRE(k.remove(kEndpoint) == success());
    require_woken_with(k, p.server, IpcStatus::ObjectDeleted);
    require_empty(k.reply_object(kOtherReply));
    // The parked caller waits on the Reply object, not the endpoint: it can still be answered.
    CHECK(p.client.state == ThreadState::BlockedOnReply);
    CHECK(p.reply().caller == &p.client);
    k.reply(p.server, kReply, {8}, 1);
    CHECK(p.client.state == ThreadState::Running);
    CHECK(k.words(p.client, 1) == std::vector<u64>{8});
    // A Call queued on an endpoint that goes is not parked anywhere: ObjectDeleted.
    REQUIRE(k.remove(kOtherEndpoint) == success());
    require_woken_with(k, caller, IpcStatus::ObjectDeleted);
    CHECK_FALSE(caller.ipc.is_call);
    // The released object serves the next receiver.
    k.make_endpoint(kEndpoint);
    CHECK(k.receive(p.server, kEndpoint, Blocking::Yes, kOtherReply) == ReceiveOutcome::Blocked);
}

TEST_CASE("Deleting a parked caller's TCB empties the Reply object; a later answer reaches nobody") {
    IpcKernel k;
    ParkedCall p(k);
    REQUIRE(k.remove(kClientSlot) == success());
    CHECK(k.finalised_tcbs == std::vector<u64>{reinterpret_cast<u64>(&p.client)});
    require_empty(p.reply());
    CHECK(p.client.state == ThreadState::Inactive);
    CHECK_FALSE(k.runnable_in_scheduler(p.client));
    u64 told = k.status_count(p.client);
    k.reply(p.server, kReply, {1}, 1);
    CHECK(k.deliveries(p.client) == 0);
    CHECK(k.receive(p.server, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    CHECK(k.status_count(p.client) == told);
    CHECK(k.reply_object(kReply).receiver == &p.server);
}

TEST_CASE("Deleting a receiver's TCB releases its Reply object") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    k.make_reply(kReply);
    Tcb& server = k.thread(kServerSlot);
    Tcb& other = k.thread(102);
    CHECK(k.receive(server, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    REQUIRE(k.remove(kServerSlot) == success());
    require_empty(k.reply_object(kReply));
    CHECK(k.endpoint(kEndpoint).queue.empty());
    CHECK(k.receive(other, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
}

TEST_CASE("A bound signal ending a Recv with a Reply object releases the object") {
    IpcKernel k;
    ParkedCall p(k);
    REQUIRE(bind_notification(p.server, k.cap(kNotification)).ok());
    CHECK(k.receive(p.server, kEndpoint, Blocking::Yes, kOtherReply) == ReceiveOutcome::Blocked);
    k.signal(kNotification);
    CHECK(p.server.state == ThreadState::Running);
    CHECK(k.last_received(p.server)->status == IpcStatus::Signalled);
    CHECK(p.server.ipc.reply == nullptr);
    require_empty(k.reply_object(kOtherReply));
    CHECK(k.endpoint(kEndpoint).queue.empty());
    // The earlier caller is still waiting on the first object.
    CHECK(p.reply().caller == &p.client);
    Tcb& next = k.thread(102);
    CHECK(k.call_endpoint(next, kEndpoint, {2}) == SendOutcome::Blocked);
    CHECK(next.state == ThreadState::BlockedOnSend);
}

TEST_CASE("CancelBadgedSends cancels queued Calls: Cancelled, parked nowhere") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    k.make_reply(kReply);
    REQUIRE(k.mint(30, kEndpoint, Rights::kMask, 5) == success());
    Tcb& client = k.thread(kClientSlot);
    Tcb& server = k.thread(kServerSlot);
    CHECK(k.call_endpoint(client, 30, {1}) == SendOutcome::Blocked);
    cancel_badged_sends(k.endpoint(kEndpoint), 5);
    require_woken_with(k, client, IpcStatus::Cancelled);
    CHECK_FALSE(client.ipc.is_call);
    CHECK(k.receive(server, kEndpoint, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    CHECK(k.reply_object(kReply).caller == nullptr);
    CHECK(k.deliveries(server) == 0);
}
