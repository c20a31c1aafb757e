// Deleting an endpoint (its last capability: a copy keeps it) ends the wait of every
// thread queued on it with ObjectDeleted, senders and receivers alike, in queue order; a
// receiver's Reply object is free again. A Call already delivered through it is not
// affected: its caller still gets the answer.
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_results[3];
EventLog g_log;

void send_once(u64 index) {
    g_results[index].add(g_endpoint.send(pattern_message(0x100, 1, index)));
    g_log.add(static_cast<char>('a' + index));
}

void call_once(u64 index) {
    g_results[index].add(g_endpoint.call(pattern_message(0x101, 2, index)));
    g_log.add(static_cast<char>('a' + index));
}

void receive_once(u64 index) {
    g_results[index].add(g_endpoint.recv(index == 0 ? g_reply : user::ReplyObject()));
    g_log.add(static_cast<char>('a' + index));
}

void clear_all() {
    for (auto& results : g_results) results.clear();
    g_log.clear();
}

} // namespace

ROOTTASK_TEST(IPC0015, "deleting an endpoint wakes its queued senders, callers and receivers with ObjectDeleted") {
    g_reply = REQUIRE_OK(t, new_reply_object(t));

    // A sender and a caller queued: both return ObjectDeleted, first come first, once the
    // last capability goes (a copy keeps the endpoint alive).
    clear_all();
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::CPtr copy = REQUIRE_OK(t, mint(t, g_endpoint.cap(), user::CapRights::all(), 0x5));
    user::Tcb sender = REQUIRE_OK(t, make_stopped_thread(t, "ipc-del-send", send_once, 0, kRoot + 1)).tcb;
    user::Tcb caller = REQUIRE_OK(t, make_stopped_thread(t, "ipc-del-call", call_once, 1, kRoot + 1)).tcb;
    REQUIRE_OK(t, sender.resume());
    REQUIRE_OK(t, caller.resume());
    REQUIRE_OK(t, delete_cap(t, g_endpoint.cap()));
    t.expect(g_log.length == 0, "deleting one of two capabilities woke: {}", g_log.view());
    g_log.add('1');
    REQUIRE_OK(t, delete_cap(t, copy));
    g_log.add('2');
    expect_status(t, "the queued Send", g_results[0].at(0), IpcStatus::ObjectDeleted);
    expect_status(t, "the queued Call", g_results[1].at(0), IpcStatus::ObjectDeleted);
    t.expect(g_log.equals("1ab2"), "events {} (expected 1ab2)", g_log.view());

    // Two receivers, one with a Reply object: both return ObjectDeleted, the object is free.
    clear_all();
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::Tcb first = REQUIRE_OK(t, make_stopped_thread(t, "ipc-del-recv-a", receive_once, 0, kRoot + 1)).tcb;
    user::Tcb second = REQUIRE_OK(t, make_stopped_thread(t, "ipc-del-recv-b", receive_once, 1, kRoot + 1)).tcb;
    REQUIRE_OK(t, first.resume());
    REQUIRE_OK(t, second.resume());
    g_log.add('1');
    REQUIRE_OK(t, delete_cap(t, g_endpoint.cap()));
    g_log.add('2');
    expect_status(t, "the Recv with a Reply object", g_results[0].at(0), IpcStatus::ObjectDeleted);
    expect_status(t, "the Recv without", g_results[1].at(0), IpcStatus::ObjectDeleted);
    t.expect(g_log.equals("1ab2"), "events {} (expected 1ab2)", g_log.view());
    user::Endpoint other = REQUIRE_OK(t, new_endpoint(t));
    expect_status(t, "NBRecv with the freed Reply object", other.nb_recv(g_reply), IpcStatus::NothingPending);

    // A delivered Call waits for its answer, endpoint or not.
    clear_all();
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    user::Tcb parked = REQUIRE_OK(t, make_stopped_thread(t, "ipc-del-parked", call_once, 2, kRoot + 1)).tcb;
    REQUIRE_OK(t, parked.resume());
    expect_message(t, "the Call", g_endpoint.recv(g_reply), as_received(pattern_message(0x101, 2, 2), 0));
    REQUIRE_OK(t, delete_cap(t, g_endpoint.cap()));
    t.expect(g_results[2].count == 0, "the parked caller returned when its endpoint went: {}", g_results[2].at(0));
    expect_status(t, "the Reply", status_result(g_reply.reply(pattern_message(0x102, 1, 2))), IpcStatus::Ok);
    expect_message(t, "the parked caller's answer", g_results[2].at(0), as_received(pattern_message(0x102, 1, 2), 0));
}
