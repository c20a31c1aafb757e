// SetPriority and SetMCPriority from user space: nothing rises above the authority's
// maximum controlled priority (MCP), a thread cannot raise itself above its own, and a
// refused change leaves the priority as it was (observed through scheduling: the thread
// would run at once above the root task).
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

namespace {

volatile bool g_target_ran;
void note_run(u64) { g_target_ran = true; }

struct SelfRaise {
    user::Tcb self;
    user::Result<void> above_own_mcp = {};
    user::Result<void> at_own_mcp = {};
    volatile bool done;
};
SelfRaise g_self_raise;

void raise_self(u64) {
    SelfRaise& s = g_self_raise;
    s.above_own_mcp = s.self.set_priority(roottask::kRootRunPriority + 3, s.self);
    s.at_own_mcp = s.self.set_priority(roottask::kRootRunPriority + 2, s.self);
    s.done = true;
}

} // namespace

ROOTTASK_TEST(TCB0008, "SetPriority and SetMCPriority refuse values above the authority's MCP and change nothing") {
    const u64 root = roottask::kRootRunPriority;
    g_target_ran = false;
    // Runnable below the root task: it runs the moment anything puts it above.
    user::Tcb target = REQUIRE_OK(t, make_stopped_thread(t, "tcb-prio", note_run, 0, root - 1)).tcb;
    REQUIRE_OK(t, target.resume());
    // A TCB made by Retype has MCP 0.
    user::Tcb weak(REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb)));
    const user::Tcb not_a_tcb(t.own_cnode().cap());

    auto by_cnode = target.set_priority(root + 1, not_a_tcb);
    t.expect(failed_with(by_cnode, invalid_capability(1)), "SetPriority with a CNode as authority: {}", outcome(by_cnode));
    auto mcp_by_cnode = target.set_mc_priority(1, not_a_tcb);
    t.expect(failed_with(mcp_by_cnode, invalid_capability(1)), "SetMCPriority with a CNode as authority: {}",
             outcome(mcp_by_cnode));
    auto by_mcp_zero = target.set_priority(root + 1, weak);
    t.expect(failed_with(by_mcp_zero, range_error(0, 0)), "SetPriority by an MCP-0 authority: {}", outcome(by_mcp_zero));
    auto above_255 = target.set_priority(256, root_tcb());
    auto mcp_above_255 = target.set_mc_priority(256, root_tcb());
    t.expect(failed_with(above_255, range_error(0, 255)) && failed_with(mcp_above_255, range_error(0, 255)),
             "priority 256: {}, MCP 256: {}", outcome(above_255), outcome(mcp_above_255));

    // An authority of MCP 5 gives 5, never 6.
    REQUIRE_OK(t, weak.set_mc_priority(5, root_tcb()));
    auto above_authority = target.set_priority(6, weak);
    auto mcp_above_authority = target.set_mc_priority(6, weak);
    t.expect(failed_with(above_authority, range_error(0, 5)) && failed_with(mcp_above_authority, range_error(0, 5)),
             "priority 6 by an MCP-5 authority: {}, MCP 6: {}", outcome(above_authority), outcome(mcp_above_authority));
    auto at_authority = target.set_priority(5, weak);
    t.expect(at_authority.ok(), "priority 5 by an MCP-5 authority: {}", outcome(at_authority));
    t.expect(!g_target_ran, "a refused or low priority let the target run above the root task");
    // The accepted change: above the root task, it runs before this returns.
    REQUIRE_OK(t, target.set_priority(root + 1, root_tcb()));
    t.expect(g_target_ran, "raised above the root task, the target did not run");

    // A thread of MCP root + 2 cannot raise itself to root + 3, but to root + 2.
    g_self_raise = SelfRaise{};
    g_self_raise.self = REQUIRE_OK(t, make_stopped_thread(t, "tcb-raise-self", raise_self, 0, root + 1)).tcb;
    REQUIRE_OK(t, g_self_raise.self.set_mc_priority(root + 2, root_tcb()));
    REQUIRE_OK(t, g_self_raise.self.resume());
    t.expect(g_self_raise.done, "the self-raising thread did not finish before Resume returned");
    t.expect(failed_with(g_self_raise.above_own_mcp, range_error(0, root + 2)),
             "raising itself above its MCP: {}", outcome(g_self_raise.above_own_mcp));
    t.expect(g_self_raise.at_own_mcp.ok(), "raising itself to its MCP: {}", outcome(g_self_raise.at_own_mcp));
}
