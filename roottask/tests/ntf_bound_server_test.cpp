// A server in a ReplyRecv loop with a bound notification (a driver's shape: clients and
// interrupts in one wait): a signal between Calls ends its receive phase with Signalled
// and lets go of the Reply object's wait; the next Call is served as before. Deleting the
// endpoint then ends its wait with ObjectDeleted. With the fastpath on, the server blocks
// through the fastpath's ReplyRecv, so this checks that state too.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_server;

void serve_forever(u64) {
    user::IpcMessage request = g_endpoint.recv(g_reply);
    for (;;) {
        g_server.add(request);
        if (request.status == IpcStatus::ObjectDeleted) return;
        // A signal is no Call: the Reply then finds nobody, and the loop receives again.
        request = g_endpoint.reply_recv(g_reply, pattern_message(0x210, 1, request.label()));
    }
}

} // namespace

ROOTTASK_TEST(NTF0008, "a bound server in a ReplyRecv loop: signals between Calls, then its endpoint deleted") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    user::Endpoint other = REQUIRE_OK(t, new_endpoint(t));
    user::Notification notification = REQUIRE_OK(t, new_notification(t));
    user::Notification interrupt(REQUIRE_OK(t, mint(t, notification.cap(), user::CapRights::all(), 0x80)));
    g_server.clear();
    user::Tcb server = REQUIRE_OK(t, make_stopped_thread(t, "ntf-bound-srv", serve_forever, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, server.bind_notification(notification));
    REQUIRE_OK(t, server.resume());

    expect_message(t, "the first answer", g_endpoint.call(pattern_message(0x211, 1, 1)),
                   as_received(pattern_message(0x210, 1, 0x211), 0));
    (void)interrupt.signal();
    user::IpcMessage signalled;
    signalled.badge = 0x80;
    signalled.status = IpcStatus::Signalled;
    expect_message(t, "the server's receive phase after the signal", g_server.at(1), signalled);
    expect_message(t, "the second answer", g_endpoint.call(pattern_message(0x212, 1, 2)),
                   as_received(pattern_message(0x210, 1, 0x212), 0));
    expect_message(t, "the server's request", g_server.at(2), as_received(pattern_message(0x212, 1, 2), 0));

    REQUIRE_OK(t, delete_cap(t, g_endpoint.cap()));
    expect_status(t, "the server's wait on the deleted endpoint", g_server.at(3), IpcStatus::ObjectDeleted);
    expect_status(t, "NBRecv with the server's Reply object", other.nb_recv(g_reply), IpcStatus::NothingPending);
    t.expect(g_server.count == 4, "the server returned {} times (expected 4)", g_server.count);
}
