// A fault endpoint capability that cannot take a fault: TCB.Configure and SetSpace accept
// any Endpoint capability with write, but the kernel makes a Call for a fault, which needs
// grant or grant-reply too. With a write-only capability the fault is refused when it
// happens: logged ("its fault handler capability cannot take it", checked by the system
// test), nothing sent, the thread suspended at the faulting load.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf115;

} // namespace

ROOTTASK_TEST(FLT0115, "a fault endpoint capability without grant or grant-reply is accepted, then refused at the fault: logged, suspended") {
    reset_load();
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge, kWriteOnly));
    const u64 unmapped = REQUIRE_OK(t, t.root().addresses.reserve(1));
    user::Tcb thread = REQUIRE_OK(t, make_stopped_thread(t, "fault-h-nogrant", load_thread, unmapped, kRoot + 1)).tcb;
    auto named = set_fault_handler(t, thread, channel.handler_cap);
    t.expect(named.ok(), "SetSpace refused a write-only endpoint capability as fault endpoint: {}",
             outcome(named));
    REQUIRE_OK(t, thread.resume());

    t.expect(!g_load.done, "the load went through with nothing mapped");
    expect_state(t, "after the fault", thread, ThreadStatus::Suspended);
    expect_pc(t, "after the fault", thread, load_instruction());
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "the refused fault reached the endpoint");
    stop(t, thread);
}
