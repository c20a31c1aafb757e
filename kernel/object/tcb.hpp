#pragma once
// The thread control block: a 1 KiB kernel object made by Retype. Its first slots hold the
// thread's own capabilities (deletion treats them like a CNode's), then the saved user
// registers and the scheduling state.
#include <abi/faults.hpp>
#include <abi/ipc_buffer.hpp>
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
    // Waiting in an IPC queue (kernel/ipc/): out of the scheduler until a partner, a
    // cancellation or the object's deletion wakes it.
    BlockedOnSend,         // in an endpoint's queue with a message to deliver
    BlockedOnReceive,      // in an endpoint's queue, waiting for a message
    BlockedOnNotification, // in a notification's queue, waiting for a signal
    BlockedOnReply,        // its Call was delivered; parked on a Reply object for the answer
};

const char* thread_state_name(ThreadState state);

struct Tcb;
struct Notification;
struct ReplyObject;

// What a blocked thread is waiting for (kernel/ipc/). The links thread the TCB into the
// queue of the Endpoint or Notification at `waiting_on`; both live in the TCB because
// those objects are too small (16 and 32 bytes) for anything but a head and a tail.
struct IpcWait {
    Tcb* next = nullptr;
    Tcb* prev = nullptr;
    u64 waiting_on = 0;    // the object's address while BlockedOn*, else 0
    // BlockedOnSend: the message as the sender offered it, kept until a receiver takes it.
    u64 badge = 0;         // the badge of the capability it sends through
    u64 message_info = 0;  // the message-info word (length, extra capabilities, label)
    bool is_call = false;  // the sender waits for a reply after delivery (Call)
    // BlockedOnSend: its capability had the grant right, so extra capabilities move.
    // BlockedOnReceive: its capability had it, so the answer to a Call may carry some.
    bool can_grant = false;
    // BlockedOnReceive: the Reply object a Call that arrives will park its caller on.
    ReplyObject* reply = nullptr;
};

// A fault the kernel sends to the thread's fault handler (abi/faults.hpp), kept from the
// fault until the handler's answer, or until the fault is abandoned: the message is built
// from it when a handler receives, however long after the fault that is.
struct PendingFault {
    u64 label = 0; // FaultLabel; 0 when no fault is pending
    u64 length = 0;
    u64 words[kMaxFaultWords] = {};

    bool pending() const { return label != 0; }
};

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
    IpcWait ipc;
    // A notification whose signals also end this thread's Recv on an endpoint.
    Notification* bound_notification = nullptr;
    PendingFault fault;

    Slot& slot(TcbSlot which) { return slots[static_cast<u8>(which)]; }
    bool runnable() const { return state == ThreadState::Running || state == ThreadState::Restart; }
    static Tcb* from_schedule(Schedulable* entry);
};

static_assert(__builtin_offsetof(Tcb, slots) == 0, "deletion empties a TCB's slots from its first byte");
static_assert(sizeof(Tcb) <= (1u << kTcbSizeBits));
static_assert(kTcbSizeBits >= 2, "IPC queues keep a 2-bit state in the low bits of a TCB pointer");

inline Tcb* Tcb::from_schedule(Schedulable* entry) { return entry ? static_cast<Tcb*>(entry->owner) : nullptr; }

// The thread's IPC buffer as the kernel sees it (through its own copy of the frame
// capability, so no user Unmap or Delete can pull it away); null when it has none.
inline IpcBuffer* ipc_buffer_of(Tcb& thread) {
    const Capability& frame = thread.slot(TcbSlot::IpcBuffer).cap;
    if (frame.type() != CapType::Frame || frame.is_device()) return nullptr;
    u64 offset = thread.ipc_buffer & ((u64{1} << frame.frame_size_bits()) - 1);
    return reinterpret_cast<IpcBuffer*>(frame.address() + offset);
}

inline Tcb* tcb_of(const Capability& cap) { return reinterpret_cast<Tcb*>(cap.address()); }

} // namespace tessera
