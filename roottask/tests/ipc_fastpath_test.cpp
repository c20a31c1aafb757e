// Short Call / ReplyRecv round trips between the root task and a higher server take the
// kernel's fastpath (every condition of docs/ipc.md holds: no capabilities, at most 4
// words, a receiver waiting with a Reply object, the partner outranking every queued
// thread): DebugFastpathCount grows by one per Call and one per ReplyRecv. With the boot
// argument `fastpath=off` it does not change. The answers are the same either way.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kRoundTrips = 5;

user::Endpoint g_endpoint;
user::ReplyObject g_reply;

// Answers with label + 1 and every word plus one.
user::IpcMessage answer_to(const user::IpcMessage& request) {
    user::IpcMessage answer(MessageInfo{request.label() + 1, request.length(), 0, 0});
    for (u64 i = 0; i < request.length(); ++i) answer.words[i] = request.words[i] + 1;
    return answer;
}

void serve_forever(u64) {
    user::IpcMessage request = g_endpoint.recv(g_reply);
    for (;;) request = g_endpoint.reply_recv(g_reply, answer_to(request));
}

} // namespace

ROOTTASK_TEST(IPC0021, "DebugFastpathCount grows by one per short Call and ReplyRecv, unless booted with fastpath=off") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    user::Tcb server = REQUIRE_OK(t, make_stopped_thread(t, "ipc-fastpath", serve_forever, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, server.resume());

    const u64 before = user::debug_fastpath_count();
    for (u64 i = 0; i < kRoundTrips; ++i) {
        user::IpcMessage request = pattern_message(0x170 + i, i % 5, i);
        user::IpcMessage answer = g_endpoint.call(request);
        expect_message(t, "the answer", answer, as_received(answer_to(request), 0));
    }
    const u64 after = user::debug_fastpath_count();

    bool off = fastpath_turned_off(t);
    // The server's first Recv is no ReplyRecv: each round trip is one Call and one ReplyRecv.
    u64 expected = off ? 0 : 2 * kRoundTrips;
    t.expect(after - before == expected, "the fastpath ran {} times (expected {}, fastpath {})", after - before,
             expected, off ? "off" : "on");
}
