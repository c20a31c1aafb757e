// The IrqHandler operations' refusals and the small ones: SetPriority accepts 1..the
// controller's highest and refuses 0 (it would silence the line) and anything above;
// SetNotification wants a Notification with write right; Clear unbinds, after which the
// line's interrupt reaches nobody and is masked until an Ack.
#include "irq_support.hpp"

using namespace tessera;
using namespace tessera::roottask::irq_tests;

namespace {

constexpr u64 kBadge = 0x80;
// QEMU's PLIC has priorities 0..7.
constexpr u64 kHighestPriority = 7;

} // namespace

ROOTTASK_TEST(IRQ0108, "IrqHandler refuses priority 0 or above the highest and unwritable notifications; Clear unbinds") {
    UartUnderTest uart;
    if (!uart.open(t)) return;
    user::IrqHandler handler = REQUIRE_OK(t, get_handler(t, uart.line(), false));
    auto silencing = handler.set_priority(0);
    t.expect(failed_with(silencing, range_error(1, kHighestPriority)), "priority 0: {}", outcome(silencing));
    auto too_high = handler.set_priority(kHighestPriority + 1);
    t.expect(failed_with(too_high, range_error(1, kHighestPriority)), "priority 8: {}", outcome(too_high));
    REQUIRE_OK(t, handler.set_priority(kHighestPriority));
    REQUIRE_OK(t, handler.set_priority(1));

    BadgedNotification notification = REQUIRE_OK(t, new_badged_notification(t, kBadge));
    user::Notification read_only(REQUIRE_OK(t, mint(t, notification.object.cap(), kReadOnly, kBadge)));
    auto unwritable = handler.set_notification(read_only);
    t.expect(failed_with(unwritable, invalid_capability(1)), "a read-only notification: {}", outcome(unwritable));
    user::Endpoint endpoint = REQUIRE_OK(t, new_endpoint(t));
    auto not_a_notification = handler.set_notification(user::Notification(endpoint.cap()));
    t.expect(failed_with(not_a_notification, invalid_capability(1)), "an endpoint: {}", outcome(not_a_notification));
    t.expect(!status_of(t, handler).bound, "a refused SetNotification bound something");

    REQUIRE_OK(t, handler.set_notification(notification.badged));
    REQUIRE_OK(t, handler.clear());
    t.expect(!status_of(t, handler).bound, "Clear left the handler bound");
    uart.raise();
    u64 until = read_time() + kArrivalLimit;
    while (read_time() < until && !status_of(t, handler).masked) {}
    user::IrqHandlerStatus cleared = status_of(t, handler);
    t.expect(cleared.masked && !cleared.awaiting_ack && cleared.delivered == 0,
             "an interrupt with nothing bound: masked {} awaiting {} delivered {}", cleared.masked,
             cleared.awaiting_ack, cleared.delivered);
    t.expect(stays_quiet(notification.object), "the cleared notification was signalled");
    uart.restore();
    (void)uart.service();
    REQUIRE_OK(t, handler.ack());
    t.expect(!status_of(t, handler).masked, "the Ack did not open the line");
}
