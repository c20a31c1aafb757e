// The fault endpoint deleted while a fault waits in its queue: the fault can get no answer.
// The kernel logs it ("its fault handler's endpoint was deleted", checked by the system
// test) and suspends the thread at the faulting load. Deleting the endpoint took every
// copy of its capability, the one in the thread's TCB too: resumed, the thread runs the
// load again and faults with no handler at all (logged as such).
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf116;

} // namespace

ROOTTASK_TEST(FLT0116, "the fault endpoint deleted while a fault is queued: logged, suspended; resumed, it faults with no handler") {
    reset_load();
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 unmapped = REQUIRE_OK(t, t.root().addresses.reserve(1));
    user::Tcb thread = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-epgone", load_thread, unmapped, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, thread.resume());
    expect_state(t, "with its fault queued", thread, ThreadStatus::BlockedOnSend);

    // Revoking the original takes the badged copy and the TCB's copy of that; deleting it
    // then deletes the last capability, and the endpoint with it.
    const user::SlotPath original = user::SlotPath::at(channel.endpoint.cap());
    REQUIRE_OK(t, t.own_cnode().revoke(original));
    REQUIRE_OK(t, t.own_cnode().delete_(original));
    expect_state(t, "with its endpoint deleted", thread, ThreadStatus::Suspended);
    expect_pc(t, "with its endpoint deleted", thread, load_instruction());
    t.expect(!g_load.done, "the thread went past the load");

    REQUIRE_OK(t, thread.resume());
    expect_state(t, "resumed", thread, ThreadStatus::Suspended);
    expect_pc(t, "resumed", thread, load_instruction());
    t.expect(!g_load.done, "resumed, the thread went past the load");
    stop(t, thread);
}
