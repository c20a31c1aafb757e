// A handler that receives again with the Reply object that holds an unanswered fault: as
// with any Call, the new receive lets go of the old caller. For a fault that is logged
// ("the handler let go of it without answering", checked by the system test) and the
// thread is suspended at its faulting load; an answer through the Reply object
// afterwards reaches nobody.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf119;

} // namespace

ROOTTASK_TEST(FLT0119, "a handler that receives again without answering lets the fault go: logged, suspended; a late answer finds nobody") {
    reset_load();
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 unmapped = REQUIRE_OK(t, t.root().addresses.reserve(1));
    user::Tcb thread = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-recvagn", load_thread, unmapped, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, thread.resume());
    expect_fault(t, "the fault", take_fault(channel),
                 vm_fault(kBadge, unmapped, VmAccess::Read, load_instruction(), kCauseLoadPageFault));
    expect_state(t, "with its fault held", thread, ThreadStatus::BlockedOnReply);

    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second receive found a fault");
    expect_state(t, "let go", thread, ThreadStatus::Suspended);
    expect_pc(t, "let go", thread, load_instruction());

    // A late answer, even a well-formed one that skips the load, changes nothing.
    IpcStatus answered = answer(channel, skip_instruction(load_instruction()));
    t.expect(answered == IpcStatus::Ok, "the late Reply: {}", answered);
    expect_state(t, "after the late answer", thread, ThreadStatus::Suspended);
    expect_pc(t, "after the late answer", thread, load_instruction());
    t.expect(!g_load.done, "the thread went past its load");
    stop(t, thread);
}
