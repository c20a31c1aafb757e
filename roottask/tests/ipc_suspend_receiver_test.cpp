// Suspending a thread blocked in Recv or Wait takes it out of the queue (a Reply object it
// named is free again, a signal stays pending); resumed, it makes its call again. Resume
// of a thread that is blocked in IPC changes nothing (as in seL4): it goes on waiting, and
// gets exactly one message.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
user::Notification g_notification;
ThreadResults g_receiver;
ThreadResults g_waiter;

void receive_once(u64) { g_receiver.add(g_endpoint.recv(g_reply)); }
void wait_once(u64) { g_waiter.add(g_notification.wait()); }

} // namespace

ROOTTASK_TEST(IPC0024, "a suspended receiver or waiter leaves its queue and waits again on Resume; Resume of a blocked thread is a no-op") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_notification = REQUIRE_OK(t, new_notification(t));
    user::Endpoint other = REQUIRE_OK(t, new_endpoint(t));
    g_receiver.clear();
    g_waiter.clear();

    user::Tcb receiver = REQUIRE_OK(t, start_resumed(t, "ipc-susp-recv", receive_once, 0, kRoot + 1));
    // (IPC0013 checks ReplyInUse's a0; here only that the object is taken.)
    user::IpcMessage busy = other.nb_recv(g_reply);
    t.expect(busy.status == IpcStatus::ReplyInUse, "NBRecv with the receiver's Reply object: {}", busy.status);
    // Resume while it waits: nothing happens.
    REQUIRE_OK(t, receiver.resume());
    t.expect(g_receiver.count == 0, "Resume ended the Recv: {}", g_receiver.at(0));
    REQUIRE_OK(t, receiver.suspend());
    expect_status(t, "NBSend to the suspended receiver", g_endpoint.nb_send(pattern_message(0x1c0, 1, 0)),
                  IpcStatus::NothingPending);
    expect_status(t, "NBRecv with its Reply object, now free", other.nb_recv(g_reply), IpcStatus::NothingPending);
    REQUIRE_OK(t, receiver.resume());
    t.expect(g_receiver.count == 0, "the resumed Recv returned with nobody sending: {}", g_receiver.at(0));
    expect_status(t, "NBSend to the resumed receiver", g_endpoint.nb_send(pattern_message(0x1c1, 2, 1)), IpcStatus::Ok);
    expect_message(t, "the resumed receiver got", g_receiver.at(0), as_received(pattern_message(0x1c1, 2, 1), 0));
    t.expect(g_receiver.count == 1, "the Recv returned {} times", g_receiver.count);

    user::Tcb waiter = REQUIRE_OK(t, start_resumed(t, "ipc-susp-wait", wait_once, 0, kRoot + 1));
    REQUIRE_OK(t, waiter.resume());
    t.expect(g_waiter.count == 0, "Resume ended the Wait: {}", g_waiter.at(0));
    REQUIRE_OK(t, waiter.suspend());
    (void)g_notification.signal();
    t.expect(g_waiter.count == 0, "a suspended waiter got the signal: {}", g_waiter.at(0));
    // The signal is pending: the resumed Wait takes it at once.
    REQUIRE_OK(t, waiter.resume());
    user::IpcMessage word;
    expect_message(t, "the resumed waiter", g_waiter.at(0), word);
    t.expect(g_waiter.count == 1, "the Wait returned {} times", g_waiter.count);
    expect_status(t, "Poll afterwards", g_notification.poll(), IpcStatus::NothingPending);
}
