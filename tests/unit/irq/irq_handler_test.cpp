// IrqHandler: an interrupt signals the bound notification with its badge and masks the
// line until Ack; a line with nobody bound is masked as unhandled; shared lines open only
// when every signalled handler has acked; Clear, rebinding, SetPriority, GetStatus, and
// every refusal.
#include "irq_fixture.hpp"

using namespace irqtest;

namespace {

constexpr u64 kBadge = 0x40;
constexpr u64 kSecondBadge = 0x2;

} // namespace

TEST_CASE("IrqHandler: an interrupt signals the badge, masks the line, completes it; Ack unmasks") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge);
    IrqKernel::clock = 5555;
    k.registers.forget();
    k.interrupt(10);
    CHECK(k.notification(kNotification).state() == NotificationState::Active);
    CHECK(k.notification(kNotification).pending == kBadge);
    CHECK_FALSE(k.delivers(10));
    CHECK(k.plic.line_status(10).value().masked);
    // Masked, then completed at once (enabled for the one completing write).
    const u64 enable = plic_layout::enable_word(kContext, 10);
    CHECK(k.registers.writes() ==
          std::vector<tessera_test::RegisterAccess>{tessera_test::write_of(enable, 0),
                                                    tessera_test::write_of(enable, 1u << 10),
                                                    tessera_test::write_of(plic_layout::claim_complete(kContext), 10),
                                                    tessera_test::write_of(enable, 0)});
    CHECK(k.router.counts().lines_unhandled == 0);
    CHECK(k.status(kHandler) == Status{1, 1, 1, 5555, 10, 0, 1});

    // Until the Ack the line stays masked, whatever else happens.
    k.driver(11, 40, 41, 42, 1);
    k.interrupt(11);
    REQUIRE(k.ack(40) == success());
    CHECK_FALSE(k.delivers(10));

    REQUIRE(k.ack(kHandler) == success());
    CHECK(k.delivers(10));
    CHECK(k.status(kHandler) == Status{1, 0, 1, 5555, 10, 0, 0});
    IrqKernel::clock = 7777;
    k.interrupt(10);
    CHECK(k.notification(kNotification).pending == kBadge); // OR-ed in: the word not taken yet
    CHECK(k.status(kHandler) == Status{1, 1, 2, 7777, 10, 0, 1});
}

TEST_CASE("IrqHandler: the signal wakes a waiting driver with its badge") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge);
    Tcb& waiter = k.thread(100);
    CHECK(k.wait(waiter, kBadged) == ReceiveOutcome::Blocked);
    k.interrupt(10);
    CHECK(waiter.state == ThreadState::Running);
    CHECK(k.runnable_in_scheduler(waiter));
    CHECK(k.last_received(waiter)->badge == kBadge);
    CHECK(k.last_received(waiter)->status == IpcStatus::Ok);
    CHECK(k.notification(kNotification).state() == NotificationState::Idle);
}

TEST_CASE("IrqHandler: with no notification bound, the interrupt is unhandled: masked, not awaited; any Ack opens") {
    IrqKernel k;
    REQUIRE(k.get(10, kLevelHigh, 0, kHandler) == success());
    k.interrupt(10);
    CHECK(k.router.counts().lines_unhandled == 1);
    CHECK_FALSE(k.delivers(10));
    CHECK(k.status(kHandler) == Status{0, 1, 0, 0, 10, 0, 0});
    // A driver that binds late starts its line with an Ack.
    k.make_notification(kNotification);
    REQUIRE(k.set_notification(kHandler, kNotification) == success());
    CHECK_FALSE(k.delivers(10));
    REQUIRE(k.ack(kHandler) == success());
    CHECK(k.delivers(10));
    k.interrupt(10);
    CHECK(k.notification(kNotification).state() == NotificationState::Active);
    CHECK(k.router.counts().lines_unhandled == 1);
}

TEST_CASE("IrqHandler: a shared line signals every bound handler and opens only when all have acked") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge, 1);
    k.driver(10, kSecond, kSecondNotification, kSecondBadged, kSecondBadge, 1);
    REQUIRE(k.get(10, kLevelHigh, 1, 40) == success()); // no notification: not waited for
    k.interrupt(10);
    CHECK(k.notification(kNotification).pending == kBadge);
    CHECK(k.notification(kSecondNotification).pending == kSecondBadge);
    CHECK(k.status(kHandler).awaiting_ack == 1);
    CHECK(k.status(kSecond).awaiting_ack == 1);
    CHECK(k.status(40) == Status{0, 1, 0, 0, 10, 1, 0});

    SECTION("first, then second") {
        REQUIRE(k.ack(kHandler) == success());
        CHECK_FALSE(k.delivers(10));
        REQUIRE(k.ack(40) == success()); // an ack nobody waits for opens nothing
        CHECK_FALSE(k.delivers(10));
        REQUIRE(k.ack(kSecond) == success());
        CHECK(k.delivers(10));
    }
    SECTION("second, then first") {
        REQUIRE(k.ack(kSecond) == success());
        CHECK_FALSE(k.delivers(10));
        REQUIRE(k.ack(kHandler) == success());
        CHECK(k.delivers(10));
    }
    SECTION("an awaited handler's Clear counts as its ack") {
        REQUIRE(k.ack(kHandler) == success());
        REQUIRE(k.clear(kSecond) == success());
        CHECK(k.delivers(10));
        CHECK(k.status(kSecond) == Status{0, 0, 1, 1000, 10, 1, 0});
        k.interrupt(10);
        CHECK(k.status(kSecond).delivered == 1);
        CHECK(k.status(kHandler).delivered == 2);
    }
}

TEST_CASE("IrqHandler: Clear unbinds; SetNotification again rebinds, replacing the notification") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge);
    k.make_notification(kSecondNotification);
    REQUIRE(k.mint(kSecondBadged, kSecondNotification, Rights::kMask, kSecondBadge) == success());
    REQUIRE(k.set_notification(kHandler, kSecondBadged) == success());
    k.interrupt(10);
    CHECK(k.notification(kNotification).state() == NotificationState::Idle);
    CHECK(k.notification(kSecondNotification).pending == kSecondBadge);
    // Rebinding while awaited keeps the line waiting for the driver's Ack.
    REQUIRE(k.set_notification(kHandler, kBadged) == success());
    CHECK(k.status(kHandler).awaiting_ack == 1);
    CHECK_FALSE(k.delivers(10));
    REQUIRE(k.ack(kHandler) == success());

    REQUIRE(k.clear(kHandler) == success());
    CHECK(k.status(kHandler).bound == 0);
    REQUIRE(k.clear(kHandler) == success()); // nothing bound: nothing to do
    k.interrupt(10);
    CHECK(k.notification(kNotification).state() == NotificationState::Idle);
    CHECK(k.router.counts().lines_unhandled == 1);
    CHECK(k.status(kHandler) == Status{0, 1, 1, 1000, 10, 0, 0});
}

TEST_CASE("IrqHandler.SetNotification refuses a missing capability, another type, no write right") {
    IrqKernel k;
    REQUIRE(k.get(10, kLevelHigh, 0, kHandler) == success());
    k.make_notification(kNotification);
    REQUIRE(k.mint(kBadged, kNotification, Rights::kRead, 0) == success());
    k.make_endpoint(40);
    Unchanged unchanged(k);
    CHECK(k.call(kHandler, InvocationLabel::IrqHandlerSetNotification, {}) == error(ErrorCode::TruncatedMessage));
    CHECK(k.set_notification(kHandler, kBadged) == error(ErrorCode::InvalidCapability, {1}));
    CHECK(k.set_notification(kHandler, 40) == error(ErrorCode::InvalidCapability, {1}));
    CHECK(k.set_notification(kHandler, kIrqControl) == error(ErrorCode::InvalidCapability, {1}));
    CHECK(k.status(kHandler).bound == 0);
}

TEST_CASE("IrqHandler.SetPriority sets the line's priority, 1..the controller's highest") {
    IrqKernel k;
    REQUIRE(k.get(10, kLevelHigh, 1, kHandler) == success());
    REQUIRE(k.get(10, kLevelHigh, 1, kSecond) == success());
    k.registers.forget();
    CHECK(k.set_priority(kHandler, 0) == error(ErrorCode::RangeError, {1, 7}));
    CHECK(k.set_priority(kHandler, 8) == error(ErrorCode::RangeError, {1, 7}));
    CHECK(k.set_priority(kHandler, u64{1} << 32 | 1) == error(ErrorCode::RangeError, {1, 7}));
    CHECK(k.call(kHandler, InvocationLabel::IrqHandlerSetPriority, {}) == error(ErrorCode::TruncatedMessage));
    CHECK(k.registers.writes().empty());
    REQUIRE(k.set_priority(kHandler, 7) == success());
    CHECK(k.priority_register(10) == 7);
    // One line, one priority: the last SetPriority of any of its handlers holds.
    REQUIRE(k.set_priority(kSecond, 3) == success());
    CHECK(k.priority_register(10) == 3);
}

TEST_CASE("IrqHandler.GetStatus: words dropped beyond the reply's room; none for an in-kernel call") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge);
    k.interrupt(10);
    std::vector<u64> words;
    CallOptions registers_only;
    registers_only.reply_words = &words;
    registers_only.reply_room = kMessageRegisterCount;
    REQUIRE(k.call(kHandler, InvocationLabel::IrqHandlerGetStatus, {}, {}, registers_only) == success());
    CHECK(words == std::vector<u64>{1, 1, 1, 1000});
    CallOptions no_reply;
    no_reply.no_reply = true;
    CHECK(k.call(kHandler, InvocationLabel::IrqHandlerGetStatus, {}, {}, no_reply) ==
          error(ErrorCode::TruncatedMessage));
}

TEST_CASE("IrqHandler: other labels are IllegalOperation; a capability the table did not make is invalid") {
    IrqKernel k;
    REQUIRE(k.get(10, kLevelHigh, 0, kHandler) == success());
    CHECK(k.call(kHandler, InvocationLabel::IrqControlGet, {10, kLevelHigh, 0, 40, 64}, {Kernel::kRootCNodeSlot}) ==
          error(ErrorCode::IllegalOperation));
    CHECK(k.call(kHandler, InvocationLabel::CNodeCopy, {}) == error(ErrorCode::IllegalOperation));
    k.place_original(50, Capability::irq_handler(10, 9));
    CHECK(k.ack(50) == error(ErrorCode::InvalidCapability, {0}));
    k.place_original(51, Capability::irq_handler(11, k.cap(kHandler).irq_handler_record()));
    CHECK(k.ack(51) == error(ErrorCode::InvalidCapability, {0}));
    // Deleting them releases nothing.
    REQUIRE(k.remove(50) == success());
    REQUIRE(k.remove(51) == success());
    CHECK(k.table().handlers_on(10) == 1);
    CHECK(k.delivers(10));
}

TEST_CASE("IrqHandler: a storm on a level line whose driver never acks stays masked") {
    IrqKernel k;
    k.driver(10, kHandler, kNotification, kBadged, kBadge);
    k.driver(11, kSecond, kSecondNotification, kSecondBadged, kSecondBadge);
    k.interrupt(10);
    // The other line goes on interrupting and being acked; line 10 stays shut.
    for (int round = 0; round < 20; ++round) {
        k.interrupt(11);
        REQUIRE(k.ack(kSecond) == success());
        CHECK_FALSE(k.delivers(10));
    }
    CHECK(k.status(kHandler).delivered == 1);
    CHECK(k.status(kSecond).delivered == 20);
}
