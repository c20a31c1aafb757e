// Deleting the bound notification before the IrqHandler: the handler lets go of it (and
// of the ack it was waiting for), the UART's next request then finds nobody and is masked
// as unhandled, and a new notification made in the very memory of the deleted one is never
// signalled for the old binding. Bound again and acked, the handler works as before; the
// handler itself goes last.
#include "irq_support.hpp"

using namespace tessera;
using namespace tessera::roottask::irq_tests;

namespace {

constexpr unsigned kNotificationUntypedBits = 12;

} // namespace

ROOTTASK_TEST(IRQ0107, "deleting the notification first unbinds the handler; the freed memory is never signalled") {
    UartUnderTest uart;
    if (!uart.open(t)) return;
    user::IrqHandler handler = REQUIRE_OK(t, get_handler(t, uart.line(), false));
    // The notification comes from an Untyped of its own: revoked and retyped, the new
    // notification lies where the old one was.
    user::Untyped memory(REQUIRE_OK(t, t.objects().allocate_untyped(kNotificationUntypedBits)));
    user::CPtr slot = REQUIRE_OK(t, empty_slot(t));
    REQUIRE_OK(t, memory.retype(ObjectType::Notification, 0, t.own_cnode(), 0, 0, slot.value, 1));
    user::Notification notification(slot);
    REQUIRE_OK(t, handler.set_notification(notification));
    uart.raise();
    u64 word = 0;
    t.expect(signal_arrives(notification, word), "the interrupt did not arrive");

    uart.raise(); // a request that waits while the line is masked
    REQUIRE_OK(t, t.own_cnode().revoke(user::SlotPath::at(memory.cap())));
    t.expect(slot_is_empty(t, slot), "revoking the Untyped left the notification");
    user::IrqHandlerStatus unbound = status_of(t, handler);
    t.expect(!unbound.bound && !unbound.awaiting_ack && unbound.delivered == 1,
             "after the notification's deletion: bound {} awaiting {} delivered {}", unbound.bound,
             unbound.awaiting_ack, unbound.delivered);
    // The line opened to the waiting request; nobody is bound: masked as unhandled.
    u64 until = read_time() + kQuietPeriod;
    while (read_time() < until && !status_of(t, handler).masked) {}
    t.expect(status_of(t, handler).masked, "the unbound, still asserted line is not masked");

    REQUIRE_OK(t, memory.retype(ObjectType::Notification, 0, t.own_cnode(), 0, 0, slot.value, 1));
    uart.raise();
    REQUIRE_OK(t, handler.ack()); // opens the line: the UART's request finds nobody again
    t.expect(stays_quiet(notification), "the new notification in the old one's memory was signalled");
    t.expect(status_of(t, handler).delivered == 1, "an interrupt was counted as delivered with nothing bound");

    REQUIRE_OK(t, handler.set_notification(notification));
    uart.raise();
    REQUIRE_OK(t, handler.ack());
    t.expect(signal_arrives(notification, word) && word == 0, "bound again, the handler was not signalled");
    uart.restore();
    (void)uart.service();
    REQUIRE_OK(t, handler.ack());
    REQUIRE_OK(t, delete_cap(t, handler.cap()));
    t.expect(stays_quiet(notification), "a signal came after the handler's deletion");
}
