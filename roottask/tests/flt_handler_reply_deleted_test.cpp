// A handler that lets go of a fault it holds: it received the fault with its Reply object
// and deletes that object instead of answering. The fault can get no answer: logged ("the
// handler let go of it without answering", checked by the system test), the thread
// suspended at its faulting load.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf118;

} // namespace

ROOTTASK_TEST(FLT0118, "a handler that deletes the Reply object holding a fault: logged, the thread suspended at the fault") {
    reset_load();
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 unmapped = REQUIRE_OK(t, t.root().addresses.reserve(1));
    user::Tcb thread = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-dropped", load_thread, unmapped, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, thread.resume());
    expect_fault(t, "the fault", take_fault(channel),
                 vm_fault(kBadge, unmapped, VmAccess::Read, load_instruction(), kCauseLoadPageFault));
    expect_state(t, "with its fault held", thread, ThreadStatus::BlockedOnReply);

    REQUIRE_OK(t, delete_cap(t, channel.reply.cap())); // its only capability: the object goes
    expect_state(t, "with the Reply object deleted", thread, ThreadStatus::Suspended);
    expect_pc(t, "with the Reply object deleted", thread, load_instruction());
    t.expect(!g_load.done, "the thread went past its load");
    channel.reply = REQUIRE_OK(t, new_reply_object(t)); // to look for another fault with
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "the fault arrived again");
    stop(t, thread);
}
