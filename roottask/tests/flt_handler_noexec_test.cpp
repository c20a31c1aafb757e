// A jump into a page mapped read-write but not executable, with a fault handler: a VM
// fault (the target as address and pc, execute, scause 12) although the page is present
// and holds code. The handler remaps it read-execute and answers with no words; the code
// then runs.
#include <userlib/address_space.hpp>

#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf105;
constexpr u64 kOffset = 0x80;

} // namespace

ROOTTASK_TEST(FLT0105, "a jump into a present but non-executable page arrives as a VM fault (execute); remapped read-execute, the code runs") {
    g_copied_call.result = 0;
    g_copied_call.done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    user::Frame frame;
    const u64 page = REQUIRE_OK(t, t.new_mapped_page(&frame)); // read-write
    auto* code = reinterpret_cast<volatile u32*>(page + kOffset);
    copy_function_to(code);
    asm volatile("fence.i" ::: "memory");
    const u64 target = page + kOffset;
    user::Tcb jumper =
        REQUIRE_OK(t, make_handled_thread(t, "fault-h-nx", call_copied_function, target, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, jumper.resume());

    t.expect(!g_copied_call.done, "code ran from a page mapped without execute");
    expect_fault(t, "the fault", take_fault(channel),
                 vm_fault(kBadge, target, VmAccess::Execute, target, kCauseFetchPageFault));

    REQUIRE_OK(t, frame.remap(VmRights::kReadExecute));
    IpcStatus answered = answer(channel, user::FaultAnswer());
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);
    t.expect(g_copied_call.done, "answered, the thread did not go on");
    t.expect(g_copied_call.result == kCopiedFunctionArgument + kCopiedFunctionAdds, "the function returned {}, expected {}", g_copied_call.result,
             kCopiedFunctionArgument + kCopiedFunctionAdds);
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, jumper);
}
