// Wait blocks until a Signal: waiters are served one per Signal, first come first, and a
// woken waiter above the signaller runs before the Signal returns; an equal one at the
// signaller's Yield.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Notification g_notification;
ThreadResults g_waiters[3];
EventLog g_log;

void wait_once(u64 index) {
    g_waiters[index].add(g_notification.wait());
    g_log.add(static_cast<char>('a' + index));
}

} // namespace

ROOTTASK_TEST(NTF0002, "Wait blocks until a Signal; one waiter per Signal in FIFO order; a higher waiter runs at once") {
    g_notification = REQUIRE_OK(t, new_notification(t));
    user::Notification two(REQUIRE_OK(t, mint(t, g_notification.cap(), user::CapRights::all(), 0x2)));
    user::Notification eight(REQUIRE_OK(t, mint(t, g_notification.cap(), user::CapRights::all(), 0x8)));
    g_log.clear();
    const char* names[3] = {"ntf-wait-a", "ntf-wait-b", "ntf-wait-c"};
    const u64 priorities[3] = {kRoot + 1, kRoot + 1, kRoot};
    for (u64 i = 0; i < 3; ++i) g_waiters[i].clear();
    for (u64 i = 0; i < 2; ++i)
        REQUIRE_OK(t, start_resumed(t, names[i], wait_once, i, priorities[i]));
    t.expect(g_waiters[0].count + g_waiters[1].count == 0, "a Wait returned with nothing signalled");

    g_log.add('1');
    (void)two.signal();
    g_log.add('2');
    (void)eight.signal();
    g_log.add('3');
    user::IpcMessage expected;
    expected.badge = 0x2;
    expect_message(t, "the first waiter", g_waiters[0].at(0), expected);
    expected.badge = 0x8;
    expect_message(t, "the second waiter", g_waiters[1].at(0), expected);
    expect_status(t, "Poll afterwards", g_notification.poll(), IpcStatus::NothingPending, 0);

    // A waiter of the root task's priority: it reaches its Wait at the first Yield, and
    // the Signal's wake-up waits for the next one.
    REQUIRE_OK(t, start_resumed(t, names[2], wait_once, 2, priorities[2]));
    user::yield();
    g_log.add('4');
    (void)eight.signal();
    g_log.add('5');
    for (unsigned i = 0; i < kYieldLimit && g_waiters[2].count == 0; ++i) user::yield();
    g_log.add('6');
    expect_message(t, "the equal waiter", g_waiters[2].at(0), expected);
    t.expect(g_log.equals("1a2b345c6"), "events {} (expected 1a2b345c6)", g_log.view());
}
