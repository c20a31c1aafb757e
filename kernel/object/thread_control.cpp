#include <object/thread_control.hpp>
#include <sched/scheduler.hpp>

namespace tessera {

ThreadControl& thread_control() {
    static ThreadControl hooks;
    return hooks;
}

void change_priority(Scheduler& scheduler, Tcb& thread, u8 priority) {
    if (!thread.schedule.queued()) {
        thread.schedule.priority = priority;
        return;
    }
    // A queued thread is never the current one, so taking it off touches only its queue.
    scheduler.make_unrunnable(thread);
    thread.schedule.priority = priority;
    scheduler.make_runnable(thread);
}

} // namespace tessera
