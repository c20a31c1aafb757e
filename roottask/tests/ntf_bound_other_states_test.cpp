// A bound notification ends only a Recv: a bound thread blocked in Send, or waiting for
// the answer to its Call, goes on waiting while the signal stays pending for its next
// Recv. A Recv ended by a signal lets go of its Reply object. The bound thread itself
// may Poll and NBRecv: NBRecv with a signal pending is Signalled too.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_bound;

// Send, Call, then Recv with the Reply object: each result recorded.
void send_call_receive(u64) {
    g_bound.add(g_endpoint.send(pattern_message(0x1e0, 1, 0)));
    g_bound.add(g_endpoint.call(pattern_message(0x1e1, 1, 1)));
    g_bound.add(g_endpoint.recv(g_reply));
}

} // namespace

ROOTTASK_TEST(NTF0007, "a bound signal ends Recv only (not Send, not a Call's wait); the bound thread may Poll and NBRecv") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    user::ReplyObject root_reply = REQUIRE_OK(t, new_reply_object(t));
    user::Endpoint other = REQUIRE_OK(t, new_endpoint(t));
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    user::Notification badge_1(REQUIRE_OK(t, mint(t, notification.cap(), user::CapRights::all(), 0x1)));
    user::Notification badge_2(REQUIRE_OK(t, mint(t, notification.cap(), user::CapRights::all(), 0x2)));
    g_bound.clear();
    user::Tcb bound = REQUIRE_OK(t, make_stopped_thread(t, "ntf-bound-send", send_call_receive, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, bound.bind_notification(notification));
    REQUIRE_OK(t, bound.resume());

    // Blocked in Send: the signal waits.
    (void)badge_1.signal();
    t.expect(g_bound.count == 0, "a signal ended the bound thread's Send: {}", g_bound.at(0));
    expect_message(t, "the Send", g_endpoint.recv(), as_received(pattern_message(0x1e0, 1, 0), 0));
    expect_status(t, "the bound thread's Send", g_bound.at(0), IpcStatus::Ok);

    // Waiting for the answer to its Call: the signal waits.
    expect_message(t, "the Call", g_endpoint.recv(root_reply), as_received(pattern_message(0x1e1, 1, 1), 0));
    (void)badge_2.signal();
    t.expect(g_bound.count == 1, "a signal ended the bound thread's Call: {}", g_bound.at(1));
    (void)root_reply.reply(pattern_message(0x1e2, 2, 2));
    expect_message(t, "the Call's answer", g_bound.at(1), as_received(pattern_message(0x1e2, 2, 2), 0));

    // Its Recv takes both signals at once, and lets go of the Reply object.
    expect_message(t, "the Recv after the signals", g_bound.at(2), signalled(0x3));
    expect_status(t, "NBRecv with the Reply object it received with", other.nb_recv(g_reply), IpcStatus::NothingPending);

    // The root task, bound itself: Poll, NBRecv and Recv see its own signals.
    REQUIRE_OK(t, bound.unbind_notification());
    REQUIRE_OK(t, root_tcb().bind_notification(notification));
    (void)badge_1.signal();
    user::IpcMessage polled = notification.poll();
    t.expect(polled.status == IpcStatus::Ok && polled.badge == 0x1, "the bound root task's Poll: {} word {}",
             polled.status, kstd::Hex{polled.badge});
    (void)badge_2.signal();
    expect_message(t, "NBRecv with a signal pending", other.nb_recv(), signalled(0x2));
    expect_status(t, "NBRecv then", other.nb_recv(), IpcStatus::NothingPending);
    (void)badge_1.signal();
    expect_message(t, "Recv with a signal pending", other.recv(), signalled(0x1));
    REQUIRE_OK(t, root_tcb().unbind_notification());
}
