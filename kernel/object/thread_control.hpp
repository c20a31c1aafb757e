#pragma once
// What the TCB invocations need of the scheduler. The portable core cannot reach the
// per-CPU scheduler (kernel/cpu is not built for the host), so the kernel registers these
// hooks at boot (install_thread_control, kernel/sched/thread_control.cpp) and the host
// tests register their own around a Scheduler instance. Until then the invocations that
// need them answer IllegalOperation.
#include <kstd/types.hpp>

namespace tessera {

struct Tcb;
class Scheduler;

struct ThreadControl {
    // The thread becomes runnable (state Running) and joins a ready queue.
    void (*resume)(Tcb& thread) = nullptr;
    // The thread leaves the CPU and every queue; the caller then sets the state it means
    // (Inactive for TCB.Suspend).
    void (*suspend)(Tcb& thread) = nullptr;
    // The thread leaves the CPU and every ready queue but keeps the state its caller set
    // (an IPC BlockedOn* state): blocking is not suspension.
    void (*block)(Tcb& thread) = nullptr;
    // Sets the thread's priority; a queued thread moves to its new level's queue.
    void (*set_priority)(Tcb& thread, u8 priority) = nullptr;

    bool complete() const { return resume != nullptr && suspend != nullptr && set_priority != nullptr; }
};

ThreadControl& thread_control();

// Registers the kernel's hooks, which act on this CPU's scheduler. Called once at boot.
void install_thread_control();

// The priority change both the kernel's hook and the host tests use: a queued thread is
// taken out of its level's queue and appended to the new level's, behind the threads
// already there; the running thread only changes its number, and the next scheduling
// decision compares it with the queues.
void change_priority(Scheduler& scheduler, Tcb& thread, u8 priority);

} // namespace tessera
