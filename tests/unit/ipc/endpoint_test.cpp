// Endpoint queues: rendezvous in both orders, FIFO order of senders and of receivers,
// badges, the non-blocking variants, rights, and the scheduler's view of blocked threads.
#include "ipc_fixture.hpp"

using namespace ipctest;

namespace {

constexpr u64 kEndpoint = 20;

} // namespace

TEST_CASE("Endpoint: a sender blocks until a receiver takes its message and badge") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    REQUIRE(k.mint(21, kEndpoint, Rights::kMask, 0x55) == success());
    Tcb& sender = k.thread(100);
    Tcb& receiver = k.thread(101);

    CHECK(k.send(sender, 21, {1, 2, 3}, 0x77) == SendOutcome::Blocked);
    CHECK(sender.state == ThreadState::BlockedOnSend);
    CHECK_FALSE(k.runnable_in_scheduler(sender));
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Sending);
    CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&sender});

    CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Received);
    ReceivedMessage expected;
    expected.info.label = 0x77;
    expected.info.length = 3;
    expected.badge = 0x55;
    CHECK(k.last_received(receiver) == expected);
    CHECK(k.words(receiver, 3) == std::vector<u64>{1, 2, 3});
    CHECK(receiver.registers.argument(0) == 0x55);
    CHECK(MessageInfo::from_word(receiver.registers.argument(1)) == expected.info);
    CHECK(sender.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(sender));
    CHECK(sender.ipc.waiting_on == 0);
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
    CHECK(k.endpoint(kEndpoint).queue.empty());
    // The sender's Send ends with Ok and nothing received.
    CHECK(k.deliveries(sender) == 0);
    CHECK(k.last_status(sender) == StatusRecord{IpcStatus::Ok, 0});
    CHECK(IpcKernel::status_register(sender) == IpcStatus::Ok);
    CHECK(IpcKernel::status_register(receiver) == IpcStatus::Ok);
    CHECK(k.status_count(receiver) == 0);
}

TEST_CASE("Endpoint: a waiting receiver gets the message at once and becomes runnable") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    Tcb& sender = k.thread(100);
    Tcb& receiver = k.thread(101);

    CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Blocked);
    CHECK(receiver.state == ThreadState::BlockedOnReceive);
    CHECK_FALSE(k.runnable_in_scheduler(receiver));
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Receiving);
    CHECK(k.deliveries(receiver) == 0);

    CHECK(k.send(sender, kEndpoint, {9, 8}, 5) == SendOutcome::Delivered);
    CHECK(sender.state == ThreadState::Running);
    CHECK(receiver.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(receiver));
    REQUIRE(k.last_received(receiver));
    CHECK(k.last_received(receiver)->info.label == 5);
    CHECK(k.last_received(receiver)->badge == 0);
    CHECK(k.words(receiver, 2) == std::vector<u64>{9, 8});
    CHECK(k.last_received(receiver)->status == IpcStatus::Ok);
    CHECK(k.last_status(sender) == StatusRecord{IpcStatus::Ok, 0});
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
}

TEST_CASE("Endpoint: senders are served in the order they came, each with its badge") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    std::vector<Tcb*> senders;
    for (u64 i = 0; i < 4; ++i) {
        REQUIRE(k.mint(30 + i, kEndpoint, Rights::kMask, 100 + i) == success());
        senders.push_back(&k.thread(200 + i));
        CHECK(k.send(*senders.back(), 30 + i, {i}) == SendOutcome::Blocked);
    }
    CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == senders);
    Tcb& receiver = k.thread(300);
    for (u64 i = 0; i < 4; ++i) {
        CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Received);
        CHECK(k.last_received(receiver)->badge == 100 + i);
        CHECK(k.words(receiver, 1) == std::vector<u64>{i});
        CHECK(senders[i]->state == ThreadState::Running);
        CHECK(k.last_status(*senders[i]) == StatusRecord{IpcStatus::Ok, 0});
        for (u64 j = i + 1; j < 4; ++j) {
            CHECK(senders[j]->state == ThreadState::BlockedOnSend);
            CHECK(k.status_count(*senders[j]) == 0);
        }
    }
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
    CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Blocked);
}

TEST_CASE("Endpoint: receivers are served in the order they came") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    std::vector<Tcb*> receivers;
    for (u64 i = 0; i < 3; ++i) {
        receivers.push_back(&k.thread(200 + i));
        CHECK(k.receive(*receivers.back(), kEndpoint) == ReceiveOutcome::Blocked);
    }
    CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == receivers);
    Tcb& sender = k.thread(300);
    for (u64 i = 0; i < 3; ++i) {
        CHECK(k.send(sender, kEndpoint, {40 + i}) == SendOutcome::Delivered);
        CHECK(receivers[i]->state == ThreadState::Running);
        CHECK(k.words(*receivers[i], 1) == std::vector<u64>{40 + i});
        for (u64 j = i + 1; j < 3; ++j) CHECK(k.deliveries(*receivers[j]) == 0);
    }
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
}

TEST_CASE("Endpoint: NBSend without a receiver drops the message; NBRecv without a sender returns nothing") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    Tcb& sender = k.thread(100);
    Tcb& receiver = k.thread(101);

    CHECK(k.send(sender, kEndpoint, {1}, 0, 0, Blocking::No) == SendOutcome::Dropped);
    CHECK(sender.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(sender));
    CHECK(k.endpoint(kEndpoint).queue.empty());
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
    CHECK(k.last_status(sender) == StatusRecord{IpcStatus::NothingPending, 0});
    CHECK(IpcKernel::status_register(sender) == IpcStatus::NothingPending);

    receiver.registers.set_result(0, 0xdead);
    CHECK(k.receive(receiver, kEndpoint, Blocking::No) == ReceiveOutcome::NothingPending);
    CHECK(receiver.state == ThreadState::Running);
    CHECK(receiver.registers.argument(0) == 0); // badge 0: nothing came
    ReceivedMessage nothing;
    nothing.status = IpcStatus::NothingPending;
    CHECK(k.last_received(receiver) == nothing);
    CHECK(IpcKernel::status_register(receiver) == IpcStatus::NothingPending);
    CHECK(k.endpoint(kEndpoint).queue.empty());

    // With a blocked sender, NBRecv takes its message; with a waiting receiver, NBSend delivers.
    CHECK(k.send(sender, kEndpoint, {7}) == SendOutcome::Blocked);
    CHECK(k.receive(receiver, kEndpoint, Blocking::No) == ReceiveOutcome::Received);
    CHECK(k.words(receiver, 1) == std::vector<u64>{7});
    CHECK(IpcKernel::status_register(receiver) == IpcStatus::Ok);
    CHECK(k.last_status(sender) == StatusRecord{IpcStatus::Ok, 0});
    CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Blocked);
    CHECK(k.send(sender, kEndpoint, {8}, 0, 0, Blocking::No) == SendOutcome::Delivered);
    CHECK(k.words(receiver, 1) == std::vector<u64>{8});
    CHECK(k.last_status(sender) == StatusRecord{IpcStatus::Ok, 0});
}

TEST_CASE("Endpoint: send needs write, receive needs read, and the capability must be an endpoint") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    k.make_notification(22);
    REQUIRE(k.copy(30, kEndpoint, Rights::kRead | Rights::kGrant) == success());
    REQUIRE(k.copy(31, kEndpoint, Rights::kWrite | Rights::kGrant) == success());
    Tcb& thread = k.thread(100);
    MessageInfo info = info_of(1);

    auto no_write = send_ipc(thread, k.cap(30), info, Blocking::Yes);
    REQUIRE_FALSE(no_write.ok());
    CHECK(no_write.error() == IpcStatus::InvalidCapability);
    auto no_write_nb = send_ipc(thread, k.cap(30), info, Blocking::No);
    REQUIRE_FALSE(no_write_nb.ok());
    CHECK(no_write_nb.error() == IpcStatus::InvalidCapability);
    auto no_read = receive_ipc(thread, k.cap(31), nullptr, Blocking::Yes);
    REQUIRE_FALSE(no_read.ok());
    CHECK(no_read.error() == IpcStatus::InvalidCapability);
    auto no_read_nb = receive_ipc(thread, k.cap(31), nullptr, Blocking::No);
    REQUIRE_FALSE(no_read_nb.ok());
    CHECK(no_read_nb.error() == IpcStatus::InvalidCapability);
    auto not_endpoint_send = send_ipc(thread, k.cap(22), info, Blocking::Yes);
    REQUIRE_FALSE(not_endpoint_send.ok());
    CHECK(not_endpoint_send.error() == IpcStatus::InvalidCapability);
    auto not_endpoint_receive = receive_ipc(thread, k.cap(22), nullptr, Blocking::Yes);
    REQUIRE_FALSE(not_endpoint_receive.ok());
    CHECK(not_endpoint_receive.error() == IpcStatus::InvalidCapability);
    // Nothing changed, and the core told the thread nothing: the trap path writes the error.
    CHECK(thread.state == ThreadState::Running);
    CHECK(k.endpoint(kEndpoint).queue.empty());
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
    CHECK(k.status_count(thread) == 0);
    CHECK(k.deliveries(thread) == 0);

    CHECK(k.send(thread, 31, {1}) == SendOutcome::Blocked);
    Tcb& receiver = k.thread(101);
    CHECK(k.receive(receiver, 30) == ReceiveOutcome::Received);
}

TEST_CASE("Endpoint: a blocked thread leaves the scheduler, and a woken one rejoins it at its priority") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    Tcb& low = k.thread(100, 5);
    Tcb& high = k.thread(101, 50);
    CHECK(k.scheduler.choose(0) == &high);
    CHECK(k.receive(high, kEndpoint) == ReceiveOutcome::Blocked);
    CHECK(k.scheduler.current() == nullptr);
    CHECK(k.scheduler.choose(1) == &low);
    CHECK(k.send(low, kEndpoint, {1}) == SendOutcome::Delivered);
    // The woken receiver has the higher priority: it runs at the next decision.
    CHECK(k.scheduler.choose(2) == &high);
}

TEST_CASE("Endpoint: Resume does not wake a blocked thread") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    Tcb& receiver = k.thread(100);
    CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Blocked);
    CHECK(k.call(100, InvocationLabel::TcbResume, {}) == success());
    CHECK(receiver.state == ThreadState::BlockedOnReceive);
    CHECK_FALSE(k.runnable_in_scheduler(receiver));
    CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&receiver});
}
