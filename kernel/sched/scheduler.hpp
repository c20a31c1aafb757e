#pragma once
// Fixed-priority preemptive scheduling with round-robin time slices among equals, one
// instance per CPU. The highest runnable thread always runs; a thread that used up its
// slice goes to the back of its level; a preempted one keeps its place at the front.
#include <object/tcb.hpp>
#include <sched/ready_queues.hpp>

namespace tessera {

// A time slice is this many timer-tick periods of running time.
inline constexpr u64 kTimeSliceTicks = 5;

class Scheduler {
public:
    // The slice length in timebase units (the tick period times kTimeSliceTicks).
    void set_time_slice(u64 units) { time_slice_ = units == 0 ? 1 : units; }
    u64 time_slice() const { return time_slice_; }

    // Makes `thread` runnable. A thread above the current one preempts it at the next
    // scheduling decision.
    void make_runnable(Tcb& thread);
    // Takes `thread` off the CPU and the queues (suspend, block).
    void make_unrunnable(Tcb& thread);

    // The timer tick at time `now`: charges the current thread for the time it ran since
    // it was dispatched or last charged (never for time before it got the CPU); true when
    // its slice ran out.
    bool tick(u64 now);
    // The current thread gives up the rest of its slice to its equals.
    void yield();

    // Decides who runs next: the current thread unless a higher (or, after its slice or
    // a yield, an equal) runnable thread waits. Null means: idle.
    Tcb* choose(u64 now);

    // True when a thread of `priority` would be chosen before every queued thread (an
    // equal one queued first would win: round-robin order).
    bool outranks_queued(u8 priority) const { return queues_.empty() || queues_.highest_priority() < priority; }
    // The current thread has blocked, and `next` (runnable, in no queue, outranking every
    // queued thread) takes the CPU at once: what choose() would decide, without the
    // queue round trip. The IPC fastpath's direct switch.
    void switch_to(Tcb& next, u64 now);

    Tcb* current() const { return current_; }
    const ReadyQueues& queues() const { return queues_; }

private:
    ReadyQueues queues_;
    Tcb* current_ = nullptr;
    bool current_must_yield_ = false;
    u64 time_slice_ = kTimeSliceTicks;
    u64 charged_until_ = 0; // the current thread has been charged up to this time
};

} // namespace tessera
