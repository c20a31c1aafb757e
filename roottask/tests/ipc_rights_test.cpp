// The rights an endpoint capability needs: write for Send and NBSend, read for Recv and
// NBRecv, write and grant or grant-reply for Call. Without them: InvalidCapability, a0 0,
// a1..a5 as they were, and nothing sent or received.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_server;

// Receives with a Reply object and answers every message (a Send's answer goes nowhere).
void server(u64) {
    user::IpcMessage got = g_endpoint.recv(g_reply);
    for (;;) {
        g_server.add(got);
        got = g_endpoint.reply_recv(g_reply, pattern_message(0x6f, 1, got.label()));
    }
}

// Whether the refused call left a1..a5 as sent.
void expect_refused(TestContext& t, kstd::StringView what, const user::IpcMessage& got, const user::IpcMessage& sent) {
    user::IpcMessage expected = sent;
    expected.status = IpcStatus::InvalidCapability;
    expected.badge = 0;
    expect_message(t, what, got, expected);
}

} // namespace

ROOTTASK_TEST(IPC0006, "endpoint rights: Send/NBSend need write, Recv/NBRecv read, Call write and grant or grant-reply") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_server.clear();
    user::Endpoint read_only(REQUIRE_OK(t, mint(t, g_endpoint.cap(), kReadOnly)));
    user::Endpoint write_only(REQUIRE_OK(t, mint(t, g_endpoint.cap(), kWriteOnly)));
    user::Endpoint no_grant(REQUIRE_OK(t, mint(t, g_endpoint.cap(), kReadWrite)));
    user::Endpoint grant_reply(REQUIRE_OK(t, mint(t, g_endpoint.cap(), kWriteGrantReply)));
    user::Endpoint grant(REQUIRE_OK(t, mint(t, g_endpoint.cap(), kWriteGrant)));
    user::Tcb receiver = REQUIRE_OK(t, make_stopped_thread(t, "ipc-rights", server, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, receiver.resume());

    // Refused while a receiver waits: it stays waiting.
    const user::IpcMessage refused = pattern_message(0x61, 4, 0x61);
    expect_refused(t, "Send without write", read_only.send(refused), refused);
    expect_refused(t, "NBSend without write", read_only.nb_send(refused), refused);
    expect_refused(t, "Call without write", read_only.call(refused), refused);
    expect_refused(t, "Call with read and write only", no_grant.call(refused), refused);
    t.expect(g_server.count == 0, "a refused send reached the receiver: {}", g_server.at(0));

    // Allowed: a Send with write alone, Calls with grant-reply or grant.
    expect_status(t, "Send with write only", write_only.send(pattern_message(0x62, 1, 0x62)), IpcStatus::Ok);
    expect_message(t, "the Send arrived", g_server.at(0), as_received(pattern_message(0x62, 1, 0x62), 0));
    user::IpcMessage answer = grant_reply.call(pattern_message(0x63, 2, 0x63));
    expect_message(t, "the server got the grant-reply Call", g_server.at(1),
                   as_received(pattern_message(0x63, 2, 0x63), 0));
    expect_message(t, "Call with write and grant-reply", answer, as_received(pattern_message(0x6f, 1, 0x63), 0));
    answer = grant.call(pattern_message(0x64, 2, 0x64));
    expect_message(t, "Call with write and grant", answer, as_received(pattern_message(0x6f, 1, 0x64), 0));
    t.expect(g_server.count == 3, "the server received {} messages (expected 3)", g_server.count);

    // Receiving: write only is refused, a1..a5 keep what the root task had in them (the
    // stub's inputs are not a1..a5 for Recv, so only status and a0 are checked).
    expect_status(t, "Recv without read", write_only.recv(), IpcStatus::InvalidCapability);
    expect_status(t, "NBRecv without read", write_only.nb_recv(), IpcStatus::InvalidCapability);
    expect_status(t, "Recv with read only", read_only.nb_recv(), IpcStatus::NothingPending);
    expect_status(t, "ReplyRecv without read", write_only.reply_recv(g_reply, refused), IpcStatus::InvalidCapability);
}
