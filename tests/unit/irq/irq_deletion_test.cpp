// Deleting IrqHandlers and the notifications they are bound to, in every order: the last
// handler of a line masks, unroutes and unregisters it; a deleted awaited handler counts as
// acked; a deleted notification unbinds every handler bound to it; and no interrupt ever
// reaches a freed object, not even one whose memory holds a new notification.
#include "irq_fixture.hpp"

using namespace irqtest;

namespace {

constexpr u64 kSmallUntyped = 40;
constexpr u64 kBadge = 0x40;

// The line as deleting its last handler leaves it: masked, routed nowhere, priority 0, and
// without the kernel handler.
void require_line_released(IrqKernel& k, u32 line) {
    auto status = k.plic.line_status(line).value();
    CHECK(status.masked);
    CHECK_FALSE(status.target.has_value());
    CHECK_FALSE(k.delivers(line));
    CHECK(k.priority_register(line) == 0);
    CHECK(k.dispatcher.handler_count(VirtualIrq::wired_line(static_cast<u16>(line))) == 0);
    CHECK(k.table().handlers_on(line) == 0);
}

// A notification in `slot` made from a small Untyped of its own, so that revoking the
// Untyped and retyping puts a new notification at the same address.
void make_reusable_notification(IrqKernel& k, u64 slot) {
    REQUIRE(k.retype(Kernel::kUntypedSlot, ObjectType::Untyped, 8, kSmallUntyped) == success());
    REQUIRE(k.retype(kSmallUntyped, ObjectType::Notification, 0, slot) == success());
}

} // namespace

TEST_CASE("Deleting the last IrqHandler of a line masks, unroutes and unregisters it; the line can be had again") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge);
    REQUIRE(k.copy(23, kHandler) == success());
    REQUIRE(k.remove(kHandler) == success());
    CHECK(k.table().handlers_on(10) == 1); // the copy is the same handler
    CHECK(k.delivers(10));
    REQUIRE(k.remove(23) == success());
    require_line_released(k, 10);

    // The line was released: an interrupt that was pending meanwhile finds nobody.
    k.interrupt(10);
    CHECK(k.notification(kNotification).state() == NotificationState::Idle);
    CHECK(k.router.counts().lines_unhandled == 1);
    REQUIRE(k.get(10, kLevelHigh, 0, kHandler) == success());
    CHECK(k.delivers(10));
    CHECK(k.priority_register(10) == 1);
    CHECK(k.status(kHandler) == Status{0, 0, 0, 0, 10, 0, 0});
}

TEST_CASE("Revoking IrqControl deletes every IrqHandler and releases every line") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge, 1);
    REQUIRE(k.get(10, kLevelHigh, 1, kSecond) == success());
    REQUIRE(k.get(11, kEdge, 0, 33) == success());
    k.interrupt(10);
    REQUIRE(k.revoke(kIrqControl) == success());
    CHECK(k.cap(kHandler).is_null());
    CHECK(k.cap(kSecond).is_null());
    CHECK(k.cap(33).is_null());
    require_line_released(k, 10);
    require_line_released(k, 11);
    REQUIRE(k.get(10, kLevelHigh, 0, kHandler) == success());
}

TEST_CASE("Deleting a signalled handler of a shared line counts as its ack") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge, 1);
    k.driver(10, kSecond, kSecondNotification, kSecondBadged, 1, 1);
    k.interrupt(10);
    SECTION("the other one acked before") {
        REQUIRE(k.ack(kHandler) == success());
        REQUIRE(k.remove(kSecond) == success());
        CHECK(k.delivers(10));
    }
    SECTION("the other one acks after") {
        REQUIRE(k.remove(kSecond) == success());
        CHECK_FALSE(k.delivers(10));
        REQUIRE(k.ack(kHandler) == success());
        CHECK(k.delivers(10));
    }
    CHECK(k.table().handlers_on(10) == 1);
    k.interrupt(10);
    CHECK(k.status(kHandler).delivered == 2);
    CHECK(k.notification(kSecondNotification).pending == 1); // only the first interrupt
}

TEST_CASE("Deleting a notification unbinds every handler bound to it and opens a line it held") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge, 1);
    REQUIRE(k.get(10, kLevelHigh, 1, kSecond) == success());
    REQUIRE(k.set_notification(kSecond, kNotification) == success());
    k.driver(11, 33, kSecondNotification, kSecondBadged, 1);
    k.interrupt(10);
    CHECK(k.notification(kNotification).pending == kBadge);
    // Both the minted and the original capability must go before the object does.
    REQUIRE(k.remove(kBadged) == success());
    CHECK(k.status(kHandler).bound == 1);
    REQUIRE(k.remove(kNotification) == success());
    CHECK(k.status(kHandler) == Status{0, 0, 1, 1000, 10, 1, 0});
    CHECK(k.status(kSecond) == Status{0, 0, 1, 1000, 10, 1, 0});
    CHECK(k.delivers(10));
    CHECK(k.status(33).bound == 1); // bound elsewhere: untouched
    k.interrupt(10);
    CHECK(k.router.counts().lines_unhandled == 1);
}

TEST_CASE("No interrupt reaches a deleted notification, in either deletion order") {
    IrqKernel k;
    REQUIRE(k.get(10, kLevelHigh, 0, kHandler) == success());
    make_reusable_notification(k, kNotification);
    const u64 address = k.cap(kNotification).address();
    REQUIRE(k.set_notification(kHandler, kNotification) == success());
    k.interrupt(10);
    REQUIRE(k.ack(kHandler) == success());

    SECTION("notification first, then handler") {
        REQUIRE(k.revoke(kSmallUntyped) == success()); // the finaliser runs through Revoke too
        CHECK(k.status(kHandler).bound == 0);
        REQUIRE(k.retype(kSmallUntyped, ObjectType::Notification, 0, kNotification) == success());
        REQUIRE(k.cap(kNotification).address() == address);
        k.interrupt(10);
        CHECK(k.notification(kNotification).state() == NotificationState::Idle);
        REQUIRE(k.ack(kHandler) == success());
        REQUIRE(k.remove(kHandler) == success());
        require_line_released(k, 10);
    }
    SECTION("handler first, then notification") {
        REQUIRE(k.remove(kHandler) == success());
        require_line_released(k, 10);
        REQUIRE(k.remove(kNotification) == success());
        REQUIRE(k.retype(kSmallUntyped, ObjectType::Notification, 0, kNotification) == success());
        REQUIRE(k.cap(kNotification).address() == address);
        REQUIRE(k.get(10, kLevelHigh, 0, kHandler) == success());
        k.interrupt(10);
        CHECK(k.notification(kNotification).state() == NotificationState::Idle);
    }
    CHECK(k.notification(kNotification).pending == 0);
}

TEST_CASE("Deleting a notification with a driver waiting on it: the waiter learns, the handler lets go") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge);
    Tcb& driver = k.thread(100);
    CHECK(k.wait(driver, kBadged) == ReceiveOutcome::Blocked);
    REQUIRE(k.remove(kBadged) == success());
    REQUIRE(k.remove(kNotification) == success());
    CHECK(k.last_status(driver) == StatusRecord{IpcStatus::ObjectDeleted, 0});
    CHECK(k.status(kHandler).bound == 0);
    k.interrupt(10);
    CHECK(k.deliveries(driver) == 0);
}
