// TCB.Suspend and Resume from user space: a suspended thread stops where it is and
// resumes from there; suspending a stopped thread or resuming a runnable one changes
// nothing; a thread may suspend itself.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

namespace {

struct Counter {
    volatile u64 count;
    volatile bool stop;
    volatile bool stopped;
};
Counter g_counter;

// At the root task's priority: one step per turn, handing the CPU back with Yield.
void count_and_yield(u64) {
    while (!g_counter.stop) {
        g_counter.count = g_counter.count + 1;
        user::yield();
    }
    g_counter.stopped = true;
}

volatile u64 g_self_stop_phase;
user::Tcb g_self;

void suspend_self(u64) {
    g_self_stop_phase = 1;
    (void)g_self.suspend();
    g_self_stop_phase = 2;
}

// Yields until the counter passes `value`; false if it never does.
bool counter_passes(u64 value) {
    for (unsigned i = 0; i < kYieldLimit; ++i) {
        if (g_counter.count > value) return true;
        user::yield();
    }
    return false;
}

} // namespace

ROOTTASK_TEST(TCB0002, "Suspend stops a thread and Resume restarts it; repeats are harmless; a thread suspends itself") {
    g_counter = Counter{};
    user::Tcb counter =
        REQUIRE_OK(t, make_stopped_thread(t, "tcb-counter", count_and_yield, 0, roottask::kRootRunPriority)).tcb;
    REQUIRE_OK(t, counter.resume());
    t.expect(counter_passes(0), "the resumed counter never counted");

    REQUIRE_OK(t, counter.suspend());
    u64 frozen = g_counter.count;
    for (int i = 0; i < 20; ++i) user::yield();
    t.expect(g_counter.count == frozen, "the suspended counter went on from {} to {}", frozen, g_counter.count);
    auto again = counter.suspend();
    t.expect(again.ok(), "suspending a suspended thread: {}", outcome(again));
    for (int i = 0; i < 20; ++i) user::yield();
    t.expect(g_counter.count == frozen, "after a second Suspend the counter went on from {} to {}", frozen,
             g_counter.count);

    REQUIRE_OK(t, counter.resume());
    t.expect(counter_passes(frozen), "the counter did not go on after Resume");
    // Resuming a runnable thread (queued, and the caller itself) leaves both running.
    auto queued = counter.resume();
    auto self = root_tcb().resume();
    t.expect(queued.ok() && self.ok(), "Resume of runnable threads: {}, {}", outcome(queued), outcome(self));
    u64 now = g_counter.count;
    t.expect(counter_passes(now), "the counter stopped after a Resume of it while it ran");
    u64 later = g_counter.count;
    t.expect(counter_passes(later), "the counter stopped after a Resume of it while it ran");

    g_counter.stop = true;
    for (unsigned i = 0; i < kYieldLimit && !g_counter.stopped; ++i) user::yield();
    t.expect(g_counter.stopped, "the counter did not stop when asked");

    // A thread above the root task suspends itself: the root task runs on, and the thread
    // continues after its Suspend only once resumed, before that Resume returns.
    g_self_stop_phase = 0;
    g_self = REQUIRE_OK(t, make_stopped_thread(t, "tcb-self-stop", suspend_self, 0, roottask::kRootRunPriority + 1)).tcb;
    REQUIRE_OK(t, g_self.resume());
    t.expect(g_self_stop_phase == 1, "after suspending itself the thread is in phase {}", g_self_stop_phase);
    for (int i = 0; i < 5; ++i) user::yield();
    t.expect(g_self_stop_phase == 1, "the self-suspended thread went on to phase {}", g_self_stop_phase);
    REQUIRE_OK(t, g_self.resume());
    t.expect(g_self_stop_phase == 2, "resumed, the thread is in phase {}", g_self_stop_phase);
}
