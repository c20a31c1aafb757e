#pragma once
// The thread control block: a 1 KiB kernel object made by Retype. Its first slots hold the
// thread's own capabilities (deletion treats them like a CNode's), then the saved user
// registers and the scheduling state.
#include <arch/fp_context.hpp>
#include <arch/trap_frame.hpp>
#include <object/finalise.hpp>
#include <object/object_types.hpp>
#include <sched/ready_queues.hpp>

namespace tessera {

enum class TcbSlot : u8 {
    CSpaceRoot = 0,
    VSpaceRoot = 1,
    IpcBuffer = 2,
    FaultHandler = 3,
    Reply = 4,
};
static_assert(static_cast<u64>(TcbSlot::Reply) + 1 == kTcbSlotCount);

enum class ThreadState : u8 {
    Inactive = 0, // made, or stopped by TCB.Suspend: never scheduled until resumed
    Running,      // runnable: in a ready queue or on a CPU
    Restart,      // runnable, and its system call restarts when it runs (preempted operation)
    Suspended,    // stopped by the kernel after a fault it could not deliver
};

const char* thread_state_name(ThreadState state);

struct Tcb {
    Slot slots[kTcbSlotCount];
    arch::TrapFrame registers; // the user context, saved on every entry to the kernel
    arch::FpContext fp;        // its floating-point registers, saved when it dirtied them
    Schedulable schedule;
    ThreadState state;
    u8 max_controlled_priority; // the highest priority this thread may give (TCB.SetPriority)
    u64 time_slice_left; // ticks
    // User address of the IPC buffer (TCB.Configure, SetIpcBuffer). The kernel reaches the
    // buffer through the frame in the IpcBuffer slot, at this address's offset in the frame.
    u64 ipc_buffer;
    char name[16]; // for the kernel's log and the debugger (TCB.SetName), NUL-terminated

    Slot& slot(TcbSlot which) { return slots[static_cast<u8>(which)]; }
    bool runnable() const { return state == ThreadState::Running || state == ThreadState::Restart; }
    static Tcb* from_schedule(Schedulable* entry);
};

static_assert(__builtin_offsetof(Tcb, slots) == 0, "deletion empties a TCB's slots from its first byte");
static_assert(sizeof(Tcb) <= (1u << kTcbSizeBits));

inline Tcb* Tcb::from_schedule(Schedulable* entry) { return entry ? static_cast<Tcb*>(entry->owner) : nullptr; }

inline Tcb* tcb_of(const Capability& cap) { return reinterpret_cast<Tcb*>(cap.address()); }

} // namespace tessera
