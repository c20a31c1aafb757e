// A notification bound to a thread also ends that thread's Recv on any endpoint: a signal
// pending before the Recv ends it at once, one that arrives while it waits wakes it, both
// with Signalled and the word in a0; a pending signal goes before a queued sender. Only
// the bound thread may Wait or Poll on it. Unbound, signals no longer reach its Recv.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
ThreadResults g_bound;
ThreadResults g_sender;

void receive_forever(u64) {
    for (;;) g_bound.add(g_endpoint.recv());
}

void send_once(u64) { g_sender.add(g_endpoint.send(pattern_message(0x190, 1, 1))); }

} // namespace

ROOTTASK_TEST(NTF0004, "a bound notification ends Recv with Signalled: pending before, arriving during, before senders") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    user::Notification signal_21(REQUIRE_OK(t, mint(t, notification.cap(), user::CapRights::all(), 0x21)));
    user::Notification signal_40(REQUIRE_OK(t, mint(t, notification.cap(), user::CapRights::all(), 0x40)));
    g_bound.clear();
    g_sender.clear();
    user::Tcb bound = REQUIRE_OK(t, make_stopped_thread(t, "ntf-bound", receive_forever, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, bound.bind_notification(notification));

    // Pending before the Recv: the Recv ends at once, then the thread waits again.
    (void)signal_21.signal();
    REQUIRE_OK(t, bound.resume());
    expect_message(t, "Recv with a signal pending", g_bound.at(0), signalled(0x21));
    t.expect(g_bound.count == 1, "the bound thread returned {} times", g_bound.count);

    // While it waits.
    (void)signal_40.signal();
    expect_message(t, "Recv when a signal arrives", g_bound.at(1), signalled(0x40));

    // Only the bound thread may take the word.
    expect_status(t, "Wait by another thread", notification.wait(), IpcStatus::InvalidCapability, 0);
    expect_status(t, "Poll by another thread", notification.poll(), IpcStatus::InvalidCapability, 0);

    // A sender queued and a signal pending while the thread is away: the signal goes first.
    REQUIRE_OK(t, bound.suspend());
    REQUIRE_OK(t, start_resumed(t, "ntf-sender", send_once, 0, kRoot + 1));
    (void)signal_21.signal();
    (void)signal_40.signal();
    REQUIRE_OK(t, bound.resume());
    expect_message(t, "Recv with a signal pending and a sender queued", g_bound.at(2), signalled(0x61));
    expect_message(t, "the Recv after it", g_bound.at(3), as_received(pattern_message(0x190, 1, 1), 0));
    expect_status(t, "the sender's Send", g_sender.at(0), IpcStatus::Ok);

    // Unbound: a signal stays pending, and any holder of the read right may take it.
    REQUIRE_OK(t, bound.unbind_notification());
    (void)signal_40.signal();
    t.expect(g_bound.count == 4, "a signal of the unbound notification reached the Recv: {}", g_bound.at(4));
    user::IpcMessage polled = notification.poll();
    t.expect(polled.status == IpcStatus::Ok && polled.badge == 0x40, "Poll after unbinding: {} word {}", polled.status,
             kstd::Hex{polled.badge});
}
