// Round robin among equals by time slices alone: two threads of one priority spin without
// ever yielding, each watching the other's counter. Each sees the other advance again and
// again, which only the timer ending their slices can bring about. They run above the
// root task, which therefore cannot run until both have stopped.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

namespace {

constexpr u64 kRounds = 3;

struct RoundRobin {
    user::Tcb partner;
    volatile u64 count[2];
    volatile u64 rounds[2]; // times each saw the other's counter change
    volatile bool done[2];
    volatile bool gave_up[2];
};

RoundRobin g_spinners;

void spin_and_watch(u64 index) {
    RoundRobin& s = g_spinners;
    u64 other = 1 - index;
    // The first makes its partner runnable behind itself (a system call, not a Yield).
    if (index == 0) (void)s.partner.resume();
    u64 last_seen = s.count[other];
    u64 i = 0;
    for (; i < kSpinLimit; ++i) {
        s.count[index] = s.count[index] + 1;
        if (s.count[other] != last_seen) {
            last_seen = s.count[other];
            s.rounds[index] = s.rounds[index] + 1;
        }
        if (s.rounds[index] >= kRounds || s.done[other]) break;
    }
    s.gave_up[index] = i == kSpinLimit;
    s.done[index] = true;
}

} // namespace

ROOTTASK_TEST(SCH0003, "two spinning threads of one priority share the CPU by time slices, without yielding") {
    RoundRobin& s = g_spinners;
    s = RoundRobin{};
    const u64 priority = roottask::kRootRunPriority + 1;
    user::Tcb first = REQUIRE_OK(t, make_stopped_thread(t, "sch-rr-0", spin_and_watch, 0, priority)).tcb;
    s.partner = REQUIRE_OK(t, make_stopped_thread(t, "sch-rr-1", spin_and_watch, 1, priority)).tcb;

    REQUIRE_OK(t, first.resume());

    t.expect(s.done[0] && s.done[1], "the root task ran before both spinners stopped: {} {}", s.done[0], s.done[1]);
    t.expect(!s.gave_up[0] && !s.gave_up[1], "a spinner never saw the other advance: rounds {} {}", s.rounds[0],
             s.rounds[1]);
    // Whoever stopped first saw kRounds turns of the other; the other at least one fewer.
    t.expect(s.rounds[0] >= kRounds - 1 && s.rounds[1] >= kRounds - 1 && s.rounds[0] + s.rounds[1] >= 2 * kRounds - 1,
             "the spinners saw each other advance {} and {} times", s.rounds[0], s.rounds[1]);
}
