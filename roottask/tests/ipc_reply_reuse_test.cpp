// A server that receives again with a Reply object it has not answered drops that caller
// (Cancelled, and a later Reply finds nobody); a Reply object another thread is blocked
// receiving with is refused (ReplyInUse, a0 1: the Reply object), and that thread keeps it.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_threads[3];
EventLog g_log;

void call_once(u64 index) {
    g_threads[index].add(g_endpoint.call(pattern_message(0xe0 + index, 2, index)));
    g_log.add(static_cast<char>('a' + index));
}

void serve_once(u64 index) {
    user::IpcMessage request = g_endpoint.recv(g_reply);
    g_threads[index].add(request);
    g_log.add('S');
    (void)g_reply.reply(pattern_message(0xef, 1, request.label()));
}

user::IpcMessage cancelled(const user::IpcMessage& sent) {
    user::IpcMessage expected = sent;
    expected.status = IpcStatus::Cancelled;
    return expected;
}

} // namespace

ROOTTASK_TEST(IPC0013, "receiving again with an unanswered Reply object cancels its caller; a busy one is ReplyInUse") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_reply = REQUIRE_OK(t, new_reply_object(t));
    for (auto& results : g_threads) results.clear();
    g_log.clear();

    // a calls and is parked on the Reply object; NBRecv with it drops a at once.
    user::Tcb a = REQUIRE_OK(t, make_stopped_thread(t, "ipc-reuse-a", call_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, a.resume());
    expect_message(t, "a's Call", g_endpoint.recv(g_reply), as_received(pattern_message(0xe0, 2, 0), 0));
    g_log.add('1');
    expect_status(t, "NBRecv with a's Reply object", g_endpoint.nb_recv(g_reply), IpcStatus::NothingPending);
    g_log.add('2');
    expect_message(t, "a's Call after the NBRecv", g_threads[0].at(0), cancelled(pattern_message(0xe0, 2, 0)));
    expect_status(t, "Reply to the dropped caller", status_result(g_reply.reply(pattern_message(0xee, 1, 0))),
                  IpcStatus::Ok);
    t.expect(g_threads[0].count == 1, "a returned {} times", g_threads[0].count);

    // b is parked, c waits in the queue: Recv with the Reply object drops b and takes c.
    user::Tcb b = REQUIRE_OK(t, make_stopped_thread(t, "ipc-reuse-b", call_once, 1, kRoot + 1)).tcb;
    user::Tcb c = REQUIRE_OK(t, make_stopped_thread(t, "ipc-reuse-c", call_once, 2, kRoot + 1)).tcb;
    REQUIRE_OK(t, b.resume());
    REQUIRE_OK(t, c.resume());
    expect_message(t, "b's Call", g_endpoint.recv(g_reply), as_received(pattern_message(0xe1, 2, 1), 0));
    g_log.add('3');
    expect_message(t, "c's Call", g_endpoint.recv(g_reply), as_received(pattern_message(0xe2, 2, 2), 0));
    g_log.add('4');
    expect_message(t, "b's Call after the Recv", g_threads[1].at(0), cancelled(pattern_message(0xe1, 2, 1)));
    expect_status(t, "the answer to c", status_result(g_reply.reply(pattern_message(0xed, 1, 2))), IpcStatus::Ok);
    g_log.add('5');
    expect_message(t, "c's Call", g_threads[2].at(0), as_received(pattern_message(0xed, 1, 2), 0));
    t.expect(g_log.equals("1a23b4c5"), "events {} (expected 1a23b4c5)", g_log.view());

    // A server blocked receiving with the Reply object: nobody else may receive with it.
    g_threads[0].clear();
    g_log.clear();
    user::Tcb server = REQUIRE_OK(t, make_stopped_thread(t, "ipc-reuse-srv", serve_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, server.resume());
    expect_status(t, "NBRecv with the server's Reply object", g_endpoint.nb_recv(g_reply), IpcStatus::ReplyInUse, 1);
    expect_status(t, "Recv with the server's Reply object", g_endpoint.recv(g_reply), IpcStatus::ReplyInUse, 1);
    user::IpcMessage answer = g_endpoint.call(pattern_message(0xe5, 1, 5));
    expect_message(t, "the server received", g_threads[0].at(0), as_received(pattern_message(0xe5, 1, 5), 0));
    expect_message(t, "the server's answer", answer, as_received(pattern_message(0xef, 1, 0xe5), 0));
}
