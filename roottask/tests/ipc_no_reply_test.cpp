// A Call received without a Reply object is delivered, and the caller returns at once
// with NoReply (a1..a5 as it sent them). Reply with nobody waiting on the Reply object, a
// second Reply included, does nothing and returns Ok.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
ThreadResults g_thread;
EventLog g_log;

void receive_without_reply(u64) {
    g_thread.add(g_endpoint.recv());
    g_log.add('R');
}

void call_once(u64) {
    g_thread.add(g_endpoint.call(pattern_message(0x82, 4, 0x82)));
    g_log.add('C');
}

user::IpcMessage no_reply_to(const user::IpcMessage& sent) {
    user::IpcMessage expected = sent;
    expected.status = IpcStatus::NoReply;
    return expected;
}

} // namespace

ROOTTASK_TEST(IPC0008, "a Call received without a Reply object returns NoReply at once; Reply with nobody waiting is Ok") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::ReplyObject reply = REQUIRE_OK(t, new_reply_object(t));

    // The receiver first: the Call is delivered and returns NoReply.
    g_thread.clear();
    g_log.clear();
    user::Tcb receiver = REQUIRE_OK(t, make_stopped_thread(t, "ipc-no-reply-r", receive_without_reply, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, receiver.resume());
    g_log.add('1');
    const user::IpcMessage request = pattern_message(0x81, 3, 0x81);
    user::IpcMessage called = g_endpoint.call(request);
    g_log.add('2');
    expect_message(t, "the root task's Call", called, no_reply_to(request));
    expect_message(t, "the receiver got", g_thread.at(0), as_received(request, 0));
    t.expect(g_log.equals("1R2"), "events {} (expected 1R2)", g_log.view());

    // The caller first: the root task's Recv without a Reply object ends its Call at once.
    g_thread.clear();
    g_log.clear();
    user::Tcb caller = REQUIRE_OK(t, make_stopped_thread(t, "ipc-no-reply-c", call_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, caller.resume());
    g_log.add('1');
    user::IpcMessage got = g_endpoint.recv();
    g_log.add('2');
    expect_message(t, "the root task received", got, as_received(pattern_message(0x82, 4, 0x82), 0));
    expect_message(t, "the caller's Call", g_thread.at(0), no_reply_to(pattern_message(0x82, 4, 0x82)));
    t.expect(g_log.equals("1C2"), "events {} (expected 1C2)", g_log.view());

    // Nobody waits on the Reply object: nothing happens, twice.
    expect_status(t, "Reply with nobody waiting", status_result(reply.reply(request)), IpcStatus::Ok);
    expect_status(t, "a second Reply", status_result(reply.reply(request)), IpcStatus::Ok);
}
