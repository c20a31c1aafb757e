// TCB.Suspend of a thread whose fault waits, in the endpoint's queue or for its handler's
// answer: the fault is withdrawn without a log line (the thread is Inactive, as any
// suspended thread), and Resume runs the faulting load again, so a fresh fault message
// arrives, identical to the first. An answer to the withdrawn fault reaches nobody.
#include <userlib/address_space.hpp>

#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf121;
constexpr u64 kValue = 0x5059'e4d0'0000'0121;

} // namespace

ROOTTASK_TEST(FLT0121, "TCB.Suspend withdraws a waiting fault; Resume runs the faulting load again and a second message arrives") {
    reset_load();
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 page = REQUIRE_OK(t, t.root().addresses.reserve(1));
    user::Tcb thread =
        REQUIRE_OK(t, make_handled_thread(t, "fault-h-suspend", load_thread, page, kRoot + 1, channel.handler_cap));
    const FaultRecord expected = vm_fault(kBadge, page, VmAccess::Read, load_instruction(), kCauseLoadPageFault);

    // Suspended while its fault is queued: the fault leaves the queue with it.
    REQUIRE_OK(t, thread.resume());
    expect_state(t, "with its fault queued", thread, ThreadStatus::BlockedOnSend);
    REQUIRE_OK(t, thread.suspend());
    expect_state(t, "suspended from the queue", thread, ThreadStatus::Inactive);
    expect_pc(t, "suspended from the queue", thread, load_instruction());
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "the withdrawn fault was delivered");

    // Resumed, it faults again; suspended while the handler holds that fault, it is let go.
    REQUIRE_OK(t, thread.resume());
    expect_fault(t, "the fault after the first Resume", take_fault(channel), expected);
    expect_state(t, "with its fault held", thread, ThreadStatus::BlockedOnReply);
    REQUIRE_OK(t, thread.suspend());
    expect_state(t, "suspended while its fault was held", thread, ThreadStatus::Inactive);
    IpcStatus late = answer(channel, skip_instruction(load_instruction()));
    t.expect(late == IpcStatus::Ok, "the answer to the withdrawn fault: {}", late);
    expect_state(t, "after the answer to the withdrawn fault", thread, ThreadStatus::Inactive);
    expect_pc(t, "after the answer to the withdrawn fault", thread, load_instruction());

    // Resumed again, it faults a third time; answered now (the page mapped), it loads.
    REQUIRE_OK(t, thread.resume());
    expect_fault(t, "the fault after the second Resume", take_fault(channel), expected);
    REQUIRE_OK(t, user::map_new_frame(t.objects(), t.root().objects, t.own_vspace(), page, VmRights::kReadWrite));
    reinterpret_cast<volatile u64*>(page)[0] = kValue;
    t.expect(answer(channel, user::FaultAnswer()) == IpcStatus::Ok, "the Reply failed");
    t.expect(g_load.done && g_load.value == kValue, "answered, the thread did not load {} (done {}, value {})",
             kstd::Hex{kValue}, g_load.done, kstd::Hex{g_load.value});
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a fourth fault arrived");
    stop(t, thread);
}
