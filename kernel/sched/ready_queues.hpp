#pragma once
// The run queues of one CPU: 256 priorities, a FIFO of runnable threads per priority, and
// a two-level bitmap of non-empty priorities so that the highest runnable thread is found
// in constant time (two count-leading-zeros), however many threads there are.
#include <kstd/intrusive_list.hpp>
#include <kstd/types.hpp>

namespace tessera {

inline constexpr unsigned kPriorityLevels = 256;
inline constexpr u8 kMaxPriority = 255;

// What the scheduler needs of a thread: its priority and a hook for its run queue.
struct Schedulable {
    kstd::ListHook run_queue_hook;
    void* owner = nullptr; // the thread this entry belongs to
    u8 priority = 0;
    bool queued() const { return run_queue_hook.linked(); }
};

class ReadyQueues {
public:
    // Round-robin among equals: a thread that used up its time slice goes to the back.
    void enqueue_back(Schedulable& thread);
    // A preempted thread keeps its turn: it goes to the front of its level.
    void enqueue_front(Schedulable& thread);
    void remove(Schedulable& thread);

    // The first thread of the highest non-empty priority, left in the queue; null if none.
    Schedulable* highest() const;
    // The highest priority with a runnable thread; only when !empty().
    u8 highest_priority() const;
    bool empty() const { return summary_ == 0; }

private:
    using Queue = kstd::IntrusiveList<Schedulable, &Schedulable::run_queue_hook>;
    static constexpr unsigned kWords = kPriorityLevels / 64;

    void mark_non_empty(u8 priority);
    void mark_maybe_empty(u8 priority);

    Queue queues_[kPriorityLevels];
    u64 levels_[kWords] = {}; // bit p % 64 of word p / 64: priority p has threads
    u64 summary_ = 0;         // bit w: levels_[w] is not zero
};

} // namespace tessera
