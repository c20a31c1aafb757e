// Yield hands the CPU to the next thread of the caller's priority, exactly at the call;
// with no equal runnable it returns to the caller (never to a lower thread).
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

namespace {

constexpr u64 kTurns = 6;

EventLog g_log;
user::Tcb g_partner;

// 'A' starts, makes 'B' runnable behind itself; each logs its letter and yields, kTurns times.
void log_and_yield(u64 letter) {
    if (letter == 'A') (void)g_partner.resume();
    for (u64 i = 0; i < kTurns; ++i) {
        g_log.add(static_cast<char>(letter));
        user::yield();
    }
}

} // namespace

ROOTTASK_TEST(SCH0004, "Yield alternates equals exactly at each call, and with no equal runs the caller again") {
    const u64 root = roottask::kRootRunPriority;
    g_log.clear();
    user::Tcb first = REQUIRE_OK(t, make_stopped_thread(t, "sch-yield-a", log_and_yield, 'A', root + 1)).tcb;
    g_partner = REQUIRE_OK(t, make_stopped_thread(t, "sch-yield-b", log_and_yield, 'B', root + 1)).tcb;
    REQUIRE_OK(t, first.resume());
    g_log.add('R');
    t.expect(g_log.equals("ABABABABABABR"), "events {} (expected ABABABABABABR)", g_log.view());

    // Alone at its level, above the root task: every Yield comes straight back to it.
    g_log.clear();
    user::Tcb alone = REQUIRE_OK(t, make_stopped_thread(t, "sch-yield-c", log_and_yield, 'C', root + 1)).tcb;
    REQUIRE_OK(t, alone.resume());
    g_log.add('R');
    t.expect(g_log.equals("CCCCCCR"), "events {} (expected CCCCCCR)", g_log.view());
}
