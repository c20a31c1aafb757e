#pragma once
// What the root task's benchmarks share: the samples of one metric and their report (one
// JSON line), the threads a benchmark makes and the wait for them to finish, and the
// measured cost of the measurement itself.
#include <abi/invocation_labels.hpp>
#include <kstd/string_view.hpp>
#include <userlib/ipc.hpp>
#include <userlib/thread.hpp>

#include "../root_environment.hpp"
#include "timing.hpp"

namespace tessera::roottask::bench {

using namespace tessera::bench;

// The priority benchmark threads run at (a second thread of a pair at kPriority + 1, ...).
// The root task stays at the highest priority, blocked in Wait while they run, so it wakes
// the moment the last of them signals that it is done.
inline constexpr u64 kPriority = 100;

// The samples of one metric: the last kSamples of kRounds, each already reduced by the
// counter overhead.
class Samples {
public:
    void add(u64 value) {
        if (count_ < kSamples) values_[count_++] = value;
    }
    u64 count() const { return count_; }
    u64 median() const; // of the sorted samples, the upper middle one
    u64 min() const;
    u64 max() const;
    void sort();

private:
    u64 values_[kSamples] = {};
    u64 count_ = 0;
};

// The interval from `start` to `end`, less the cost of two back-to-back counter reads
// (never below zero).
u64 interval(u64 start, u64 end);

// An invocation of `target` with up to three words and at most one extra capability (0:
// none), its registers loaded as the Call convention has them before the first counter
// read, as libsel4's inline stubs do, so userlib's request building is not measured.
// False when the kernel refused it (checked after the second read).
bool timed_invocation(user::CPtr target, InvocationLabel label, u64 length, u64 word0, u64 word1, u64 word2,
                      user::CPtr extra, Stamps& stamps);

class Bench {
public:
    explicit Bench(RootEnvironment& root) : root_(root) {}

    // Measures the counter overhead; makes the notification threads signal when done.
    bool prepare();
    u64 counter_overhead() const { return overhead_; }
    RootEnvironment& root() { return root_; }
    user::Notification done() const { return done_; }

    // A thread of the root task's address space running `entry(argument)` at `priority`.
    // It is runnable at once but, below the root task, runs only once the root task waits.
    user::Result<user::Tcb> spawn(kstd::StringView name, user::ThreadEntry entry, u64 argument, u64 priority);
    // Waits for a benchmark's threads to signal `done`, then suspends every thread spawned
    // since the last finish, so none of them is left in a queue the next benchmark sees.
    void finish();

    // Prints the metric as one JSON line; false (and a note) when it has too few samples.
    bool report(kstd::StringView metric, Samples& samples, kstd::StringView unit = "instructions");
    // A figure that happens once per boot (its one sample).
    void report_once(kstd::StringView metric, u64 value);
    // Notes why a benchmark could not run; its metrics are then missing.
    void fail(kstd::StringView metric, const user::Error& error);
    void fail(kstd::StringView metric, kstd::StringView why);
    unsigned failures() const { return failures_; }

private:
    static constexpr usize kMaxThreads = 8;

    RootEnvironment& root_;
    user::Notification done_;
    u64 overhead_ = 0;
    user::Tcb threads_[kMaxThreads];
    usize thread_count_ = 0;
    unsigned failures_ = 0;
};

// The benchmark groups, one file each. Each prints its metrics and notes its failures.
void run_ipc_benchmarks(Bench& bench);
void run_signal_benchmarks(Bench& bench);
void run_fault_benchmarks(Bench& bench);
void run_vm_benchmarks(Bench& bench);
void run_irq_benchmarks(Bench& bench);

} // namespace tessera::roottask::bench
