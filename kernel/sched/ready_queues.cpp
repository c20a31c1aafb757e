#include <kstd/bit.hpp>
#include <sched/ready_queues.hpp>

namespace tessera {

void ReadyQueues::mark_non_empty(u8 priority) {
    levels_[priority / 64] |= kstd::bit(priority % 64);
    summary_ |= kstd::bit(priority / 64);
}

void ReadyQueues::mark_maybe_empty(u8 priority) {
    if (!queues_[priority].empty()) return;
    levels_[priority / 64] &= ~kstd::bit(priority % 64);
    if (levels_[priority / 64] == 0) summary_ &= ~kstd::bit(priority / 64);
}

void ReadyQueues::enqueue_back(Schedulable& thread) {
    queues_[thread.priority].push_back(thread);
    mark_non_empty(thread.priority);
}

void ReadyQueues::enqueue_front(Schedulable& thread) {
    queues_[thread.priority].push_front(thread);
    mark_non_empty(thread.priority);
}

void ReadyQueues::remove(Schedulable& thread) {
    queues_[thread.priority].remove(thread);
    mark_maybe_empty(thread.priority);
}

u8 ReadyQueues::highest_priority() const {
    KASSERT(summary_ != 0);
    unsigned word = kstd::log2_floor(summary_);
    return static_cast<u8>(word * 64 + kstd::log2_floor(levels_[word]));
}

Schedulable* ReadyQueues::highest() const {
    if (summary_ == 0) return nullptr;
    return queues_[highest_priority()].front();
}

} // namespace tessera
