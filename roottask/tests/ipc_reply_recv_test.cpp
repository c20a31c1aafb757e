// A server in a ReplyRecv loop: each ReplyRecv answers the previous Call through the Reply
// object and receives the next one with it; every caller gets its own answer, and the
// server sees each caller's badge.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kCalls = 6;

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_server;

// Answers each request (of at least one word) with label + 1: its badge, word 0 plus 1,
// its label and its length.
user::IpcMessage answer_to(const user::IpcMessage& request) {
    return user::IpcMessage(MessageInfo{request.label() + 1, 4, 0, 0}, request.badge, request.words[0] + 1,
                            request.label(), request.length());
}

void server(u64) {
    user::IpcMessage request = g_endpoint.recv(g_reply);
    for (;;) {
        g_server.add(request);
        request = g_endpoint.reply_recv(g_reply, answer_to(request));
    }
}

} // namespace

ROOTTASK_TEST(IPC0012, "a ReplyRecv loop answers each Call and receives the next, badges told apart") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_server.clear();
    user::Endpoint clients[2] = {user::Endpoint(REQUIRE_OK(t, mint(t, g_endpoint.cap(), user::CapRights::all(), 0xa))),
                                 user::Endpoint(REQUIRE_OK(t, mint(t, g_endpoint.cap(), kWriteGrantReply, 0xb)))};
    user::Tcb server_tcb = REQUIRE_OK(t, make_stopped_thread(t, "ipc-loop", server, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, server_tcb.resume());

    for (u64 i = 0; i < kCalls; ++i) {
        u64 badge = i % 2 == 0 ? 0xa : 0xb;
        user::IpcMessage request = pattern_message(0xd0 + i, i % 4 + 1, i);
        user::IpcMessage answer = clients[i % 2].call(request);
        user::IpcMessage received = as_received(request, badge);
        expect_message(t, "the server received", g_server.at(i), received);
        expect_message(t, "the answer", answer, as_received(answer_to(received), 0));
    }
    t.expect(g_server.count == kCalls, "the server received {} Calls (expected {})", g_server.count, kCalls);
}
