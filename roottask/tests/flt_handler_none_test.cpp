// No fault handler: a thread that never had one, and one whose fault endpoint was named
// and then taken away again (SetSpace with pointer 0). For both the kernel logs the fault
// ("suspended (no fault handler)", checked by the system test) and suspends the thread at
// the faulting load; nothing reaches the endpoint the second once named, and both stay
// where they are while others run.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf114;

} // namespace

ROOTTASK_TEST(FLT0114, "without a fault handler (never named, or cleared) a fault is logged and the thread stays suspended; nothing is sent") {
    reset_load();
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 unmapped = REQUIRE_OK(t, t.root().addresses.reserve(1));
    user::Tcb never = REQUIRE_OK(t, make_stopped_thread(t, "fault-h-never", load_thread, unmapped, kRoot + 1)).tcb;
    REQUIRE_OK(t, never.resume());
    expect_state(t, "never given a handler, after the fault", never, ThreadStatus::Suspended);
    expect_pc(t, "never given a handler, after the fault", never, load_instruction());

    user::Tcb thread = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-none", load_thread, unmapped, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, set_fault_handler(t, thread, user::CPtr{0}));
    REQUIRE_OK(t, thread.resume());

    t.expect(!g_load.done, "the load went through with nothing mapped");
    expect_state(t, "after the fault", thread, ThreadStatus::Suspended);
    expect_pc(t, "after the fault", thread, load_instruction());
    t.expect(take_fault(channel).status == IpcStatus::NothingPending,
             "a fault message arrived on the endpoint the thread no longer names");
    // It stays suspended while the root task gives the CPU away.
    for (unsigned i = 0; i < 10; ++i) user::yield();
    t.expect(!g_load.done, "the suspended thread went on");
    expect_state(t, "later", thread, ThreadStatus::Suspended);
    expect_state(t, "later, never given a handler", never, ThreadStatus::Suspended);
    stop(t, thread, never);
}
