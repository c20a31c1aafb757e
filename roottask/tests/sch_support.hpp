#pragma once
// Helpers for the scheduling, TCB and fault tests (sch_*, tcb_*, flt_*_test.cpp): threads
// made stopped, so a test decides when each becomes runnable, and the bounds that keep a
// broken scheduler from hanging a test.
#include <userlib/syscalls.hpp>
#include <userlib/thread.hpp>

#include "harness.hpp"

namespace tessera::roottask::sched_tests {

// For the test files, which use this namespace.
using roottask::RootEnvironment;
using roottask::TestContext;

// How long a thread spins waiting for something that needs the timer (another thread's
// time slice) before it gives up and the test fails. Far above what a slice takes even on
// a fast host, so it only ends a test whose scheduler is broken.
inline constexpr u64 kSpinLimit = u64{1} << 28;
// How often the root task yields while it waits for a thread of its own priority.
inline constexpr unsigned kYieldLimit = 1000;

// A thread in the root task's address space, made and stopped (Inactive) with `priority`:
// it has not run yet and runs from `entry(argument)` once resumed. It is started at
// priority 0, below the root task, which never blocks, so it cannot run before it stops.
inline user::Result<user::Thread> make_stopped_thread(TestContext& t, kstd::StringView name,
                                                      user::ThreadEntry entry, u64 argument, u64 priority) {
    user::StarterResources starter = t.starter();
    user::ThreadSpec spec;
    spec.name = name;
    spec.entry = entry;
    spec.argument = argument;
    spec.priority = 0;
    user::Thread thread = TRY(user::start_thread(starter, spec));
    TRY(thread.tcb.suspend());
    TRY(thread.tcb.set_priority(priority, RootEnvironment::own_caps().tcb));
    return thread;
}

inline user::Tcb root_tcb() { return RootEnvironment::own_caps().tcb; }

// A log of single-character events in the order they happened, shared by threads.
struct EventLog {
    volatile char events[64];
    volatile u64 length;

    void clear() {
        length = 0;
        for (auto& event : events) event = '\0';
    }
    void add(char event) {
        u64 at = length;
        if (at >= sizeof(events) - 1) return;
        events[at] = event;
        length = at + 1;
    }
    bool equals(const char* expected) const {
        u64 i = 0;
        for (; expected[i] != '\0'; ++i)
            if (i >= length || events[i] != expected[i]) return false;
        return i == length;
    }
    kstd::StringView view() const { return kstd::StringView(const_cast<const char*>(events), length); }
};

// Whether `result` failed with exactly `expected` (the kernel's code and details).
template <typename T> bool failed_with(const user::Result<T>& result, const user::Error& expected) {
    return !result.ok() && result.error() == expected;
}
inline user::Error kernel_error(ErrorCode code) { return user::Error::of(code); }
inline user::Error invalid_argument(u64 word) {
    user::Error e = user::Error::of(ErrorCode::InvalidArgument);
    e.argument = word;
    return e;
}
inline user::Error invalid_capability(u64 which) {
    user::Error e = user::Error::of(ErrorCode::InvalidCapability);
    e.argument = which;
    return e;
}
inline user::Error range_error(u64 low, u64 high) {
    user::Error e = user::Error::of(ErrorCode::RangeError);
    e.range_min = low;
    e.range_max = high;
    return e;
}

// What a result was, for the notes: its error, or "success".
template <typename T> user::Error outcome(const user::Result<T>& result) {
    return result.ok() ? user::Error{} : result.error();
}

// A thread of the root task's priority that counts one step per turn (handing the CPU
// back with Yield) until told to stop: proof that other threads go on running.
struct Bystander {
    volatile u64 count;
    volatile bool stop;
    volatile bool stopped;
};
inline Bystander g_bystander;

inline void bystander_loop(u64) {
    while (!g_bystander.stop) {
        g_bystander.count = g_bystander.count + 1;
        user::yield();
    }
    g_bystander.stopped = true;
}

inline user::Result<void> start_bystander(TestContext& t) {
    g_bystander.count = 0;
    g_bystander.stop = false;
    g_bystander.stopped = false;
    user::Thread thread =
        TRY(make_stopped_thread(t, "bystander", bystander_loop, 0, roottask::kRootRunPriority));
    return thread.tcb.resume();
}

// Whether the bystander counts on: the root task yields until it has advanced.
inline bool bystander_advances() {
    u64 before = g_bystander.count;
    for (unsigned i = 0; i < kYieldLimit; ++i) {
        if (g_bystander.count > before) return true;
        user::yield();
    }
    return false;
}

inline bool stop_bystander() {
    g_bystander.stop = true;
    for (unsigned i = 0; i < kYieldLimit && !g_bystander.stopped; ++i) user::yield();
    return g_bystander.stopped;
}

} // namespace tessera::roottask::sched_tests
