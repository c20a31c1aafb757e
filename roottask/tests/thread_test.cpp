#include <userlib/thread.hpp>

#include "harness.hpp"

using namespace tessera;

namespace {

volatile u64 g_thread_saw = 0;

void record_argument(u64 argument) { g_thread_saw = argument; }

} // namespace

ROOTTASK_TEST(THR0001, "a thread in the root task's address space runs with its argument and ends") {
    g_thread_saw = 0;
    user::StarterResources starter = t.starter();
    user::ThreadSpec spec;
    spec.name = "test-thread";
    spec.entry = record_argument;
    spec.argument = 0x5eed;
    // Above the root task: it runs to its end before start_thread returns here.
    spec.priority = roottask::kRootRunPriority + 1;
    REQUIRE_OK(t, user::start_thread(starter, spec));
    for (unsigned i = 0; i < 100 && g_thread_saw == 0; ++i) user::yield();
    t.expect(g_thread_saw == 0x5eed, "the thread recorded {}", kstd::Hex{g_thread_saw});
}
