// Call and ReplyRecv between threads of one priority while another thread of that
// priority is runnable: the woken partner joins the back of the queue and the waiting
// thread runs first. The fastpath must not switch straight to the partner then, so the
// order is the same with and without it (its last condition, docs/ipc.md).
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
user::Tcb g_late;
EventLog g_log;

void log_letter(u64 letter) { g_log.add(static_cast<char>(letter)); }

// Runs before the server (it was queued first); queues another thread behind the server.
void log_and_queue_late(u64 letter) {
    g_log.add(static_cast<char>(letter));
    (void)g_late.resume();
}

void serve_forever(u64) {
    user::IpcMessage request = g_endpoint.recv(g_reply);
    for (;;) {
        g_log.add('S');
        request = g_endpoint.reply_recv(g_reply, pattern_message(0x200, 1, request.label()));
    }
}

} // namespace

ROOTTASK_TEST(IPC0027, "Call and ReplyRecv among equals: a thread already runnable goes first, fastpath or not") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_log.clear();
    // The server waits in Recv at the root task's priority.
    user::Tcb server = REQUIRE_OK(t, start_resumed(t, "ipc-eq-server", serve_forever, 0, kRoot + 1));
    REQUIRE_OK(t, server.set_priority(kRoot, root_tcb()));
    g_late = REQUIRE_OK(t, make_stopped_thread(t, "ipc-eq-late", log_letter, 'e', kRoot)).tcb;
    // Runnable, queued at the root task's level before the Call.
    REQUIRE_OK(t, start_resumed(t, "ipc-eq-first", log_and_queue_late, 'b', kRoot));

    const u64 fastpath_before = user::debug_fastpath_count();
    g_log.add('1');
    user::IpcMessage answer = g_endpoint.call(pattern_message(0x201, 1, 1));
    g_log.add('2');
    expect_message(t, "the answer", answer, as_received(pattern_message(0x200, 1, 0x201), 0));
    // b was queued before the server woke; e was queued before the root task woke.
    t.expect(g_log.equals("1bSe2"), "events {} (expected 1bSe2)", g_log.view());
    t.expect(user::debug_fastpath_count() == fastpath_before, "the fastpath ran {} times with equals queued",
             user::debug_fastpath_count() - fastpath_before);
}
