#pragma once
// What a holder of a CNode or TCB capability may learn about it: CNode.Describe (label 10)
// names the capability in a slot, TCB.GetStatus (label 29) the thread's state. The
// numbers are ABI: the root task reports them to the shell (docs/invocations.md).
#include <kstd/types.hpp>

namespace tessera {

// A capability's type, as CNode.Describe reports it (the kernel's own numbering).
enum class CapabilityKind : u64 {
    Null = 0,
    Untyped = 1,
    CNode = 2,
    Tcb = 3,
    Endpoint = 4,
    Notification = 5,
    Reply = 6,
    Frame = 7,
    PageTable = 8,
    AsidControl = 9,
    AsidPool = 10,
    IrqControl = 11,
    IrqHandler = 12,
    Zombie = 13, // a CNode or TCB being deleted
};

constexpr const char* capability_kind_name(CapabilityKind kind) {
    switch (kind) {
    case CapabilityKind::Null: return "Null";
    case CapabilityKind::Untyped: return "Untyped";
    case CapabilityKind::CNode: return "CNode";
    case CapabilityKind::Tcb: return "Tcb";
    case CapabilityKind::Endpoint: return "Endpoint";
    case CapabilityKind::Notification: return "Notification";
    case CapabilityKind::Reply: return "Reply";
    case CapabilityKind::Frame: return "Frame";
    case CapabilityKind::PageTable: return "PageTable";
    case CapabilityKind::AsidControl: return "AsidControl";
    case CapabilityKind::AsidPool: return "AsidPool";
    case CapabilityKind::IrqControl: return "IrqControl";
    case CapabilityKind::IrqHandler: return "IrqHandler";
    case CapabilityKind::Zombie: return "Zombie";
    }
    return "Unknown";
}

// CNode.Describe(index, depth): the answer's words.
enum class CapabilityDescription : u64 {
    Kind = 0,     // CapabilityKind
    Rights = 1,   // read 1, write 2, grant 4, grant-reply 8
    Data = 2,     // the badge (Endpoint, Notification), the guard word (CNode), the line
                  // (IrqHandler), the mapped address (Frame, PageTable; 0 unmapped)
    Object = 3,   // the object's physical address (0 for Null, AsidControl, IrqControl)
    SizeBits = 4, // the object's size in bits (Untyped, Frame, CNode: radix + 5, ...)
    Count = 5,
};

// A thread's state, as TCB.GetStatus reports it (the kernel's own numbering).
enum class ThreadStatus : u64 {
    Inactive = 0,              // made or suspended with TCB.Suspend
    Running = 1,               // runnable
    Restart = 2,               // runnable, restarting a preempted system call
    Suspended = 3,             // stopped by the kernel: a fault nobody handled, or the thread ended
    BlockedOnSend = 4,
    BlockedOnReceive = 5,
    BlockedOnNotification = 6,
    BlockedOnReply = 7,
};

constexpr const char* thread_status_name(ThreadStatus status) {
    switch (status) {
    case ThreadStatus::Inactive: return "inactive";
    case ThreadStatus::Running: return "running";
    case ThreadStatus::Restart: return "restart";
    case ThreadStatus::Suspended: return "suspended";
    case ThreadStatus::BlockedOnSend: return "send";
    case ThreadStatus::BlockedOnReceive: return "receive";
    case ThreadStatus::BlockedOnNotification: return "wait";
    case ThreadStatus::BlockedOnReply: return "reply";
    }
    return "unknown";
}

// TCB.GetStatus(): the answer's words.
enum class ThreadStatusWord : u64 {
    State = 0,     // ThreadStatus
    Priority = 1,
    MaxControlledPriority = 2,
    NameLow = 3,   // the name's bytes 0..7 (NUL-padded)
    NameHigh = 4,  // bytes 8..15
    Count = 5,
};

} // namespace tessera
