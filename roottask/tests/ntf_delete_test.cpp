// Deleting a notification wakes its waiters with ObjectDeleted, in order, and unbinds its
// bound thread, which goes on waiting in its Recv for a message and may bind another.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Notification g_notification;
user::Endpoint g_endpoint;
ThreadResults g_results[3];
EventLog g_log;

void wait_once(u64 index) {
    g_results[index].add(g_notification.wait());
    g_log.add(static_cast<char>('a' + index));
}

void receive_forever(u64 index) {
    for (;;) g_results[index].add(g_endpoint.recv());
}

} // namespace

ROOTTASK_TEST(NTF0006, "deleting a notification wakes its waiters with ObjectDeleted and unbinds its thread") {
    g_notification = REQUIRE_OK(t, new_notification(t));
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    for (auto& results : g_results) results.clear();
    g_log.clear();
    REQUIRE_OK(t, start_resumed(t, "ntf-del-a", wait_once, 0, kRoot + 1));
    REQUIRE_OK(t, start_resumed(t, "ntf-del-b", wait_once, 1, kRoot + 1));
    g_log.add('1');
    REQUIRE_OK(t, delete_cap(t, g_notification.cap()));
    g_log.add('2');
    expect_status(t, "the first waiter", g_results[0].at(0), IpcStatus::ObjectDeleted, 0);
    expect_status(t, "the second waiter", g_results[1].at(0), IpcStatus::ObjectDeleted, 0);
    t.expect(g_log.equals("1ab2"), "events {} (expected 1ab2)", g_log.view());

    // The bound thread, blocked in Recv, stays there, unbound.
    g_notification = REQUIRE_OK(t, new_notification(t));
    user::Tcb bound = REQUIRE_OK(t, make_stopped_thread(t, "ntf-del-bound", receive_forever, 2, kRoot + 1)).tcb;
    REQUIRE_OK(t, bound.bind_notification(g_notification));
    REQUIRE_OK(t, bound.resume());
    REQUIRE_OK(t, delete_cap(t, g_notification.cap()));
    t.expect(g_results[2].count == 0, "the bound thread's Recv returned: {}", g_results[2].at(0));
    user::Notification next = REQUIRE_OK(t, new_notification(t));
    auto rebound = bound.bind_notification(next);
    t.expect(rebound.ok(), "binding another notification after the deletion: {}", outcome(rebound));
    expect_status(t, "Send to the bound thread", g_endpoint.send(pattern_message(0x1a0, 1, 1)), IpcStatus::Ok);
    expect_message(t, "its Recv", g_results[2].at(0), as_received(pattern_message(0x1a0, 1, 1), 0));
    (void)next.signal();
    user::IpcMessage signalled;
    signalled.status = IpcStatus::Signalled;
    expect_message(t, "a signal of the new notification", g_results[2].at(1), signalled);
}
