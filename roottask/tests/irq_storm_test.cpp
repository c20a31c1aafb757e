// A storm: the UART holds its level-triggered line asserted and its driver never acks (nor
// services the device). The driver is told once; the line stays masked; the root task and a
// thread of lower priority than the driver keep taking their turns as before the storm.
#include "irq_support.hpp"

using namespace tessera;
using namespace tessera::roottask::irq_tests;

namespace {

constexpr u64 kBadge = 0x8;
// Long enough for about ten time slices (50 ms each).
constexpr u64 kWindow = 5'000'000; // 500 ms of timebase

user::Notification g_notification;
volatile u64 g_wakeups;

// The driver that never acks: it only counts how often it is woken.
void negligent_driver(u64) {
    for (;;) {
        if (g_notification.wait().status == IpcStatus::Ok) g_wakeups = g_wakeups + 1;
    }
}

// A thread at the root task's priority that counts as fast as it can: the root task's
// Yield hands it the CPU until its time slice ends.
struct Spinner {
    volatile u64 count;
    volatile bool stop;
    volatile bool stopped;
};
Spinner g_spinner;

void spin(u64) {
    while (!g_spinner.stop) g_spinner.count = g_spinner.count + 1;
    g_spinner.stopped = true;
}

// The root task's turns through `kWindow` (it yields to the spinner at each), and in how
// many of them the spinner had counted on since the last. Both are told by the timer's
// slices, not by how fast the host runs QEMU: the machines are shared, so speeds are no
// measure. With `uart` given, the UART asks again at each turn: a storm also on QEMU,
// whose PLIC does not sample a still-asserted line again by itself.
struct Turns {
    u64 total = 0;
    u64 with_progress = 0;
};
Turns turns_in_window(UartUnderTest* uart) {
    Turns turns;
    u64 seen = g_spinner.count;
    u64 until = read_time() + kWindow;
    while (read_time() < until) {
        if (uart != nullptr) uart->raise();
        user::yield();
        u64 now = g_spinner.count;
        ++turns.total;
        if (now != seen) ++turns.with_progress;
        seen = now;
    }
    return turns;
}

} // namespace

ROOTTASK_TEST(IRQ0104, "a storm on a level line whose driver never acks: masked after one signal, others run on") {
    UartUnderTest uart;
    if (!uart.open(t)) return;
    user::IrqHandler handler = REQUIRE_OK(t, get_handler(t, uart.line(), false));
    BadgedNotification notification = REQUIRE_OK(t, new_badged_notification(t, kBadge));
    REQUIRE_OK(t, handler.set_notification(notification.badged));
    g_notification = notification.object;
    g_wakeups = 0;
    REQUIRE_OK(t, start_resumed(t, "irq-negligent", negligent_driver, 0, kRoot + 1));
    g_spinner.count = 0;
    g_spinner.stop = false;
    g_spinner.stopped = false;
    REQUIRE_OK(t, start_resumed(t, "irq-spinner", spin, 0, kRoot));

    const Turns calm = turns_in_window(nullptr);
    const Turns stormy = turns_in_window(&uart);
    const user::IrqHandlerStatus status = status_of(t, handler);
    uart.restore();
    (void)uart.service();

    t.expect(g_wakeups == 1, "the driver was woken {} times, expected once", g_wakeups);
    t.expect(status.delivered == 1 && status.masked && status.awaiting_ack,
             "during the storm: delivered {} masked {} awaiting {}", status.delivered, status.masked,
             status.awaiting_ack);
    // The same work in the same time, within what a loaded host's timing varies by.
    // A storm would leave the CPU in the kernel: neither the root task's turns nor the
    // spinner's counting would go on. Both go on as before (within what timing on a loaded
    // host varies by).
    t.expect(stormy.total * 4 >= calm.total && stormy.with_progress * 2 >= stormy.total,
             "in the storm: {} turns, the spinner counting in {}; before it: {} turns, counting in {}", stormy.total,
             stormy.with_progress, calm.total, calm.with_progress);
    g_spinner.stop = true;
    for (unsigned i = 0; i < kYieldLimit && !g_spinner.stopped; ++i) user::yield();
    t.expect(g_spinner.stopped, "the spinner did not stop");
}
