// A jump to an unmapped address, with a fault handler: a VM fault whose address and pc are
// both the jump's target, access execute, scause 12. The handler writes a small function
// into a fresh page, maps it read-execute there and answers with no words: the fetch runs
// again and the thread gets the function's result.
#include <userlib/address_space.hpp>

#include "fault_support.hpp"
#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf103;
// The target is inside the page: the message must name the instruction, not the page.
constexpr u64 kOffset = 0x40;

} // namespace

ROOTTASK_TEST(FLT0103, "an instruction page fault arrives as a VM fault (target, execute, pc = target, cause); code mapped there then runs") {
    g_copied_call.result = 0;
    g_copied_call.done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    const u64 page = REQUIRE_OK(t, t.root().addresses.reserve(1));
    const u64 target = page + kOffset;
    user::Tcb jumper =
        REQUIRE_OK(t, make_handled_thread(t, "fault-h-exec", call_copied_function, target, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, jumper.resume());

    t.expect(!g_copied_call.done, "the call returned with nothing mapped at its target");
    expect_fault(t, "the fault", take_fault(channel),
                 vm_fault(kBadge, target, VmAccess::Execute, target, kCauseFetchPageFault));
    expect_pc(t, "with its fault received", jumper, target);

    // The code is written through a writable mapping of the frame elsewhere; a copy of the
    // frame's capability maps it at the target (one mapping per capability).
    user::Frame frame;
    const u64 writable = REQUIRE_OK(t, t.new_mapped_page(&frame));
    auto* code = reinterpret_cast<volatile u32*>(writable + kOffset);
    copy_function_to(code);
    asm volatile("fence.i" ::: "memory"); // the fetch must see the bytes just written
    user::Frame executable(REQUIRE_OK(t, roottask::maptest::copy_cap(t, frame.cap())));
    REQUIRE_OK(t, user::map_frame(t.root().objects, t.own_vspace(), executable, page, VmRights::kReadExecute));

    IpcStatus answered = answer(channel, user::FaultAnswer());
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);
    t.expect(g_copied_call.done, "answered, the thread did not go on");
    t.expect(g_copied_call.result == kCopiedFunctionArgument + kCopiedFunctionAdds, "the mapped function returned {}, expected {}",
             g_copied_call.result, kCopiedFunctionArgument + kCopiedFunctionAdds);
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, jumper);
}
