// Deleting a Reply object: the caller parked on it gets no answer (Cancelled); a receiver
// blocked in Recv with it leaves the endpoint's queue with ObjectDeleted (a0 1: the Reply object).
#include "ipc_support.hpp"

using namespace tessera;
using namespace tessera::roottask::ipc_tests;

namespace {

user::Endpoint g_endpoint;
user::ReplyObject g_reply;
ThreadResults g_caller;
ThreadResults g_receiver;

void call_once(u64) { g_caller.add(g_endpoint.call(pattern_message(0x110, 3, 1))); }
void receive_once(u64) { g_receiver.add(g_endpoint.recv(g_reply)); }

} // namespace

ROOTTASK_TEST(IPC0016, "deleting a Reply object cancels its parked caller and ends a Recv with it (ObjectDeleted)") {
    g_endpoint = REQUIRE_OK(t, new_endpoint(t));
    g_caller.clear();
    g_receiver.clear();

    g_reply = REQUIRE_OK(t, new_reply_object(t));
    user::Tcb caller = REQUIRE_OK(t, make_stopped_thread(t, "ipc-delr-call", call_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, caller.resume());
    expect_message(t, "the Call", g_endpoint.recv(g_reply), as_received(pattern_message(0x110, 3, 1), 0));
    t.expect(g_caller.count == 0, "the caller returned before its answer: {}", g_caller.at(0));
    REQUIRE_OK(t, delete_cap(t, g_reply.cap()));
    user::IpcMessage expected = pattern_message(0x110, 3, 1);
    expected.status = IpcStatus::Cancelled;
    expect_message(t, "the parked caller", g_caller.at(0), expected);

    g_reply = REQUIRE_OK(t, new_reply_object(t));
    user::Tcb receiver = REQUIRE_OK(t, make_stopped_thread(t, "ipc-delr-recv", receive_once, 0, kRoot + 1)).tcb;
    REQUIRE_OK(t, receiver.resume());
    t.expect(g_receiver.count == 0, "Recv returned with nobody sending: {}", g_receiver.at(0));
    REQUIRE_OK(t, delete_cap(t, g_reply.cap()));
    expect_status(t, "the Recv with the deleted Reply object", g_receiver.at(0), IpcStatus::ObjectDeleted, 1);
    expect_status(t, "NBSend afterwards (nobody receives)", g_endpoint.nb_send(pattern_message(0x111, 1, 1)),
                  IpcStatus::NothingPending);
}
