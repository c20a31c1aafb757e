// A thread made runnable above the one that made it runnable takes the CPU at once: before
// the system call that did it returns. An equal one waits for the caller's Yield.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

namespace {

EventLog g_log;

void add_event(u64 event) { g_log.add(static_cast<char>(event)); }

} // namespace

ROOTTASK_TEST(SCH0001, "a thread made runnable above the caller runs before the call returns; an equal one does not") {
    g_log.clear();
    const u64 root = roottask::kRootRunPriority;
    user::Tcb higher = REQUIRE_OK(t, make_stopped_thread(t, "sch-higher", add_event, 'H', root + 1)).tcb;
    user::Tcb equal = REQUIRE_OK(t, make_stopped_thread(t, "sch-equal", add_event, 'E', root)).tcb;
    user::Tcb raised = REQUIRE_OK(t, make_stopped_thread(t, "sch-raised", add_event, 'Q', root - 1)).tcb;
    user::Tcb below = REQUIRE_OK(t, make_stopped_thread(t, "sch-below", add_event, 'P', root - 1)).tcb;

    // Resume of a higher thread: it runs (and ends) inside the Resume.
    g_log.add('1');
    REQUIRE_OK(t, higher.resume());
    g_log.add('2');
    // Resume of an equal one: it waits at the back of the root task's level until the Yield.
    g_log.add('3');
    REQUIRE_OK(t, equal.resume());
    g_log.add('4');
    for (unsigned i = 0; i < kYieldLimit && g_log.length < 6; ++i) user::yield();
    // A runnable thread below the caller does not run; raising it above the caller does, at
    // once. (The bystander waits at the root task's level meanwhile, so the raised thread
    // must really have moved to its new level's queue to be chosen.)
    REQUIRE_OK(t, start_bystander(t));
    REQUIRE_OK(t, raised.resume());
    g_log.add('5');
    REQUIRE_OK(t, raised.set_priority(root + 1, root_tcb()));
    g_log.add('6');
    // (It must stop before the root task goes below it.)
    t.expect(stop_bystander(), "the bystander did not stop");
    // The caller lowering itself below a runnable thread hands it the CPU inside the call.
    REQUIRE_OK(t, below.resume());
    auto lowered = root_tcb().set_priority(root - 2, root_tcb());
    g_log.add('7');
    auto restored = root_tcb().set_priority(root, root_tcb());
    t.expect(lowered.ok() && restored.ok(), "changing the root task's own priority: {}, back: {}", outcome(lowered),
             outcome(restored));

    t.expect(g_log.equals("1H234E5Q6P7"), "events in the order {} (expected 1H234E5Q6P7)", g_log.view());
}
