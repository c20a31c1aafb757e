// Notifications and the scheduler, as sel4bench's signal and scheduler benchmarks measure
// them:
//   signal_to_higher_prio  a thread Signals a notification a higher-priority thread waits
//                          on: signaller before its ecall -> waiter after Wait returns;
//   signal_to_lower_prio   a thread Signals a notification a lower-priority thread waits
//                          on: before the ecall -> after Signal returns, in the signaller;
//   yield_thread           two threads of one priority Yield to each other: before one's
//                          ecall -> after the other's Yield returns.
#include "bench_support.hpp"

namespace tessera::roottask::bench {

namespace {

inline Registers notification_call(Syscall call, u64 notification) { return ipc_registers(call, notification); }

// ---- Signal to a higher-priority waiter ----

struct HigherStamps {
    u64 notification;
    u64 done;
    volatile u64 woken;
    volatile bool failed;
    u64 signal_start[kRounds];
    u64 wait_end[kRounds];
};
HigherStamps g_higher;

void higher_waiter(u64) {
    for (;;) {
        Registers r = notification_call(Syscall::Wait, g_higher.notification);
        Stamps stamps = timed_ecall(r);
        if (!ipc_ok(r)) break;
        u64 round = g_higher.woken;
        if (round < kRounds) g_higher.wait_end[round] = stamps.after;
        g_higher.woken = round + 1;
    }
    g_higher.failed = true;
    (void)user::Notification(user::CPtr{g_higher.done}).signal();
}

void lower_signaller(u64) {
    for (u64 round = 0; round < kRounds; ++round) {
        Registers r = notification_call(Syscall::Signal, g_higher.notification);
        Stamps stamps = timed_ecall(r);
        if (!ipc_ok(r)) g_higher.failed = true;
        g_higher.signal_start[round] = stamps.before;
    }
    (void)user::Notification(user::CPtr{g_higher.done}).signal();
}

user::Result<void> signal_to_higher(Bench& bench) {
    g_higher.notification = TRY(bench.root().objects.allocate(ObjectType::Notification)).value;
    g_higher.done = bench.done().cap().value;
    g_higher.woken = 0;
    g_higher.failed = false;
    TRY(bench.spawn("bench-waiter", higher_waiter, 0, kPriority + 1));
    TRY(bench.spawn("bench-signaller", lower_signaller, 0, kPriority));
    bench.finish();
    if (g_higher.failed || g_higher.woken < kRounds) {
        bench.fail("signal_to_higher_prio", "the waiter did not wake for every Signal");
        return {};
    }
    Samples samples;
    for (u64 round = kWarmup; round < kRounds; ++round)
        samples.add(interval(g_higher.signal_start[round], g_higher.wait_end[round]));
    bench.report("signal_to_higher_prio", samples);
    return {};
}

// ---- Signal to a lower-priority waiter ----
// The signaller (highest) must find the waiter blocked every time, so after each Signal it
// blocks itself on a second notification; the waiter (middle) takes the signal and waits
// again; only then does the lowest thread run, and it wakes the signaller.

struct LowerStamps {
    u64 measured;  // the notification the waiter waits on
    u64 turn;      // the one that hands the signaller its next turn
    u64 done;
    volatile bool failed;
    Samples samples;
};
LowerStamps g_lower;

void top_signaller(u64) {
    for (u64 round = 0; round < kRounds; ++round) {
        Registers r = notification_call(Syscall::Signal, g_lower.measured);
        Stamps stamps = timed_ecall(r);
        if (!ipc_ok(r)) g_lower.failed = true;
        if (round >= kWarmup) g_lower.samples.add(interval(stamps.before, stamps.after));
        (void)user::Notification(user::CPtr{g_lower.turn}).wait();
    }
    (void)user::Notification(user::CPtr{g_lower.done}).signal();
}

void middle_waiter(u64) {
    for (;;) (void)user::Notification(user::CPtr{g_lower.measured}).wait();
}

void bottom_turn_giver(u64) {
    for (;;) (void)user::Notification(user::CPtr{g_lower.turn}).signal();
}

user::Result<void> signal_to_lower(Bench& bench) {
    g_lower.measured = TRY(bench.root().objects.allocate(ObjectType::Notification)).value;
    g_lower.turn = TRY(bench.root().objects.allocate(ObjectType::Notification)).value;
    g_lower.done = bench.done().cap().value;
    g_lower.failed = false;
    g_lower.samples = Samples();
    TRY(bench.spawn("bench-signaller", top_signaller, 0, kPriority + 2));
    TRY(bench.spawn("bench-waiter", middle_waiter, 0, kPriority + 1));
    TRY(bench.spawn("bench-turns", bottom_turn_giver, 0, kPriority));
    bench.finish();
    if (g_lower.failed) {
        bench.fail("signal_to_lower_prio", "a Signal failed");
        return {};
    }
    bench.report("signal_to_lower_prio", g_lower.samples);
    return {};
}

// ---- Yield between two threads of one priority ----
// Each thread stamps before and after its own Yield. Which Yield a return ends is found
// afterwards from the stamps alone: the latest Yield that began before it. A timer tick
// that reorders the two threads therefore costs one sample at most, never the pairing.

struct YieldThread {
    volatile u64 rounds;
    u64 start[kRounds];
    u64 end[kRounds];
};
struct YieldStamps {
    u64 done;
    YieldThread threads[2];
};
YieldStamps g_yield;

void yielder(u64 index) {
    YieldThread& own = g_yield.threads[index];
    for (u64 round = 0; round < kRounds; ++round) {
        Registers r;
        r.a[7] = static_cast<u64>(Syscall::Yield);
        Stamps stamps = timed_ecall(r);
        own.start[round] = stamps.before;
        own.end[round] = stamps.after;
        own.rounds = round + 1;
    }
    // The first to finish wakes the root task, which stops the other.
    (void)user::Notification(user::CPtr{g_yield.done}).signal();
}

// The switches into thread `index`: each of its Yield returns paired with the latest Yield
// of the other thread that began after its own (a later one of its own would mean it ran
// on without a switch).
void add_switches(Samples& samples, u64 index) {
    const YieldThread& own = g_yield.threads[index];
    const YieldThread& other = g_yield.threads[1 - index];
    u64 next_other = 0;
    for (u64 round = kWarmup; round < own.rounds; ++round) {
        while (next_other < other.rounds && other.start[next_other] < own.end[round]) ++next_other;
        if (next_other == 0) continue;
        u64 started = other.start[next_other - 1];
        if (started > own.start[round]) samples.add(interval(started, own.end[round]));
    }
}

user::Result<void> yield_between_threads(Bench& bench) {
    g_yield.done = bench.done().cap().value;
    g_yield.threads[0].rounds = 0;
    g_yield.threads[1].rounds = 0;
    TRY(bench.spawn("bench-yield-a", yielder, 0, kPriority));
    TRY(bench.spawn("bench-yield-b", yielder, 1, kPriority));
    bench.finish();
    // Samples keeps the first kSamples: the switches into the first thread, then (only if
    // a tick cost some of those) into the second; both are the same path.
    Samples samples;
    add_switches(samples, 0);
    add_switches(samples, 1);
    bench.report("yield_thread", samples);
    return {};
}

} // namespace

void run_signal_benchmarks(Bench& bench) {
    if (auto ran = signal_to_higher(bench); !ran) bench.fail("signal_to_higher_prio", ran.error());
    if (auto ran = signal_to_lower(bench); !ran) bench.fail("signal_to_lower_prio", ran.error());
    if (auto ran = yield_between_threads(bench); !ran) bench.fail("yield_thread", ran.error());
}

} // namespace tessera::roottask::bench
