// Ending waits from outside: CancelBadgedSends, deleting an endpoint or a notification
// with threads in its queue, suspending a blocked thread, deleting a blocked or bound
// thread. No queue may keep a stopped or dead thread, and no thread may keep pointing at
// a deleted object. A wait ended by deletion or cancellation returns a status; only
// suspension makes the system call again.
#include "ipc_fixture.hpp"

using namespace ipctest;

namespace {

constexpr u64 kEndpoint = 20;
constexpr u64 kNotification = 21;

// A waiter whose wait was ended from outside: runnable, out of every queue, its system
// call returning `status` (a6, with a0 0) with nothing received, and not made again.
void require_woken_with(IpcKernel& k, Tcb& thread, IpcStatus status) {
    CHECK(thread.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(thread));
    CHECK(thread.ipc.waiting_on == 0);
    CHECK(thread.ipc.next == nullptr);
    CHECK(thread.ipc.prev == nullptr);
    CHECK(k.last_status(thread) == StatusRecord{status, 0});
    CHECK(k.status_count(thread) == 1);
    CHECK(IpcKernel::status_register(thread) == status);
    CHECK(thread.registers.argument(kBadgeRegister) == 0);
    CHECK(k.restarts(thread) == 0);
    CHECK(thread.registers.sepc == kStartPc);
    CHECK(k.deliveries(thread) == 0);
}

} // namespace

TEST_CASE("CancelBadgedSends: senders with the badge leave with Cancelled; the others keep their order") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    REQUIRE(k.mint(30, kEndpoint, Rights::kMask, 1) == success());
    REQUIRE(k.mint(31, kEndpoint, Rights::kMask, 2) == success());
    const u64 badge_slots[] = {30, 31, 30, 31, 30};
    std::vector<Tcb*> senders;
    for (u64 i = 0; i < 5; ++i) {
        senders.push_back(&k.thread(100 + i));
        REQUIRE(k.send(*senders.back(), badge_slots[i], {i}) == SendOutcome::Blocked);
    }
    cancel_badged_sends(k.endpoint(kEndpoint), 1);
    for (u64 i : {0, 2, 4}) require_woken_with(k, *senders[i], IpcStatus::Cancelled);
    for (u64 i : {1, 3}) CHECK(k.status_count(*senders[i]) == 0);
    CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{senders[1], senders[3]});
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Sending);
    Tcb& receiver = k.thread(200);
    CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Received);
    CHECK(k.words(receiver, 1) == std::vector<u64>{1});
    cancel_badged_sends(k.endpoint(kEndpoint), 2);
    require_woken_with(k, *senders[3], IpcStatus::Cancelled);
    CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
    CHECK(k.endpoint(kEndpoint).queue.empty());
}

TEST_CASE("CancelBadgedSends: receivers and other badges are left alone") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    Tcb& receiver = k.thread(100);
    CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Blocked);
    cancel_badged_sends(k.endpoint(kEndpoint), 0);
    CHECK(receiver.state == ThreadState::BlockedOnReceive);
    CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&receiver});
    CHECK(k.status_count(receiver) == 0);
}

TEST_CASE("Deleting an endpoint wakes every waiter with ObjectDeleted and leaves nothing pointing at it") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    REQUIRE(k.mint(30, kEndpoint, Rights::kMask, 7) == success());
    bool senders = GENERATE(true, false);
    std::vector<Tcb*> waiters;
    for (u64 i = 0; i < 3; ++i) {
        waiters.push_back(&k.thread(100 + i));
        if (senders)
            REQUIRE(k.send(*waiters.back(), 30, {i}) == SendOutcome::Blocked);
        else
            REQUIRE(k.receive(*waiters.back(), 30) == ReceiveOutcome::Blocked);
    }
    Endpoint& endpoint = k.endpoint(kEndpoint);
    // Not the last capability: nothing happens.
    REQUIRE(k.remove(kEndpoint) == success());
    CHECK(IpcKernel::queue_of(endpoint.queue) == waiters);
    for (Tcb* waiter : waiters) CHECK(k.status_count(*waiter) == 0);
    // The last one: every waiter wakes.
    REQUIRE(k.remove(30) == success());
    for (Tcb* waiter : waiters) require_woken_with(k, *waiter, IpcStatus::ObjectDeleted);
    CHECK(endpoint.queue.empty());
    CHECK(endpoint.state() == EndpointState::Idle);
}

TEST_CASE("Deleting a notification wakes its waiters with ObjectDeleted and unbinds its thread") {
    IpcKernel k;
    k.make_notification(kNotification);
    k.make_notification(22);
    k.make_endpoint(kEndpoint);
    Tcb& first = k.thread(100);
    Tcb& second = k.thread(101);
    Tcb& bound = k.thread(102);
    REQUIRE(bind_notification(bound, k.cap(22)).ok());
    CHECK(k.receive(bound, kEndpoint) == ReceiveOutcome::Blocked);
    CHECK(k.wait(first, kNotification) == ReceiveOutcome::Blocked);
    CHECK(k.wait(second, kNotification) == ReceiveOutcome::Blocked);
    Notification& notification = k.notification(kNotification);

    REQUIRE(k.remove(kNotification) == success());
    require_woken_with(k, first, IpcStatus::ObjectDeleted);
    require_woken_with(k, second, IpcStatus::ObjectDeleted);
    CHECK(notification.waiters.empty());
    CHECK(notification.state() == NotificationState::Idle);

    REQUIRE(k.remove(22) == success());
    CHECK(bound.bound_notification == nullptr);
    // Its receive on the endpoint is not affected.
    CHECK(bound.state == ThreadState::BlockedOnReceive);
    CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&bound});
    CHECK(k.status_count(bound) == 0);
}

TEST_CASE("Suspending a blocked thread takes it out of its queue; Resume makes it try again") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    k.make_notification(kNotification);
    Tcb& a = k.thread(100);
    Tcb& b = k.thread(101);
    Tcb& c = k.thread(102);
    Tcb& waiter = k.thread(103);
    for (Tcb* t : {&a, &b, &c}) REQUIRE(k.send(*t, kEndpoint, {t == &a ? 1u : t == &b ? 2u : 3u}) == SendOutcome::Blocked);
    REQUIRE(k.wait(waiter, kNotification) == ReceiveOutcome::Blocked);

    CHECK(k.call(101, InvocationLabel::TcbSuspend, {}) == success());
    CHECK(b.state == ThreadState::Inactive);
    CHECK_FALSE(k.runnable_in_scheduler(b));
    CHECK(b.ipc.waiting_on == 0);
    CHECK(k.restarts(b) == 1);
    CHECK(b.registers.sepc == kEcallPc);
    CHECK(k.status_count(b) == 0); // it did not return: it will make its Send again
    CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&a, &c});

    CHECK(k.call(103, InvocationLabel::TcbSuspend, {}) == success());
    CHECK(waiter.state == ThreadState::Inactive);
    CHECK(k.restarts(waiter) == 1);
    CHECK(waiter.registers.sepc == kEcallPc);
    CHECK(k.status_count(waiter) == 0);
    CHECK(k.notification(kNotification).waiters.empty());
    CHECK(k.notification(kNotification).state() == NotificationState::Idle);
    k.signal(kNotification); // nobody to wake: the signal stays pending
    CHECK(k.notification(kNotification).state() == NotificationState::Active);
    CHECK(k.deliveries(waiter) == 0);

    Tcb& receiver = k.thread(104);
    CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Received);
    CHECK(k.words(receiver, 1) == std::vector<u64>{1});
    CHECK(k.receive(receiver, kEndpoint) == ReceiveOutcome::Received);
    CHECK(k.words(receiver, 1) == std::vector<u64>{3});

    CHECK(k.call(101, InvocationLabel::TcbResume, {}) == success());
    CHECK(b.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(b));
    CHECK(b.registers.sepc == kEcallPc); // at its ecall again

    // Suspending it again while it is not blocked restarts nothing.
    CHECK(k.call(101, InvocationLabel::TcbSuspend, {}) == success());
    CHECK(k.restarts(b) == 1);
}

TEST_CASE("Deleting a blocked thread removes it from the queue") {
    IpcKernel k;
    k.make_endpoint(kEndpoint);
    k.make_notification(kNotification);
    Tcb& a = k.thread(100);
    Tcb& b = k.thread(101);
    Tcb& c = k.thread(102);
    for (Tcb* t : {&a, &b, &c}) REQUIRE(k.receive(*t, kEndpoint) == ReceiveOutcome::Blocked);

    SECTION("in the middle of an endpoint's queue") {
        REQUIRE(k.remove(101) == success());
        CHECK(k.finalised_tcbs == std::vector<u64>{reinterpret_cast<u64>(&b)});
        CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&a, &c});
        Tcb& sender = k.thread(200);
        CHECK(k.send(sender, kEndpoint, {1}) == SendOutcome::Delivered);
        CHECK(k.send(sender, kEndpoint, {2}) == SendOutcome::Delivered);
        CHECK(k.words(c, 1) == std::vector<u64>{2});
        CHECK(k.deliveries(b) == 0);
        CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
    }
    SECTION("every thread of the queue") {
        for (u64 slot : {100, 101, 102}) REQUIRE(k.remove(slot) == success());
        CHECK(k.endpoint(kEndpoint).queue.empty());
        CHECK(k.endpoint(kEndpoint).state() == EndpointState::Idle);
        Tcb& sender = k.thread(200);
        CHECK(k.send(sender, kEndpoint, {1}, 0, 0, Blocking::No) == SendOutcome::Dropped);
    }
    SECTION("a thread bound to a notification is unbound") {
        Tcb& bound = k.thread(103);
        REQUIRE(bind_notification(bound, k.cap(kNotification)).ok());
        REQUIRE(k.receive(bound, kEndpoint) == ReceiveOutcome::Blocked);
        REQUIRE(k.remove(103) == success());
        CHECK(k.notification(kNotification).bound == nullptr);
        k.signal(kNotification);
        CHECK(k.notification(kNotification).state() == NotificationState::Active);
        CHECK(IpcKernel::queue_of(k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&a, &b, &c});
    }
    SECTION("a thread waiting on a notification") {
        Tcb& waiter = k.thread(103);
        REQUIRE(k.wait(waiter, kNotification) == ReceiveOutcome::Blocked);
        REQUIRE(k.remove(103) == success());
        CHECK(k.notification(kNotification).waiters.empty());
        CHECK(k.notification(kNotification).state() == NotificationState::Idle);
    }
}
