// A thread without the IrqHandler capability can neither Ack nor bind the line: in its own
// CSpace the handler's pointer does not resolve (a capability fault: the thread stops at
// its ecall) or names an empty slot or another object (InvalidCapability 0,
// IllegalOperation). The driver's line stays masked and bound to the driver's notification
// meanwhile, and the driver's own Ack still works.
#include "irq_support.hpp"

using namespace tessera;
using namespace tessera::roottask::irq_tests;

namespace {

constexpr u64 kBadge = 0x10;
constexpr u64 kOutsiderBadge = 0x20;
// The outsider's CSpace: a CNode of 16 slots with a 60-bit zero guard, so its pointers
// are slot numbers. Slot 1 holds its own notification; slot 2 is empty.
constexpr unsigned kOutsiderRadix = 4;
constexpr u64 kOutsiderNotification = 1;
constexpr u64 kOutsiderEmpty = 2;

struct OutsiderResults {
    user::Error ack_empty;
    user::Error bind_empty;
    user::Error ack_wrong_type;
    user::Error bind_wrong_type;
    volatile bool done;
};
OutsiderResults g_outsider;
volatile bool g_faulting_call_returned;

user::Error outcome_of(const user::Result<void>& result) { return result.ok() ? user::Error{} : result.error(); }

void outsider(u64) {
    const user::Notification own(user::CPtr{kOutsiderNotification});
    const user::IrqHandler empty(user::CPtr{kOutsiderEmpty});
    const user::IrqHandler wrong(user::CPtr{kOutsiderNotification});
    g_outsider.ack_empty = outcome_of(empty.ack());
    g_outsider.bind_empty = outcome_of(empty.set_notification(own));
    g_outsider.ack_wrong_type = outcome_of(wrong.ack());
    g_outsider.bind_wrong_type = outcome_of(wrong.set_notification(own));
    g_outsider.done = true;
}

// Acks through the driver's pointer, which means nothing in this thread's CSpace.
void ack_through_driver_pointer(u64 pointer) {
    (void)user::IrqHandler(user::CPtr{pointer}).ack();
    g_faulting_call_returned = true;
}

// A thread of the root task's address space whose CSpace is `cspace` instead.
user::Result<user::Tcb> thread_in(TestContext& t, user::CNode cspace, kstd::StringView name, user::ThreadEntry entry,
                                  u64 argument) {
    user::Tcb thread = TRY(make_stopped_thread(t, name, entry, argument, kRoot + 1)).tcb;
    TRY(thread.set_space(user::CPtr{0}, cspace, user::cnode_guard_data(0, 64 - kOutsiderRadix), t.own_vspace(), 0));
    return thread;
}

} // namespace

ROOTTASK_TEST(IRQ0103, "a thread without the IrqHandler can neither Ack nor bind the line") {
    UartUnderTest uart;
    if (!uart.open(t)) return;
    user::IrqHandler handler = REQUIRE_OK(t, get_handler(t, uart.line(), false));
    BadgedNotification driver = REQUIRE_OK(t, new_badged_notification(t, kBadge));
    REQUIRE_OK(t, handler.set_notification(driver.badged));
    // One interrupt: the line is masked and waits for the driver's Ack.
    uart.raise();
    u64 word = 0;
    t.expect(signal_arrives(driver.object, word) && word == kBadge, "the driver's interrupt did not arrive");
    uart.restore();
    (void)uart.service();

    user::CNode cspace(REQUIRE_OK(t, t.objects().allocate(ObjectType::CNode, kOutsiderRadix)));
    BadgedNotification own = REQUIRE_OK(t, new_badged_notification(t, kOutsiderBadge));
    REQUIRE_OK(t, cspace.copy(user::SlotPath{kOutsiderNotification, kOutsiderRadix}, t.own_cnode(),
                              user::SlotPath::at(own.badged.cap()), user::CapRights::all()));

    g_outsider = OutsiderResults{};
    user::Tcb outsider_thread = REQUIRE_OK(t, thread_in(t, cspace, "irq-outsider", outsider, 0));
    REQUIRE_OK(t, outsider_thread.resume());
    t.expect(g_outsider.done, "the outsider did not finish");
    t.expect(g_outsider.ack_empty == invalid_capability(0), "Ack through an empty slot: {}", g_outsider.ack_empty);
    t.expect(g_outsider.bind_empty == invalid_capability(0), "SetNotification through an empty slot: {}",
             g_outsider.bind_empty);
    t.expect(g_outsider.ack_wrong_type == kernel_error(ErrorCode::IllegalOperation), "Ack on a notification: {}",
             g_outsider.ack_wrong_type);
    t.expect(g_outsider.bind_wrong_type == kernel_error(ErrorCode::IllegalOperation),
             "SetNotification on a notification: {}", g_outsider.bind_wrong_type);

    g_faulting_call_returned = false;
    user::Tcb faulting = REQUIRE_OK(t, thread_in(t, cspace, "fault-irq-ack", ack_through_driver_pointer,
                                                 handler.cap().value));
    REQUIRE_OK(t, faulting.resume());
    t.expect(!g_faulting_call_returned, "the Ack through the driver's pointer returned");

    user::IrqHandlerStatus status = status_of(t, handler);
    t.expect(status.bound && status.masked && status.awaiting_ack && status.delivered == 1,
             "the driver's handler: bound {} masked {} awaiting {} delivered {}", status.bound, status.masked,
             status.awaiting_ack, status.delivered);
    t.expect(own.object.poll().status == IpcStatus::NothingPending, "the outsider's notification was signalled");
    // The driver's own Ack opens the line; the serviced UART stays quiet.
    REQUIRE_OK(t, handler.ack());
    status = status_of(t, handler);
    t.expect(!status.masked && !status.awaiting_ack, "after the driver's Ack: masked {} awaiting {}", status.masked,
             status.awaiting_ack);
    t.expect(stays_quiet(driver.object), "the quiet UART interrupted");
}
