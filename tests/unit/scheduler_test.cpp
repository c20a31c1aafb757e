// The scheduler's decisions: the highest runnable thread runs; a preempted thread keeps
// its turn; a thread whose time slice ran out, or that yielded, goes behind its equals.
// Slices are charged in timebase units, only for time the thread actually had the CPU.
#include <catch2/catch.hpp>

#include <sched/scheduler.hpp>

#include <memory>

using tessera::Scheduler;
using tessera::Tcb;
using tessera::ThreadState;

namespace {

constexpr u64 kSlice = 500;

struct Threads {
    std::unique_ptr<Tcb[]> storage{new Tcb[8]{}};
    Tcb& make(unsigned index, u8 priority) {
        Tcb& thread = storage[index];
        thread.schedule.priority = priority;
        thread.state = ThreadState::Running;
        return thread;
    }
};

struct SlicedScheduler : Scheduler {
    SlicedScheduler() { set_time_slice(kSlice); }
};

} // namespace

TEST_CASE("Scheduler: nothing runnable means idle") {
    SlicedScheduler scheduler;
    CHECK(scheduler.choose(0) == nullptr);
    CHECK(scheduler.current() == nullptr);
    CHECK_FALSE(scheduler.tick(100));
}

TEST_CASE("Scheduler: the highest priority runs, and a higher one preempts it") {
    SlicedScheduler scheduler;
    Threads t;
    Tcb& low = t.make(0, 10);
    Tcb& high = t.make(1, 200);
    scheduler.make_runnable(low);
    CHECK(scheduler.choose(0) == &low);
    CHECK(scheduler.choose(1) == &low); // stays while nothing better waits
    scheduler.make_runnable(high);
    CHECK(scheduler.choose(2) == &high);
    // The preempted thread waits at the front of its level, ahead of a newer equal.
    Tcb& equal = t.make(2, 10);
    scheduler.make_runnable(equal);
    scheduler.make_unrunnable(high);
    CHECK(scheduler.choose(3) == &low);
}

TEST_CASE("Scheduler: round robin among equals when the time slice runs out") {
    SlicedScheduler scheduler;
    Threads t;
    Tcb& a = t.make(0, 50);
    Tcb& b = t.make(1, 50);
    scheduler.make_runnable(a);
    scheduler.make_runnable(b);
    CHECK(scheduler.choose(1000) == &a);
    CHECK_FALSE(scheduler.tick(1000 + kSlice - 1));
    CHECK(scheduler.choose(1000 + kSlice - 1) == &a);
    CHECK(scheduler.tick(1000 + kSlice));
    CHECK(scheduler.choose(1000 + kSlice) == &b);
    CHECK(scheduler.tick(1000 + 2 * kSlice));
    CHECK(scheduler.choose(1000 + 2 * kSlice) == &a);
}

TEST_CASE("Scheduler: a thread is charged only for time it had the CPU") {
    SlicedScheduler scheduler;
    Threads t;
    Tcb& a = t.make(0, 9);
    Tcb& b = t.make(1, 9);
    Tcb& high = t.make(2, 100);
    scheduler.make_runnable(high);
    scheduler.make_runnable(a);
    scheduler.make_runnable(b);
    CHECK(scheduler.choose(0) == &high);
    scheduler.make_unrunnable(high);
    CHECK(scheduler.choose(10 * kSlice) == &a);
    // A late tick right after `a` got the CPU: the long time before belongs to `high`.
    CHECK_FALSE(scheduler.tick(10 * kSlice + 1));
    CHECK(a.time_slice_left == kSlice - 1);
    CHECK(scheduler.choose(10 * kSlice + 1) == &a);
    // One late tick covering more than a whole slice of a's own time ends it at once.
    CHECK(scheduler.tick(12 * kSlice));
    CHECK(scheduler.choose(12 * kSlice) == &b);
}

TEST_CASE("Scheduler: a lone thread keeps the CPU when its slice runs out") {
    SlicedScheduler scheduler;
    Threads t;
    Tcb& only = t.make(0, 1);
    scheduler.make_runnable(only);
    CHECK(scheduler.choose(0) == &only);
    CHECK(scheduler.tick(kSlice));
    CHECK(scheduler.choose(kSlice) == &only);
    CHECK(only.time_slice_left == kSlice); // a fresh slice
}

TEST_CASE("Scheduler: yield hands the CPU to an equal, never to a lower thread") {
    SlicedScheduler scheduler;
    Threads t;
    Tcb& a = t.make(0, 30);
    Tcb& b = t.make(1, 30);
    Tcb& low = t.make(2, 29);
    scheduler.make_runnable(a);
    scheduler.make_runnable(low);
    CHECK(scheduler.choose(0) == &a);
    scheduler.yield();
    CHECK(scheduler.choose(1) == &a); // no equal: the yielder continues
    scheduler.make_runnable(b);
    scheduler.yield();
    CHECK(scheduler.choose(2) == &b);
    scheduler.yield();
    CHECK(scheduler.choose(3) == &a);
}

TEST_CASE("Scheduler: an unrunnable current thread is replaced; making a queued thread runnable twice is harmless") {
    SlicedScheduler scheduler;
    Threads t;
    Tcb& a = t.make(0, 5);
    Tcb& b = t.make(1, 5);
    scheduler.make_runnable(a);
    scheduler.make_runnable(b);
    scheduler.make_runnable(b);
    CHECK(scheduler.choose(0) == &a);
    a.state = ThreadState::Suspended;
    scheduler.make_unrunnable(a);
    CHECK(scheduler.current() == nullptr);
    CHECK(scheduler.choose(1) == &b);
    CHECK(scheduler.choose(2) == &b);
    b.state = ThreadState::Inactive;
    scheduler.make_unrunnable(b);
    CHECK(scheduler.choose(3) == nullptr);
}
