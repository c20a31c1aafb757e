// Call and Reply objects: the round trip in both orders (receiver first, caller first),
// through registers and IPC buffers; a Call into a receiver without a Reply object; the
// rights a Call needs; capabilities in the answer only with the receiver's grant right; a
// Reply nobody waits for; a Recv that drops an unanswered caller; ReplyInUse; and where
// the woken threads land in the scheduler.
#include "ipc_fixture.hpp"

#include <numeric>

using namespace ipctest;

namespace {

constexpr u64 kEndpoint = 20;
constexpr u64 kNotification = 21;
constexpr u64 kReply = 22;
constexpr u64 kOtherReply = 23;
constexpr u64 kClientCap = 30; // the caller's badged capability
constexpr u64 kServerCap = 31; // the receiver's capability
constexpr u64 kReceived = 40;  // the caller's receive slot for the answer's capability
constexpr u64 kClientBadge = 0x42;

std::vector<u64> count_from(u64 first, u64 n) {
    std::vector<u64> v(n);
    std::iota(v.begin(), v.end(), first);
    return v;
}

ReceivedMessage message(u64 label, u64 length, u64 badge, u64 extra_caps = 0) {
    ReceivedMessage m;
    m.info = info_of(length, label, extra_caps);
    m.badge = badge;
    return m;
}

// An endpoint, Reply objects, a client capability with every right and a badge, and a
// server capability with `server_rights`.
void make_objects(IpcKernel& k, u64 server_rights = Rights::kMask) {
    k.make_endpoint(kEndpoint);
    k.make_notification(kNotification);
    k.make_reply(kReply);
    k.make_reply(kOtherReply);
    REQUIRE(k.mint(kClientCap, kEndpoint, Rights::kMask, kClientBadge) == success());
    REQUIRE(k.copy(kServerCap, kEndpoint, server_rights) == success());
}

// The caller's Call has been delivered to `server` and the caller waits on kReply.
void require_parked(IpcKernel& k, Tcb& caller, bool answer_can_grant = true) {
    ReplyObject& reply = k.reply_object(kReply);
    CHECK(caller.state == ThreadState::BlockedOnReply);
    CHECK(caller.ipc.waiting_on == reinterpret_cast<u64>(&reply));
    CHECK(caller.ipc.next == nullptr);
    CHECK(caller.ipc.prev == nullptr);
    CHECK_FALSE(caller.ipc.is_call);
    CHECK_FALSE(k.runnable_in_scheduler(caller));
    CHECK(k.scheduler.current() != &caller);
    CHECK(reply.caller == &caller);
    CHECK(reply.receiver == nullptr);
    CHECK(reply.can_grant == (answer_can_grant ? 1u : 0u));
    CHECK(k.status_count(caller) == 0);
    CHECK(k.deliveries(caller) == 0);
}

// The server has the Call's message and runs; it no longer holds the Reply object as a
// receiver.
void require_served(IpcKernel& k, Tcb& server, const ReceivedMessage& expected) {
    CHECK(server.state == ThreadState::Running);
    CHECK(server.ipc.waiting_on == 0);
    CHECK(server.ipc.reply == nullptr);
    CHECK(k.last_received(server) == expected);
    CHECK(server.registers.argument(kBadgeRegister) == expected.badge);
    CHECK(MessageInfo::from_word(server.registers.argument(kInfoRegister)) == expected.info);
    CHECK(IpcKernel::status_register(server) == IpcStatus::Ok);
}

} // namespace

TEST_CASE("Call and Reply: a round trip through registers, in either order") {
    IpcKernel k;
    make_objects(k);
    Tcb& server = k.thread(100);
    Tcb& client = k.thread(101);
    bool server_first = GENERATE(true, false);

    if (server_first) {
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        CHECK(server.ipc.reply == &k.reply_object(kReply));
        CHECK(k.reply_object(kReply).receiver == &server);
        CHECK(k.call_endpoint(client, kClientCap, {1, 2, 3}, 0x11) == SendOutcome::Blocked);
    } else {
        CHECK(k.call_endpoint(client, kClientCap, {1, 2, 3}, 0x11) == SendOutcome::Blocked);
        CHECK(client.state == ThreadState::BlockedOnSend);
        CHECK(client.ipc.is_call);
        CHECK(k.reply_object(kReply).caller == nullptr);
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Received);
    }
    require_served(k, server, message(0x11, 3, kClientBadge));
    CHECK(k.words(server, 3) == std::vector<u64>{1, 2, 3});
    require_parked(k, client);
    CHECK(k.endpoint(kEndpoint).queue.empty());
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);

    client.registers.set_result(5, 0xdead); // a word the two-word answer leaves alone
    k.reply(server, kReply, {7, 8}, 0x22);
    CHECK(client.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(client));
    CHECK(client.ipc.waiting_on == 0);
    CHECK(k.last_received(client) == message(0x22, 2, 0)); // an answer carries badge 0
    CHECK(k.deliveries(client) == 1);
    CHECK(k.status_count(client) == 0);
    CHECK(client.registers.argument(kBadgeRegister) == 0);
    CHECK(MessageInfo::from_word(client.registers.argument(kInfoRegister)) == info_of(2, 0x22));
    CHECK(IpcKernel::status_register(client) == IpcStatus::Ok);
    CHECK(k.words(client, 2) == std::vector<u64>{7, 8});
    CHECK(client.registers.argument(5) == 0xdead);
    CHECK(client.registers.sepc == kStartPc);
    CHECK(k.reply_object(kReply).caller == nullptr);
    CHECK(k.reply_object(kReply).receiver == nullptr);
    CHECK(k.reply_object(kReply).can_grant == 0);
    // The replier was told nothing by the core: the trap path ends its Reply.
    CHECK(k.deliveries(server) == 1);
    CHECK(k.status_count(server) == 0);
}

TEST_CASE("Call and Reply: long messages go through both IPC buffers") {
    IpcKernel k;
    make_objects(k);
    Tcb& server = k.thread(100);
    Tcb& client = k.thread(101);
    k.give_buffer(server);
    k.give_buffer(client);
    auto request = count_from(1000, MessageInfo::kMaxMessageLength);
    auto answer = count_from(5000, 50);

    CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    CHECK(k.call_endpoint(client, kClientCap, request, 0x123) == SendOutcome::Blocked);
    require_served(k, server, message(0x123, MessageInfo::kMaxMessageLength, kClientBadge));
    CHECK(k.words(server, MessageInfo::kMaxMessageLength) == request);
    require_parked(k, client);

    k.reply(server, kReply, answer, 0x456);
    CHECK(k.last_received(client) == message(0x456, 50, 0));
    CHECK(k.words(client, 50) == answer);
    CHECK(client.state == ThreadState::Running);

    SECTION("an answer to a caller without a buffer is cut to the register words") {
        k.buffers.erase(&client);
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        CHECK(k.call_endpoint(client, kClientCap, {9}) == SendOutcome::Blocked);
        k.reply(server, kReply, answer, 1);
        CHECK(k.last_received(client) == message(1, kMessageRegisterCount, 0));
        CHECK(k.words(client, 4) == count_from(5000, 4));
    }
}

TEST_CASE("Call: a receiver without a Reply object gets the message, the caller NoReply at once") {
    IpcKernel k;
    make_objects(k);
    Tcb& server = k.thread(100);
    Tcb& client = k.thread(101);

    SECTION("the receiver was waiting") {
        CHECK(k.receive(server, kServerCap) == ReceiveOutcome::Blocked);
        CHECK(k.call_endpoint(client, kClientCap, {4, 5}, 9) == SendOutcome::Delivered);
    }
    SECTION("the caller was waiting") {
        CHECK(k.call_endpoint(client, kClientCap, {4, 5}, 9) == SendOutcome::Blocked);
        CHECK(k.receive(server, kServerCap) == ReceiveOutcome::Received);
    }
    require_served(k, server, message(9, 2, kClientBadge));
    CHECK(k.words(server, 2) == std::vector<u64>{4, 5});
    CHECK(client.state == ThreadState::Running);
    CHECK(client.runnable());
    CHECK(client.ipc.waiting_on == 0);
    CHECK_FALSE(client.ipc.is_call);
    CHECK(k.last_status(client) == StatusRecord{IpcStatus::NoReply, 0});
    CHECK(k.status_count(client) == 1);
    CHECK(IpcKernel::status_register(client) == IpcStatus::NoReply);
    CHECK(k.deliveries(client) == 0);
    CHECK(client.registers.sepc == kStartPc);
    CHECK(k.reply_object(kReply).caller == nullptr);
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
}

TEST_CASE("Call: needs write and grant or grant-reply; nothing is sent without them") {
    IpcKernel k;
    make_objects(k);
    REQUIRE(k.copy(32, kEndpoint, Rights::kWrite) == success());
    REQUIRE(k.copy(33, kEndpoint, Rights::kRead | Rights::kGrant | Rights::kGrantReply) == success());
    REQUIRE(k.copy(34, kEndpoint, Rights::kWrite | Rights::kGrantReply) == success());
    REQUIRE(k.copy(35, kEndpoint, Rights::kWrite | Rights::kGrant) == success());
    Tcb& server = k.thread(100);
    Tcb& client = k.thread(101);
    CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);

    for (u64 refused : {u64{32}, u64{33}, u64{kNotification}, u64{kReply}}) {
        INFO("capability slot " << refused);
        Unchanged unchanged(k);
        auto call = send_ipc(client, k.cap(refused), info_of(1), Blocking::Yes, true);
        REQUIRE_FALSE(call.ok());
        CHECK(call.error() == IpcStatus::InvalidCapability);
        CHECK(client.state == ThreadState::Running);
        CHECK(server.state == ThreadState::BlockedOnReceive);
        CHECK(k.reply_object(kReply).receiver == &server);
        CHECK(k.deliveries(server) == 0);
        CHECK(k.status_count(client) == 0);
    }
    // A plain Send needs only write.
    Tcb& sender = k.thread(102);
    CHECK(k.send(sender, 32, {1}) == SendOutcome::Delivered);
    CHECK(k.last_received(server) == message(0, 1, 0));

    u64 allowed = GENERATE(u64{34}, u64{35});
    INFO("capability slot " << allowed);
    CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    CHECK(k.call_endpoint(client, allowed, {2}) == SendOutcome::Blocked);
    require_parked(k, client);
    CHECK(k.words(server, 1) == std::vector<u64>{2});
}

TEST_CASE("Reply: capabilities travel only with the grant right of the receiver's capability") {
    bool server_can_grant = GENERATE(true, false);
    bool server_first = GENERATE(true, false);
    INFO("server grants " << server_can_grant << ", server first " << server_first);
    IpcKernel k;
    make_objects(k, Rights::kRead | (server_can_grant ? Rights::kGrant : 0));
    // The caller's own capability grants nothing: only the server's right counts.
    REQUIRE(k.copy(32, kEndpoint, Rights::kWrite | Rights::kGrantReply) == success());
    Tcb& server = k.thread(100);
    Tcb& client = k.thread(101);
    k.give_buffer(server);
    k.give_buffer(client);
    k.set_receive_slot(client, kReceived);

    if (server_first) {
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        CHECK(k.call_endpoint(client, 32, {1}) == SendOutcome::Blocked);
    } else {
        CHECK(k.call_endpoint(client, 32, {1}) == SendOutcome::Blocked);
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Received);
    }
    require_parked(k, client, server_can_grant);

    // A capability to the endpoint itself: an answer unwraps nothing, so it is copied.
    k.set_extra_caps(server, {kEndpoint});
    k.reply(server, kReply, {6}, 3, 1);
    ReceivedMessage got = *k.last_received(client);
    CHECK(got.info.length == 1);
    CHECK(got.info.caps_unwrapped == 0);
    CHECK(k.words(client, 1) == std::vector<u64>{6});
    if (server_can_grant) {
        CHECK(got.info.extra_caps == 1);
        CHECK(k.cap(kReceived).type() == CapType::Endpoint);
        CHECK(k.cap(kReceived).address() == k.cap(kEndpoint).address());
        CHECK(is_child_of(k.slot(kEndpoint), k.slot(kReceived)));
    } else {
        CHECK(got.info.extra_caps == 0);
        CHECK(k.slot(kReceived).is_empty());
    }
}

TEST_CASE("Reply: without a caller nothing happens") {
    IpcKernel k;
    make_objects(k);
    Tcb& server = k.thread(100);
    Tcb& client = k.thread(101);
    {
        Unchanged unchanged(k);
        k.reply(server, kReply, {1, 2}, 5);
        CHECK(k.reply_object(kReply).caller == nullptr);
        CHECK(k.deliveries(client) == 0);
        CHECK(k.deliveries(server) == 0);
        CHECK(k.status_count(server) == 0);
    }
    // After an answer the object is empty again: a second Reply reaches nobody.
    CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    CHECK(k.call_endpoint(client, kClientCap, {1}) == SendOutcome::Blocked);
    k.reply(server, kReply, {2}, 1);
    CHECK(k.deliveries(client) == 1);
    k.reply(server, kReply, {3}, 2);
    CHECK(k.deliveries(client) == 1);
    CHECK(k.words(client, 1) == std::vector<u64>{2});
    CHECK(client.state == ThreadState::Running);
}

TEST_CASE("Recv with a Reply object still holding a caller drops it with Cancelled") {
    IpcKernel k;
    make_objects(k);
    Tcb& server = k.thread(100);
    Tcb& client = k.thread(101);
    CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    CHECK(k.call_endpoint(client, kClientCap, {1}) == SendOutcome::Blocked);
    require_parked(k, client);

    SECTION("another Reply object leaves the caller waiting") {
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kOtherReply) == ReceiveOutcome::Blocked);
        require_parked(k, client);
        CHECK(k.reply_object(kOtherReply).receiver == &server);
    }
    SECTION("the same one, blocking") {
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        CHECK(k.reply_object(kReply).receiver == &server);
    }
    SECTION("the same one, NBRecv with nothing pending") {
        CHECK(k.receive(server, kServerCap, Blocking::No, kReply) == ReceiveOutcome::NothingPending);
        CHECK(k.reply_object(kReply).receiver == nullptr);
    }
    SECTION("the same one, ended at once by a bound signal") {
        REQUIRE(bind_notification(server, k.cap(kNotification)).ok());
        k.signal(kNotification);
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Signalled);
        CHECK(k.reply_object(kReply).receiver == nullptr);
    }
    if (k.reply_object(kReply).caller == nullptr) {
        CHECK(client.state == ThreadState::Running);
        CHECK(k.runnable_in_scheduler(client));
        CHECK(client.ipc.waiting_on == 0);
        CHECK(k.last_status(client) == StatusRecord{IpcStatus::Cancelled, 0});
        CHECK(IpcKernel::status_register(client) == IpcStatus::Cancelled);
        CHECK(k.deliveries(client) == 0);
        CHECK(k.restarts(client) == 0);
        CHECK(client.registers.sepc == kStartPc); // its message went: the Call is not made again
        CHECK(k.reply_object(kReply).can_grant == 0);
        // A late answer through the object reaches nobody.
        k.reply(k.tcb(100), kReply, {9}, 9);
        CHECK(k.deliveries(client) == 0);
    }
}

TEST_CASE("Recv with a Reply object another receiver waits with: ReplyInUse, nothing changes") {
    IpcKernel k;
    make_objects(k);
    k.make_endpoint(24);
    Tcb& first = k.thread(100);
    Tcb& second = k.thread(101);
    CHECK(k.receive(first, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    Blocking blocking = GENERATE(Blocking::Yes, Blocking::No);
    u64 endpoint = GENERATE(u64{kServerCap}, u64{24}); // the same endpoint or another
    {
        Unchanged unchanged(k);
        auto refused = receive_ipc(second, k.cap(endpoint), &k.reply_object(kReply), blocking);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error() == IpcStatus::ReplyInUse);
    }
    CHECK(second.state == ThreadState::Running);
    CHECK(second.ipc.reply == nullptr);
    CHECK(k.status_count(second) == 0);
    CHECK(k.deliveries(second) == 0);
    CHECK(k.reply_object(kReply).receiver == &first);
    CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&first});
    CHECK(k.endpoint(24).queue.empty());
    // A wrong endpoint capability is reported first.
    auto wrong = receive_ipc(second, k.cap(kNotification), &k.reply_object(kReply), blocking);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error() == IpcStatus::InvalidCapability);
    // Once the first receiver has its message, the object is free again.
    Tcb& client = k.thread(102);
    CHECK(k.send(client, kClientCap, {1}) == SendOutcome::Delivered);
    CHECK(k.reply_object(kReply).receiver == nullptr);
    CHECK(k.receive(second, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
    CHECK(k.reply_object(kReply).receiver == &second);
}

TEST_CASE("Call and Reply: the woken threads enter the scheduler at their priority") {
    IpcKernel k;
    make_objects(k);

    SECTION("a Call to a higher server runs it; its answer lets the caller run once it blocks") {
        Tcb& server = k.thread(100, 50);
        Tcb& client = k.thread(101, 10);
        Tcb& bystander = k.thread(102, 10);
        k.dispatch(server);
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        k.dispatch(client, 1);
        CHECK(k.call_endpoint(client, kClientCap, {1}) == SendOutcome::Blocked);
        CHECK(k.scheduler.current() == nullptr); // the caller left the CPU
        k.dispatch(server, 2);
        k.reply(server, kReply, {2});
        CHECK(k.runnable_in_scheduler(client));
        k.dispatch(server, 3); // higher: it goes on
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        // The answered caller joined its level behind the thread already waiting there.
        k.dispatch(bystander, 4);
        CHECK(k.scheduler.queues().highest() == &client.schedule);
    }
    SECTION("an answer to a higher caller preempts the server, which keeps its turn") {
        Tcb& server = k.thread(100, 10);
        Tcb& client = k.thread(101, 50);
        Tcb& equal = k.thread(102, 10);
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        k.dispatch(client);
        CHECK(k.call_endpoint(client, kClientCap, {1}) == SendOutcome::Blocked);
        k.dispatch(equal, 1); // the server was woken behind it
        k.scheduler.yield();
        k.dispatch(server, 2);
        k.reply(server, kReply, {2});
        k.dispatch(client, 3);
        // The preempted server waits at the front of its level, before `equal`.
        CHECK(k.scheduler.queues().highest() == &server.schedule);
    }
    SECTION("a dropped caller and a NoReply caller go to the back of their level") {
        Tcb& server = k.thread(100, 30);
        Tcb& parked = k.thread(101, 10);
        Tcb& queued = k.thread(102, 10);
        Tcb& late = k.thread(103, 10);
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);
        CHECK(k.call_endpoint(parked, kClientCap, {1}) == SendOutcome::Blocked);
        CHECK(k.call_endpoint(late, kClientCap, {2}) == SendOutcome::Blocked); // queued as a sender
        k.dispatch(server);
        CHECK(k.receive(server, kServerCap, Blocking::No) == ReceiveOutcome::Received); // `late`: NoReply
        CHECK(k.last_status(late) == StatusRecord{IpcStatus::NoReply, 0});
        CHECK(k.receive(server, kServerCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked); // drops `parked`
        CHECK(k.last_status(parked) == StatusRecord{IpcStatus::Cancelled, 0});
        k.dispatch(queued, 1);
        CHECK(k.scheduler.queues().highest() == &late.schedule);
        k.scheduler.make_unrunnable(queued);
        k.dispatch(late, 2);
        k.scheduler.make_unrunnable(late);
        k.dispatch(parked, 3);
    }
}
