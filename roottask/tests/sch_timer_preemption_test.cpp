// Priorities under the timer: a spinner that never yields loses the CPU when its slice
// ends to a thread of its level, which makes two higher threads runnable. From then on
// neither lower thread runs until both higher ones have finished, although the higher
// two hand the CPU to each other many times at the ends of their slices.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

namespace {

// How many times each higher thread must see the other make progress (so the timer
// switched between them that often while the lower ones stayed runnable).
constexpr u64 kHighRounds = 3;

struct TimerPreemption {
    user::Tcb waker;
    user::Tcb high[2];
    volatile u64 low_count;
    volatile u64 low_count_seen_by_waker;
    volatile u64 low_saw_high_active; // iterations in which the low spinner ran while a higher one was unfinished
    volatile bool high_active;        // from the waker's Resume until both higher threads finished
    volatile bool waker_resume_returned_early;
    volatile bool waker_done;
    volatile bool low_done;
    volatile bool low_gave_up;
    volatile u64 high_count[2];
    volatile u64 high_rounds[2];
    volatile bool high_done[2];
    volatile bool high_gave_up[2];
};

TimerPreemption g_state;

// Priority root + 1. Makes the waker runnable behind itself, then spins without ever
// yielding: only the end of its time slice lets the waker run.
void low_spinner(u64) {
    TimerPreemption& s = g_state;
    (void)s.waker.resume();
    u64 i = 0;
    for (; i < kSpinLimit && !s.waker_done; ++i) {
        s.low_count = s.low_count + 1;
        if (s.high_active) s.low_saw_high_active = s.low_saw_high_active + 1;
    }
    s.low_gave_up = i == kSpinLimit;
    s.low_done = true;
}

// Priority root + 1: runs when the spinner's slice ends, and makes the first higher
// thread runnable; the Resume returns only when both higher threads have finished.
void waker(u64) {
    TimerPreemption& s = g_state;
    s.low_count_seen_by_waker = s.low_count;
    s.high_active = true;
    (void)s.high[0].resume();
    s.waker_resume_returned_early = !(s.high_done[0] && s.high_done[1]);
    s.waker_done = true;
}

// Priority root + 2, two of them. The first makes its partner runnable; both spin until
// each has seen the other advance kHighRounds times (or the other has finished).
void high_spinner(u64 index) {
    TimerPreemption& s = g_state;
    u64 other = 1 - index;
    if (index == 0) (void)s.high[1].resume();
    u64 last_seen = s.high_count[other];
    u64 i = 0;
    for (; i < kSpinLimit; ++i) {
        s.high_count[index] = s.high_count[index] + 1;
        if (s.high_count[other] != last_seen) {
            last_seen = s.high_count[other];
            s.high_rounds[index] = s.high_rounds[index] + 1;
        }
        if (s.high_rounds[index] >= kHighRounds || s.high_done[other]) break;
    }
    s.high_gave_up[index] = i == kSpinLimit;
    s.high_done[index] = true;
    if (s.high_done[other]) s.high_active = false;
}

} // namespace

ROOTTASK_TEST(SCH0002, "higher threads made runnable by the timer's round robin keep lower spinners off the CPU") {
    TimerPreemption& s = g_state;
    s = TimerPreemption{};
    const u64 root = roottask::kRootRunPriority;
    user::Tcb low = REQUIRE_OK(t, make_stopped_thread(t, "sch-low", low_spinner, 0, root + 1)).tcb;
    s.waker = REQUIRE_OK(t, make_stopped_thread(t, "sch-waker", waker, 0, root + 1)).tcb;
    s.high[0] = REQUIRE_OK(t, make_stopped_thread(t, "sch-high-0", high_spinner, 0, root + 2)).tcb;
    s.high[1] = REQUIRE_OK(t, make_stopped_thread(t, "sch-high-1", high_spinner, 1, root + 2)).tcb;

    // All four are above the root task: this returns when every one of them has finished.
    REQUIRE_OK(t, low.resume());

    t.expect(s.low_done && s.waker_done && s.high_done[0] && s.high_done[1],
             "the root task ran before its higher threads finished: low {} waker {} high {} {}", s.low_done,
             s.waker_done, s.high_done[0], s.high_done[1]);
    t.expect(!s.low_gave_up && !s.high_gave_up[0] && !s.high_gave_up[1],
             "a spinner gave up waiting (no time slices?): low {} high {} {}", s.low_gave_up, s.high_gave_up[0],
             s.high_gave_up[1]);
    t.expect(s.low_count_seen_by_waker > 0, "the waker ran before the low spinner had spun");
    t.expect(s.low_saw_high_active == 0, "the low spinner ran {} iterations while a higher thread was runnable",
             s.low_saw_high_active);
    t.expect(!s.waker_resume_returned_early, "the waker's Resume returned before the higher threads finished");
    t.expect(s.high_rounds[0] + s.high_rounds[1] >= 2 * kHighRounds - 1,
             "the higher threads alternated only {} + {} times", s.high_rounds[0], s.high_rounds[1]);
}
