// A caller suspended while it waits for its answer (its message was delivered) does not
// call again: on Resume its Call returns Cancelled, and the server's Reply meanwhile found
// nobody (Ok, nothing delivered).
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr user::IpcMessage kRequest = pattern_message(0x130, 2, 0x13);

user::Endpoint g_endpoint;
ThreadResults g_caller;

void call_once(u64) { g_caller.add(g_endpoint.call(kRequest)); }

} // namespace

ROOTTASK_TEST(IPC0018, "a caller suspended while waiting for its answer returns Cancelled on Resume; the Reply is lost") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::ReplyObject reply = REQUIRE_OK(t, new_reply_object(t));
    g_caller.clear();
    user::Tcb caller = REQUIRE_OK(t, make_stopped_thread(t, "ipc-susp-reply", call_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, caller.resume());
    expect_message(t, "the Call", g_endpoint.recv(reply), as_received(kRequest, 0));
    REQUIRE_OK(t, caller.suspend());

    expect_status(t, "the Reply to the suspended caller", status_result(reply.reply(pattern_message(0x131, 1, 1))),
                  IpcStatus::Ok);
    t.expect(g_caller.count == 0, "the suspended caller returned: {}", g_caller.at(0));
    REQUIRE_OK(t, caller.resume());
    user::IpcMessage expected = kRequest;
    expected.status = IpcStatus::Cancelled;
    expect_message(t, "the resumed caller's Call", g_caller.at(0), expected);
    t.expect(g_caller.count == 1, "the Call returned {} times", g_caller.count);
    // It did not call again: nothing waits on the endpoint.
    expect_status(t, "NBRecv afterwards", g_endpoint.nb_recv(reply), IpcStatus::NothingPending);
}
