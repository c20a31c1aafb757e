// Deleting the TCB of a thread blocked in IPC leaves nothing behind: a queued sender or
// receiver is gone from the endpoint's queue, its Reply object is free, a parked caller
// is forgotten (the Reply finds nobody), a waiter is gone from the notification, and a
// bound notification is unbound.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
user::Notification g_notification;

void send_once(u64) { (void)g_endpoint.send(pattern_message(0x1d0, 1, 0)); }
void call_once(u64) { (void)g_endpoint.call(pattern_message(0x1d1, 1, 1)); }
void receive_once(u64) { (void)g_endpoint.recv(g_reply); }
void wait_once(u64) { (void)g_notification.wait(); }

} // namespace

ROOTTASK_TEST(IPC0025, "deleting a thread blocked in IPC removes it from queues, Reply objects and bindings") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_notification = REQUIRE_OK(t, new_notification(t));
    user::Endpoint other = REQUIRE_OK(t, new_endpoint(t));

    user::Tcb sender = REQUIRE_OK(t, start_resumed(t, "ipc-delt-send", send_once, 0, kRoot + 1));
    REQUIRE_OK(t, delete_cap(t, sender.cap()));
    expect_status(t, "NBRecv after the sender's deletion", g_endpoint.nb_recv(), IpcStatus::NothingPending);

    user::Tcb receiver = REQUIRE_OK(t, start_resumed(t, "ipc-delt-recv", receive_once, 0, kRoot + 1));
    REQUIRE_OK(t, delete_cap(t, receiver.cap()));
    expect_status(t, "NBSend after the receiver's deletion", g_endpoint.nb_send(pattern_message(0x1d2, 1, 2)),
                  IpcStatus::NothingPending);
    expect_status(t, "NBRecv with its Reply object", other.nb_recv(g_reply), IpcStatus::NothingPending);

    user::Tcb caller = REQUIRE_OK(t, start_resumed(t, "ipc-delt-call", call_once, 0, kRoot + 1));
    expect_message(t, "the Call", g_endpoint.recv(g_reply), as_received(pattern_message(0x1d1, 1, 1), 0));
    REQUIRE_OK(t, delete_cap(t, caller.cap()));
    expect_status(t, "Reply to the deleted caller", status_result(g_reply.reply(pattern_message(0x1d3, 1, 3))),
                  IpcStatus::Ok);

    user::Tcb waiter = REQUIRE_OK(t, start_resumed(t, "ipc-delt-wait", wait_once, 0, kRoot + 1));
    REQUIRE_OK(t, delete_cap(t, waiter.cap()));
    (void)g_notification.signal();
    user::IpcMessage polled = g_notification.poll();
    t.expect(polled.status == IpcStatus::Ok && polled.badge == 0, "the signal after the waiter's deletion: Poll {}",
             polled.status);

    user::Tcb bound = REQUIRE_OK(t, make_stopped_thread(t, "ipc-delt-bound", wait_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, bound.bind_notification(g_notification));
    REQUIRE_OK(t, delete_cap(t, bound.cap()));
    auto rebound = root_tcb().bind_notification(g_notification);
    t.expect(rebound.ok(), "binding the deleted thread's notification again: {}", outcome(rebound));
    if (rebound.ok()) REQUIRE_OK(t, root_tcb().unbind_notification());
}
