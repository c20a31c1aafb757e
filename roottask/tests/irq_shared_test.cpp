// A shared line: two IrqHandlers of the UART's line, each bound to its own notification,
// are both signalled; with the UART asking again, the line stays masked after the first Ack
// and opens only with the second (in either order), when it interrupts both again at once.
#include "irq_support.hpp"

using namespace tessera;
using namespace tessera::roottask::irq_tests;

namespace {

constexpr u64 kFirstBadge = 0x1;
constexpr u64 kSecondBadge = 0x2;

struct Driver {
    user::IrqHandler handler;
    BadgedNotification notification;
    u64 badge;
};

bool both_signalled(TestContext& t, kstd::StringView when, Driver (&drivers)[2]) {
    bool all = true;
    for (Driver& driver : drivers) {
        u64 word = 0;
        bool arrived = signal_arrives(driver.notification.object, word);
        t.expect(arrived && word == driver.badge, "{}: handler {} arrived {} word {}", when, driver.badge, arrived,
                 kstd::Hex{word});
        all = all && arrived;
    }
    return all;
}

} // namespace

ROOTTASK_TEST(IRQ0105, "a shared line signals both handlers and is unmasked only when both have acked") {
    UartUnderTest uart;
    if (!uart.open(t)) return;
    Driver drivers[2] = {{{}, {}, kFirstBadge}, {{}, {}, kSecondBadge}};
    for (Driver& driver : drivers) {
        driver.handler = REQUIRE_OK(t, get_handler(t, uart.line(), true));
        driver.notification = REQUIRE_OK(t, new_badged_notification(t, driver.badge));
        REQUIRE_OK(t, driver.handler.set_notification(driver.notification.badged));
    }

    uart.raise();
    both_signalled(t, "the first interrupt", drivers);
    for (Driver& driver : drivers) {
        user::IrqHandlerStatus status = status_of(t, driver.handler);
        t.expect(status.shared && status.masked && status.awaiting_ack && status.delivered == 1,
                 "handler {}: shared {} masked {} awaiting {} delivered {}", driver.badge, status.shared,
                 status.masked, status.awaiting_ack, status.delivered);
    }

    // The UART is not serviced and asks again: the line interrupts as soon as it opens.
    for (int round = 0; round < 2; ++round) {
        Driver& first = drivers[round];
        Driver& second = drivers[1 - round];
        uart.raise();
        REQUIRE_OK(t, first.handler.ack());
        t.expect(status_of(t, first.handler).masked, "round {}: the line opened after one of two Acks", round);
        t.expect(stays_quiet(first.notification.object) && stays_quiet(second.notification.object),
                 "round {}: a signal came after one of two Acks", round);
        REQUIRE_OK(t, second.handler.ack());
        both_signalled(t, "after both Acks", drivers);
    }
    for (Driver& driver : drivers) {
        user::IrqHandlerStatus status = status_of(t, driver.handler);
        t.expect(status.delivered == 3, "handler {} was signalled {} times, expected 3", driver.badge,
                 status.delivered);
    }

    // Serviced, both acked: quiet.
    uart.restore();
    (void)uart.service();
    for (Driver& driver : drivers) REQUIRE_OK(t, driver.handler.ack());
    for (Driver& driver : drivers) {
        t.expect(stays_quiet(driver.notification.object), "handler {}: a quiet UART interrupted", driver.badge);
        t.expect(!status_of(t, driver.handler).masked, "handler {}: the line stays masked", driver.badge);
    }
}
