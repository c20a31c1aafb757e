// A handler that receives a fault without a Reply object cannot answer it. Whether the
// fault was waiting in the queue (the root task's NBRecv) or the handler was waiting for
// it (a handler thread blocked in Recv), the handler gets the whole message, and the
// faulting thread is suspended at its faulting instruction with a log line ("received it
// without a Reply object", checked by the system test): it does not run on, and nothing
// is delivered twice.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf117;

user::Endpoint g_endpoint;
FaultRecord g_received; // what the waiting handler thread received
volatile bool g_handler_returned;

void receive_without_reply(u64) {
    user::IpcMessage received = g_endpoint.recv(user::ReplyObject());
    g_received = record_of(received, *user::current_ipc_buffer());
    g_handler_returned = true;
}

} // namespace

ROOTTASK_TEST(FLT0117, "a handler that receives a fault without a Reply object gets the message; the faulting thread is suspended") {
    reset_load();
    g_received = FaultRecord{};
    g_handler_returned = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    g_endpoint = channel.endpoint;
    const u64 unmapped = REQUIRE_OK(t, t.root().addresses.reserve(1));
    const FaultRecord expected = vm_fault(kBadge, unmapped, VmAccess::Read, load_instruction(), kCauseLoadPageFault);

    // The fault comes first and waits; the root task takes it without a Reply object.
    user::Tcb queued = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-norep1", load_thread, unmapped, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, queued.resume());
    user::IpcMessage received = channel.endpoint.nb_recv(user::ReplyObject());
    expect_fault(t, "the queued fault", record_of(received, *user::current_ipc_buffer()), expected);
    expect_state(t, "the first thread, its fault taken", queued, ThreadStatus::Suspended);
    expect_pc(t, "the first thread, its fault taken", queued, load_instruction());

    // The handler comes first and waits; the fault finds it.
    user::Tcb handler =
        REQUIRE_OK(t, start_resumed(t, "flt-h-noreply", receive_without_reply, 0, kRoot + 1));
    expect_state(t, "the handler thread", handler, ThreadStatus::BlockedOnReceive);
    user::Tcb found = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-norep2", load_thread, unmapped, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, found.resume());
    t.expect(g_handler_returned, "the waiting handler did not receive the fault");
    expect_fault(t, "the fault the waiting handler received", g_received, expected);
    expect_state(t, "the second thread, its fault taken", found, ThreadStatus::Suspended);
    expect_pc(t, "the second thread, its fault taken", found, load_instruction());

    t.expect(!g_load.done, "a faulting thread went past its load");
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a fault was delivered twice");
    stop(t, queued, found, handler);
}
