// The UART's interrupt reaches its driver: the bound notification gets the badge, GetStatus
// counts it, timestamps it and says the line is masked; while the driver has not acked, the
// UART, asking again, gets nothing through; Ack unmasks the line and the request that waited
// comes at once; serviced and acked, the UART is quiet until raised.
#include "irq_support.hpp"

using namespace tessera;
using namespace tessera::roottask::irq_tests;

namespace {

constexpr u64 kBadge = 0x40;
constexpr u8 kIdentifiedTransmitterEmpty = 0x02;

} // namespace

ROOTTASK_TEST(IRQ0102, "a UART interrupt signals the badge, is counted and masked until Ack, then comes again") {
    UartUnderTest uart;
    if (!uart.open(t)) return;
    user::IrqHandler handler = REQUIRE_OK(t, get_handler(t, uart.line(), false));
    BadgedNotification notification = REQUIRE_OK(t, new_badged_notification(t, kBadge));
    REQUIRE_OK(t, handler.set_notification(notification.badged));
    user::IrqHandlerStatus before = status_of(t, handler);
    t.expect(before.bound && !before.masked && before.delivered == 0 && before.last_time == 0 &&
                 before.line == uart.line() && !before.shared && !before.awaiting_ack,
             "a fresh bound handler: bound {} masked {} delivered {} time {} line {} shared {} awaiting {}",
             before.bound, before.masked, before.delivered, before.last_time, before.line, before.shared,
             before.awaiting_ack);

    const u64 raised_at = read_time();
    uart.raise();
    u64 word = 0;
    bool arrived = signal_arrives(notification.object, word);
    const u64 seen_at = read_time();
    t.expect(arrived && word == kBadge, "the first interrupt: arrived {} word {} (expected {})", arrived,
             kstd::Hex{word}, kstd::Hex{kBadge});
    user::IrqHandlerStatus first = status_of(t, handler);
    t.expect(first.delivered == 1 && first.masked && first.awaiting_ack && first.bound,
             "after the first: delivered {} masked {} awaiting {}", first.delivered, first.masked, first.awaiting_ack);
    t.expect(first.last_time >= raised_at && first.last_time <= seen_at, "the time {} is not within {}..{}",
             first.last_time, raised_at, seen_at);

    // The UART keeps asking (nobody read its identification register) and asks afresh.
    uart.raise();
    t.expect(stays_quiet(notification.object), "a signal arrived before the Ack");
    t.expect(status_of(t, handler).delivered == 1, "an interrupt was delivered before the Ack");

    // Acked without servicing: the request that waited comes straight through.
    REQUIRE_OK(t, handler.ack());
    arrived = signal_arrives(notification.object, word);
    t.expect(arrived && word == kBadge, "after the Ack: arrived {} word {}", arrived, kstd::Hex{word});
    user::IrqHandlerStatus second = status_of(t, handler);
    t.expect(second.delivered == 2 && second.masked && second.last_time >= first.last_time,
             "after the second: delivered {} masked {} time {}", second.delivered, second.masked, second.last_time);

    // Serviced, then acked: the line falls, and the UART stays quiet until raised again.
    u8 identified = uart.service();
    t.expect(identified == kIdentifiedTransmitterEmpty, "the UART identified {}, expected transmitter empty",
             kstd::Hex{identified});
    REQUIRE_OK(t, handler.ack());
    t.expect(stays_quiet(notification.object), "a serviced UART interrupted again");
    user::IrqHandlerStatus serviced = status_of(t, handler);
    t.expect(!serviced.masked && !serviced.awaiting_ack && serviced.delivered == 2,
             "after servicing: masked {} awaiting {} delivered {}", serviced.masked, serviced.awaiting_ack,
             serviced.delivered);
    uart.raise();
    arrived = signal_arrives(notification.object, word);
    t.expect(arrived && word == kBadge, "raised again: arrived {} word {}", arrived, kstd::Hex{word});
    uart.restore();
    (void)uart.service();
    REQUIRE_OK(t, handler.ack());
    t.expect(status_of(t, handler).delivered == 3, "three interrupts were not counted as three");
}
