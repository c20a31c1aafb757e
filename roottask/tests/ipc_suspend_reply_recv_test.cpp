// A server suspended in the receive phase of its ReplyRecv (the answer already went)
// leaves the queue, and its a7 now says Recv: resumed, it receives again with the same
// Reply object instead of answering twice, and serves the next Call normally.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr unsigned kA0 = 10;
constexpr unsigned kA6 = 16;
constexpr unsigned kA7 = 17;

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_server;

// Answers with the request's label plus 0x10 and word 0.
void serve_forever(u64) {
    user::IpcMessage request = g_endpoint.recv(g_reply);
    for (;;) {
        g_server.add(request);
        request = g_endpoint.reply_recv(g_reply, user::IpcMessage(MessageInfo{request.label() + 0x10, 1, 0, 0},
                                                                   request.words[0]));
    }
}

} // namespace

ROOTTASK_TEST(IPC0019, "a ReplyRecv suspended in its receive phase becomes a Recv: resumed, it does not answer twice") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_server.clear();
    user::Tcb server = REQUIRE_OK(t, make_stopped_thread(t, "ipc-susp-rr", serve_forever, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, server.resume());

    user::IpcMessage answer = g_endpoint.call(pattern_message(0x140, 1, 1));
    expect_message(t, "the first answer", answer,
                   as_received(user::IpcMessage(MessageInfo{0x150, 1, 0, 0}, pattern_word(1, 0)), 0));
    // The server now waits in the receive phase of its ReplyRecv.
    REQUIRE_OK(t, server.suspend());
    arch::UserContext registers = REQUIRE_OK(t, server.read_registers());
    t.expect(registers.reg(kA7) == static_cast<u64>(Syscall::Recv) && registers.reg(kA0) == g_endpoint.cap().value &&
                 registers.reg(kA6) == g_reply.cap().value,
             "the suspended server's a7 {} (Recv is {}), a0 {}, a6 {}", registers.reg(kA7),
             static_cast<u64>(Syscall::Recv), registers.reg(kA0), registers.reg(kA6));
    expect_status(t, "NBSend to the suspended server", g_endpoint.nb_send(pattern_message(0x141, 1, 2)),
                  IpcStatus::NothingPending);

    REQUIRE_OK(t, server.resume());
    answer = g_endpoint.call(pattern_message(0x142, 1, 3));
    expect_message(t, "the answer after the Resume", answer,
                   as_received(user::IpcMessage(MessageInfo{0x152, 1, 0, 0}, pattern_word(3, 0)), 0));
    t.expect(g_server.count == 2, "the server received {} messages (expected 2)", g_server.count);
    expect_message(t, "the server's second request", g_server.at(1), as_received(pattern_message(0x142, 1, 3), 0));
}
