// A ReplyRecv that finds Calls already queued: it answers the caller parked on its Reply
// object, then takes the next caller's message at once and parks that one on the same
// object. A server below its callers, so they queue up while it has not run.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_server;
ThreadResults g_clients[2];
EventLog g_log;

void serve_forever(u64) {
    user::IpcMessage request = g_endpoint.recv(g_reply);
    for (;;) {
        g_server.add(request);
        g_log.add('S');
        request = g_endpoint.reply_recv(g_reply, pattern_message(request.label() + 0x100, 1, request.badge));
    }
}

void call_once(u64 index) {
    g_clients[index].add(g_endpoint.call(pattern_message(0x1f0 + index, 2, index)));
    g_log.add(static_cast<char>('a' + index));
}

} // namespace

ROOTTASK_TEST(IPC0026, "a ReplyRecv with Calls queued answers one and takes the next with the same Reply object") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_server.clear();
    g_log.clear();
    user::Tcb server = REQUIRE_OK(t, start_resumed(t, "ipc-rrq-server", serve_forever, 0, kRoot + 1));
    REQUIRE_OK(t, server.set_priority(kRoot - 1, root_tcb()));
    const char* names[2] = {"ipc-rrq-a", "ipc-rrq-b"};
    for (u64 i = 0; i < 2; ++i) {
        g_clients[i].clear();
        REQUIRE_OK(t, start_resumed(t, names[i], call_once, i, kRoot + 1));
    }
    t.expect(g_log.length == 0, "something ran before the server: {}", g_log.view());

    // The root task goes below the server for a moment: the server runs all it can.
    g_log.add('1');
    auto lowered = root_tcb().set_priority(kRoot - 2, root_tcb());
    auto restored = root_tcb().set_priority(kRoot, root_tcb());
    g_log.add('2');
    t.expect(lowered.ok() && restored.ok(), "lowering the root task: {}, back: {}", outcome(lowered), outcome(restored));
    t.expect(g_log.equals("1SaSb2"), "events {} (expected 1SaSb2)", g_log.view());
    for (u64 i = 0; i < 2; ++i) {
        expect_message(t, "the server received", g_server.at(i), as_received(pattern_message(0x1f0 + i, 2, i), 0));
        expect_message(t, "the client's answer", g_clients[i].at(0),
                       as_received(pattern_message(0x2f0 + i, 1, 0), 0));
    }
}
