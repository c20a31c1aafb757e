#include <sched/scheduler.hpp>

namespace tessera {

void Scheduler::make_runnable(Tcb& thread) {
    thread.schedule.owner = &thread;
    if (&thread == current_ || thread.schedule.queued()) return;
    if (thread.time_slice_left == 0) thread.time_slice_left = time_slice_;
    queues_.enqueue_back(thread.schedule);
}

void Scheduler::make_unrunnable(Tcb& thread) {
    if (thread.schedule.queued()) queues_.remove(thread.schedule);
    if (&thread == current_) current_ = nullptr;
}

bool Scheduler::tick(u64 now) {
    if (current_ == nullptr || now <= charged_until_) return false;
    u64 ran = now - charged_until_;
    charged_until_ = now;
    current_->time_slice_left = current_->time_slice_left > ran ? current_->time_slice_left - ran : 0;
    if (current_->time_slice_left > 0) return false;
    current_->time_slice_left = time_slice_;
    current_must_yield_ = true;
    return true;
}

void Scheduler::yield() {
    if (current_ == nullptr) return;
    current_->time_slice_left = time_slice_;
    current_must_yield_ = true;
}

Tcb* Scheduler::choose(u64 now) {
    Tcb* best = Tcb::from_schedule(queues_.highest());
    if (current_ != nullptr && current_->runnable()) {
        bool keep = best == nullptr || best->schedule.priority < current_->schedule.priority ||
                    (best->schedule.priority == current_->schedule.priority && !current_must_yield_);
        if (keep) {
            current_must_yield_ = false;
            return current_;
        }
        // Preempted by a higher thread: keeps its turn. Out of slice or yielding: back of the line.
        if (current_must_yield_)
            queues_.enqueue_back(current_->schedule);
        else
            queues_.enqueue_front(current_->schedule);
    }
    current_must_yield_ = false;
    current_ = best;
    charged_until_ = now;
    if (best != nullptr) queues_.remove(best->schedule);
    return best;
}

void Scheduler::switch_to(Tcb& next, u64 now) {
    KASSERT(!next.schedule.queued() && outranks_queued(next.schedule.priority));
    next.schedule.owner = &next;
    if (next.time_slice_left == 0) next.time_slice_left = time_slice_;
    current_ = &next;
    current_must_yield_ = false;
    charged_until_ = now;
}

const char* thread_state_name(ThreadState state) {
    switch (state) {
    case ThreadState::Inactive: return "inactive";
    case ThreadState::Running: return "running";
    case ThreadState::Restart: return "restart";
    case ThreadState::Suspended: return "suspended";
    case ThreadState::BlockedOnSend: return "blocked on send";
    case ThreadState::BlockedOnReceive: return "blocked on receive";
    case ThreadState::BlockedOnNotification: return "blocked on notification";
    case ThreadState::BlockedOnReply: return "blocked on reply";
    }
    return "?";
}

} // namespace tessera
