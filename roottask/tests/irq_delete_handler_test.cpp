// Deleting IrqHandlers before their notifications. A signalled handler of a shared line
// that is deleted counts as having acked; once the line's last handler is gone the line is
// masked and unrouted, so the UART's requests reach nobody; deleting the notifications
// afterwards is harmless; and a new handler of the line meets the request that was held
// back (unbound: masked as unhandled), then, bound and acked, the next one.
#include "irq_support.hpp"

using namespace tessera;
using namespace tessera::roottask::irq_tests;

namespace {

constexpr u64 kFirstBadge = 0x100;
constexpr u64 kSecondBadge = 0x200;
constexpr u64 kThirdBadge = 0x400;

} // namespace

ROOTTASK_TEST(IRQ0106, "deleting handlers first: a deleted handler counts as acked, the last one masks the line") {
    UartUnderTest uart;
    if (!uart.open(t)) return;
    user::IrqHandler first = REQUIRE_OK(t, get_handler(t, uart.line(), true));
    user::IrqHandler second = REQUIRE_OK(t, get_handler(t, uart.line(), true));
    BadgedNotification first_notification = REQUIRE_OK(t, new_badged_notification(t, kFirstBadge));
    BadgedNotification second_notification = REQUIRE_OK(t, new_badged_notification(t, kSecondBadge));
    REQUIRE_OK(t, first.set_notification(first_notification.badged));
    REQUIRE_OK(t, second.set_notification(second_notification.badged));
    uart.raise();
    u64 word = 0;
    t.expect(signal_arrives(first_notification.object, word) && signal_arrives(second_notification.object, word),
             "the shared interrupt did not reach both handlers");

    // The UART asks again. The first acks; the second still holds the line shut until it goes.
    uart.raise();
    REQUIRE_OK(t, first.ack());
    t.expect(stays_quiet(first_notification.object), "the line opened after one of two Acks");
    REQUIRE_OK(t, delete_cap(t, second.cap()));
    t.expect(signal_arrives(first_notification.object, word) && word == kFirstBadge,
             "deleting the awaited handler did not open the line (word {})", kstd::Hex{word});
    t.expect(stays_quiet(second_notification.object), "the deleted handler's notification was signalled");

    // The last handler goes (its interrupt acked): the line is masked and unrouted, whatever
    // the UART does.
    REQUIRE_OK(t, first.ack());
    REQUIRE_OK(t, delete_cap(t, first.cap()));
    uart.raise();
    t.expect(stays_quiet(first_notification.object) && stays_quiet(second_notification.object),
             "a signal came with no handler left");
    REQUIRE_OK(t, delete_cap(t, first_notification.badged.cap()));
    REQUIRE_OK(t, delete_cap(t, first_notification.object.cap()));
    REQUIRE_OK(t, delete_cap(t, second_notification.badged.cap()));
    REQUIRE_OK(t, delete_cap(t, second_notification.object.cap()));

    // A new handler: unbound, it meets the request that waited as unhandled (masked
    // again); bound, its Ack opens the line to the UART's next request.
    user::IrqHandler third = REQUIRE_OK(t, get_handler(t, uart.line(), false));
    u64 until = read_time() + kArrivalLimit;
    while (read_time() < until && !status_of(t, third).masked) {}
    t.expect(status_of(t, third).masked, "the request held back while no handler existed did not arrive");
    BadgedNotification third_notification = REQUIRE_OK(t, new_badged_notification(t, kThirdBadge));
    REQUIRE_OK(t, third.set_notification(third_notification.badged));
    uart.raise();
    REQUIRE_OK(t, third.ack());
    t.expect(signal_arrives(third_notification.object, word) && word == kThirdBadge,
             "the new handler did not get the UART's request (word {})", kstd::Hex{word});
    uart.restore();
    (void)uart.service();
    REQUIRE_OK(t, third.ack());
    t.expect(stays_quiet(third_notification.object), "the serviced UART interrupted");
}
