// Notifications: OR of badges, Wait and Poll, FIFO waiters, rights, and a notification
// bound to a thread ending its Recv on an endpoint.
#include "ipc_fixture.hpp"

using namespace ipctest;

namespace {

constexpr u64 kNotification = 20;
constexpr u64 kEndpoint = 21;

void mint_badges(IpcKernel& k) {
    for (u64 bit = 0; bit < 3; ++bit) REQUIRE(k.mint(30 + bit, kNotification, Rights::kMask, u64{1} << bit) == success());
}

// A notification word as Wait and Poll deliver it (Ok), or as it ends a Recv (Signalled).
ReceivedMessage word(u64 badge, IpcStatus status = IpcStatus::Ok) {
    ReceivedMessage m;
    m.badge = badge;
    m.status = status;
    return m;
}

ReceivedMessage signalled(u64 badge) { return word(badge, IpcStatus::Signalled); }

} // namespace

TEST_CASE("Notification: signals OR their badges until a Wait takes the word") {
    IpcKernel k;
    k.make_notification(kNotification);
    mint_badges(k);
    Tcb& waiter = k.thread(100);
    k.signal(30);
    CHECK(k.notification(kNotification).state() == NotificationState::Active);
    k.signal(32);
    k.signal(30);
    CHECK(k.notification(kNotification).pending == 0b101);
    CHECK(k.wait(waiter, kNotification) == ReceiveOutcome::Received);
    CHECK(k.last_received(waiter) == word(0b101));
    CHECK(waiter.registers.argument(0) == 0b101);
    CHECK(IpcKernel::status_register(waiter) == IpcStatus::Ok);
    CHECK(waiter.state == ThreadState::Running);
    CHECK(k.notification(kNotification).state() == NotificationState::Idle);
    CHECK(k.notification(kNotification).pending == 0);
    // The word was taken: the next Wait blocks.
    CHECK(k.wait(waiter, kNotification) == ReceiveOutcome::Blocked);
}

TEST_CASE("Notification: Poll never blocks") {
    IpcKernel k;
    k.make_notification(kNotification);
    mint_badges(k);
    Tcb& poller = k.thread(100);
    poller.registers.set_result(0, 0xdead);
    CHECK(k.wait(poller, kNotification, Blocking::No) == ReceiveOutcome::NothingPending);
    CHECK(k.last_received(poller) == word(0, IpcStatus::NothingPending));
    CHECK(poller.registers.argument(0) == 0);
    CHECK(IpcKernel::status_register(poller) == IpcStatus::NothingPending);
    CHECK(poller.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(poller));
    CHECK(k.notification(kNotification).waiters.empty());
    k.signal(31);
    CHECK(k.wait(poller, kNotification, Blocking::No) == ReceiveOutcome::Received);
    CHECK(k.last_received(poller) == word(0b10));
    CHECK(IpcKernel::status_register(poller) == IpcStatus::Ok);
    CHECK(k.wait(poller, kNotification, Blocking::No) == ReceiveOutcome::NothingPending);
    CHECK(k.last_received(poller) == word(0, IpcStatus::NothingPending));
    // A badge-0 signal is something: Ok with word 0, not NothingPending.
    k.signal(kNotification);
    CHECK(k.wait(poller, kNotification, Blocking::No) == ReceiveOutcome::Received);
    CHECK(k.last_received(poller) == word(0));
}

TEST_CASE("Notification: a signal wakes the first waiter only, with its badge") {
    IpcKernel k;
    k.make_notification(kNotification);
    mint_badges(k);
    Tcb& first = k.thread(100);
    Tcb& second = k.thread(101);
    CHECK(k.wait(first, kNotification) == ReceiveOutcome::Blocked);
    CHECK(k.wait(second, kNotification) == ReceiveOutcome::Blocked);
    CHECK(first.state == ThreadState::BlockedOnNotification);
    CHECK_FALSE(k.runnable_in_scheduler(first));
    CHECK(k.notification(kNotification).state() == NotificationState::Waiting);

    k.signal(32);
    CHECK(first.state == ThreadState::Running);
    CHECK(k.last_received(first) == word(0b100));
    CHECK(second.state == ThreadState::BlockedOnNotification);
    CHECK(k.deliveries(second) == 0);
    CHECK(k.notification(kNotification).pending == 0);
    k.signal(30);
    CHECK(k.last_received(second) == word(0b1));
    CHECK(k.notification(kNotification).state() == NotificationState::Idle);
    // A badge-0 signal still makes the notification active.
    k.signal(kNotification);
    CHECK(k.notification(kNotification).state() == NotificationState::Active);
    CHECK(k.wait(first, kNotification) == ReceiveOutcome::Received);
    CHECK(k.last_received(first) == word(0));
}

TEST_CASE("Notification: Signal needs write, Wait and Poll need read") {
    IpcKernel k;
    k.make_notification(kNotification);
    REQUIRE(k.copy(30, kNotification, Rights::kRead) == success());
    REQUIRE(k.copy(31, kNotification, Rights::kWrite) == success());
    Tcb& thread = k.thread(100);
    k.make_endpoint(kEndpoint);
    CHECK(signal_notification(k.cap(30)).error() == IpcStatus::InvalidCapability);
    CHECK(wait_notification(thread, k.cap(31), Blocking::Yes).error() == IpcStatus::InvalidCapability);
    CHECK(wait_notification(thread, k.cap(31), Blocking::No).error() == IpcStatus::InvalidCapability);
    CHECK(signal_notification(k.cap(kEndpoint)).error() == IpcStatus::InvalidCapability);
    CHECK(wait_notification(thread, k.cap(kEndpoint), Blocking::Yes).error() == IpcStatus::InvalidCapability);
    CHECK(k.notification(kNotification).state() == NotificationState::Idle);
    CHECK(thread.state == ThreadState::Running);
    CHECK(k.status_count(thread) == 0);
    CHECK(k.deliveries(thread) == 0);
    k.signal(31);
    CHECK(k.wait(thread, 30) == ReceiveOutcome::Received);
}

TEST_CASE("Notification: a bound notification ends its thread's Recv on an endpoint") {
    IpcKernel k;
    k.make_notification(kNotification);
    k.make_endpoint(kEndpoint);
    mint_badges(k);
    Tcb& server = k.thread(100);
    Tcb& client = k.thread(101);
    REQUIRE(bind_notification(server, k.cap(kNotification)).ok());
    CHECK(server.bound_notification == &k.notification(kNotification));
    CHECK(k.notification(kNotification).bound == &server);

    SECTION("a signal while it waits wakes it, flagged, and takes it out of the endpoint") {
        CHECK(k.receive(server, kEndpoint) == ReceiveOutcome::Blocked);
        k.signal(31);
        CHECK(server.state == ThreadState::Running);
        CHECK(k.runnable_in_scheduler(server));
        CHECK(k.last_received(server) == signalled(0b10));
        CHECK(server.registers.argument(0) == 0b10);
        CHECK(IpcKernel::status_register(server) == IpcStatus::Signalled);
        CHECK(server.ipc.waiting_on == 0);
        CHECK(k.endpoint(kEndpoint).queue.empty());
        CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
        CHECK(k.notification(kNotification).state() == NotificationState::Idle);
        // A client's send now finds nobody and blocks.
        CHECK(k.send(client, kEndpoint, {1}) == SendOutcome::Blocked);
    }
    SECTION("a pending signal ends Recv at once, before any waiting sender") {
        CHECK(k.send(client, kEndpoint, {1}) == SendOutcome::Blocked);
        k.signal(30);
        k.signal(32);
        CHECK(k.receive(server, kEndpoint) == ReceiveOutcome::Signalled);
        CHECK(k.last_received(server) == signalled(0b101));
        CHECK(IpcKernel::status_register(server) == IpcStatus::Signalled);
        CHECK(client.state == ThreadState::BlockedOnSend);
        CHECK(k.status_count(client) == 0);
        CHECK(k.receive(server, kEndpoint) == ReceiveOutcome::Received);
        CHECK(k.last_received(server)->status == IpcStatus::Ok);
        CHECK(IpcKernel::status_register(server) == IpcStatus::Ok);
    }
    SECTION("a message still ends Recv as a message") {
        CHECK(k.receive(server, kEndpoint) == ReceiveOutcome::Blocked);
        CHECK(k.send(client, kEndpoint, {1}) == SendOutcome::Delivered);
        CHECK(k.last_received(server)->status == IpcStatus::Ok);
        k.signal(30); // the server is not waiting: the signal stays pending
        CHECK(k.notification(kNotification).state() == NotificationState::Active);
    }
    SECTION("unbinding stops it") {
        unbind_notification(server);
        CHECK(k.notification(kNotification).bound == nullptr);
        CHECK(k.receive(server, kEndpoint) == ReceiveOutcome::Blocked);
        k.signal(30);
        CHECK(server.state == ThreadState::BlockedOnReceive);
        CHECK(k.notification(kNotification).state() == NotificationState::Active);
    }
}

TEST_CASE("Notification: binding refuses a second binding, waiters, and a capability without read") {
    IpcKernel k;
    k.make_notification(kNotification);
    k.make_notification(22);
    REQUIRE(k.copy(30, 22, Rights::kWrite) == success());
    Tcb& a = k.thread(100);
    Tcb& b = k.thread(101);
    k.make_endpoint(kEndpoint);
    CHECK(bind_notification(a, k.cap(30)).error().code == ErrorCode::InvalidCapability);
    CHECK(bind_notification(a, k.cap(30)).error().argument == 1);
    CHECK(bind_notification(a, k.cap(kEndpoint)).error().code == ErrorCode::InvalidCapability);
    CHECK(bind_notification(a, k.cap(kEndpoint)).error().argument == 1);
    REQUIRE(bind_notification(a, k.cap(kNotification)).ok());
    CHECK(bind_notification(a, k.cap(22)).error().code == ErrorCode::IllegalOperation);
    CHECK(bind_notification(b, k.cap(kNotification)).error().code == ErrorCode::IllegalOperation);
    CHECK(k.wait(b, 22) == ReceiveOutcome::Blocked);
    Tcb& c = k.thread(102);
    CHECK(bind_notification(c, k.cap(22)).error().code == ErrorCode::IllegalOperation);
    CHECK(c.bound_notification == nullptr);
    CHECK(k.notification(22).bound == nullptr);
}

TEST_CASE("Notification: only the bound thread may wait on a bound notification") {
    IpcKernel k;
    k.make_notification(kNotification);
    Tcb& owner = k.thread(100);
    Tcb& other = k.thread(101);
    REQUIRE(bind_notification(owner, k.cap(kNotification)).ok());
    k.signal(kNotification);
    CHECK(wait_notification(other, k.cap(kNotification), Blocking::No).error() == IpcStatus::InvalidCapability);
    CHECK(wait_notification(other, k.cap(kNotification), Blocking::Yes).error() == IpcStatus::InvalidCapability);
    CHECK(k.notification(kNotification).state() == NotificationState::Active);
    CHECK(k.deliveries(other) == 0);
    CHECK(k.wait(owner, kNotification, Blocking::No) == ReceiveOutcome::Received);
}
