// Call and Reply with words in registers: whichever side comes first waits, the label and
// words arrive as sent, an unbadged capability's badge is 0, and the answer through the
// Reply object comes back with its own label and words (badge 0, status Ok).
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

constexpr u64 kLongLabel = 0xf'ffff'ffff'ffff; // every one of the label's 52 bits
constexpr user::IpcMessage kRequest = pattern_message(0x123, 3, 1);
constexpr user::IpcMessage kAnswer = pattern_message(kLongLabel, 4, 2);

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_server;
ThreadResults g_client;
EventLog g_log;

// Waits first: receives, answers, and ends.
void server(u64) {
    g_server.add(g_endpoint.recv(g_reply));
    g_log.add('S');
    g_server.add(status_result(g_reply.reply(kAnswer)));
    g_log.add('s');
}

// Calls first: waits in the endpoint's queue until the root task receives.
void client(u64) {
    g_client.add(g_endpoint.call(kRequest));
    g_log.add('C');
}

} // namespace

ROOTTASK_TEST(IPC0001, "Call and Reply: label and words in registers, badge 0, answer Ok, either side first") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    g_server.clear();
    g_client.clear();
    g_log.clear();

    // The receiver waits first; the root task's Call runs it at once (it is higher), and it
    // answers and ends before the Call returns.
    user::Tcb receiver = REQUIRE_OK(t, make_stopped_thread(t, "ipc-server", server, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, receiver.resume());
    t.expect(g_server.count == 0, "the server returned from Recv with nobody sending: {}", g_server.at(0));
    g_log.add('1');
    user::IpcMessage answer = g_endpoint.call(kRequest);
    g_log.add('2');
    expect_message(t, "the server received", g_server.at(0), as_received(kRequest, 0));
    expect_status(t, "the server's Reply", g_server.at(1), IpcStatus::Ok);
    expect_message(t, "the root task's Call returned", answer, as_received(kAnswer, 0));
    t.expect(g_log.equals("1Ss2"), "events {} (expected 1Ss2)", g_log.view());

    // The caller comes first: it waits in the queue; the root task's Recv takes its message
    // and parks it on the Reply object; the Reply runs it at once.
    g_log.clear();
    user::Tcb caller = REQUIRE_OK(t, make_stopped_thread(t, "ipc-client", client, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, caller.resume());
    t.expect(g_client.count == 0, "the client's Call returned with nobody receiving: {}", g_client.at(0));
    user::IpcMessage request = g_endpoint.recv(g_reply);
    expect_message(t, "the root task received", request, as_received(kRequest, 0));
    t.expect(g_client.count == 0, "the client's Call returned before the answer: {}", g_client.at(0));
    g_log.add('1');
    IpcStatus replied = g_reply.reply(kAnswer);
    g_log.add('2');
    t.expect(replied == IpcStatus::Ok, "the root task's Reply: {}", replied);
    expect_message(t, "the client's Call returned", g_client.at(0), as_received(kAnswer, 0));
    t.expect(g_log.equals("1C2"), "events {} (expected 1C2)", g_log.view());
}
