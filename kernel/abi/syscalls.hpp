#pragma once
// System calls: `ecall` with the number in a7. Numbers and registers are ABI.
//
// Call (invoke a kernel object):
//   in:  a0 capability pointer, a1 message info, a2..a5 message words 0..3; words 4.. and
//        the extra capabilities' pointers come from the caller's IPC buffer
//   out: a1 the reply's message info (label 0: success, else an ErrorCode), a2..a5 reply
//        words 0..3, words 4.. in the IPC buffer, a6 IpcStatus::Ok (InvalidCapability
//        when a0 names an empty slot, so that an IPC client can tell a lost endpoint
//        from its server's answer)
// A capability pointer that does not resolve is a capability fault: without a fault
// handler the thread is suspended and the kernel logs why.
//
// IPC (docs/ipc.md). Call on an Endpoint capability is IPC too: the message goes to a
// receiver, and the caller waits for the answer through the receiver's Reply object.
//   in:  a0 the Endpoint (Send, NBSend, Call, Recv, NBRecv, ReplyRecv), the Notification
//        (Signal, Wait, Poll) or the Reply object (Reply); a1 message info (sending calls);
//        a2..a5 message words 0..3; a6 the Reply object for Recv, NBRecv and ReplyRecv
//        (0: none, and a Call that arrives cannot be answered)
//   out: a0 the sender's badge, or the notification word; a1 the received message info;
//        a2..a5 words 0..3; a6 the IpcStatus. On a status other than Ok, Signalled and
//        NothingPending, a0 says which capability it is about (0 the one in a0, 1 the
//        Reply object in a6) and a1..a5 are unchanged. NothingPending from NBRecv or Poll
//        is an empty message (a0 and a1 0).
//   a7 may be rewritten: a ReplyRecv interrupted in its receive phase (the thread was
//        suspended) becomes a Recv, so that resuming it never replies twice.
#include <kstd/types.hpp>

namespace tessera {

enum class Syscall : u64 {
    Call = 1,  // invoke a capability (a kernel object, or an Endpoint: IPC Call)
    Yield = 2, // give the rest of the time slice to threads of the same priority
    Send = 3,      // blocking send to an Endpoint (needs write)
    NBSend = 4,    // send if a receiver waits, else drop the message (IpcStatus::NothingPending)
    Recv = 5,      // blocking receive on an Endpoint (needs read), with a Reply object in a6
    NBRecv = 6,    // receive if a sender waits, else IpcStatus::NothingPending
    Reply = 7,     // answer the caller waiting on the Reply object in a0
    ReplyRecv = 8, // Reply through the Reply object in a6, then Recv on a0 with it
    Signal = 9,    // OR the capability's badge into a Notification (needs write)
    Wait = 10,     // take a Notification's word, blocking until one is signalled (needs read)
    Poll = 11,     // take the word if any, else IpcStatus::NothingPending
    // Debug calls: early console output and the kernel's own tests.
    DebugPutChar = 0x100,  // a0: the character
    DebugRecord = 0x101,   // a0, a1: an event for the kernel's user-mode self-tests
    DebugSuspend = 0x102,  // suspend the calling thread
    DebugPutString = 0x103, // a0: user address, a1: length (at most 256 bytes)
    DebugHalt = 0x104,     // a0: 0 success, else failure: powers the machine off
    DebugFastpathCount = 0x105, // a0 out: IPCs the fastpath completed since boot
};

// What an IPC system call ended with (register a6).
enum class IpcStatus : u64 {
    Ok = 0,             // sent, received, replied or signalled as asked
    Signalled = 1,      // Recv / NBRecv / ReplyRecv ended by the bound notification: a0 its word
    NothingPending = 2, // NBRecv or Poll found nothing; NBSend found no receiver (dropped)
    InvalidCapability = 3, // wrong object type or a missing right (a0: which capability)
    ObjectDeleted = 4,  // the Endpoint or Notification waited on, or the Reply object a
                        // Recv named, was deleted
    Cancelled = 5,      // a Call that will get no answer (the receiver reused or deleted
                        // its Reply object; the caller was suspended while it waited), or
                        // a Send cancelled by CNode.CancelBadgedSends
    NoReply = 6,        // Call delivered, but the receiver had no Reply object: no answer
    ReplyInUse = 7,     // Recv with a Reply object another thread is receiving with
};

constexpr const char* ipc_status_name(IpcStatus status) {
    switch (status) {
    case IpcStatus::Ok: return "Ok";
    case IpcStatus::Signalled: return "Signalled";
    case IpcStatus::NothingPending: return "NothingPending";
    case IpcStatus::InvalidCapability: return "InvalidCapability";
    case IpcStatus::ObjectDeleted: return "ObjectDeleted";
    case IpcStatus::Cancelled: return "Cancelled";
    case IpcStatus::NoReply: return "NoReply";
    case IpcStatus::ReplyInUse: return "ReplyInUse";
    }
    return "UnknownIpcStatus";
}

// The registers above as indices of a0..a7 (the trap frame's argument / result index).
inline constexpr unsigned kCapabilityRegister = 0; // in: the capability pointer
inline constexpr unsigned kBadgeRegister = 0;      // out: the badge or notification word
inline constexpr unsigned kInfoRegister = 1;       // the message-info word, in and out
inline constexpr unsigned kFirstWordRegister = 2;  // message words 0..3 in a2..a5
inline constexpr unsigned kReplyRegister = 6;      // in: the Reply object
inline constexpr unsigned kStatusRegister = 6;     // out: the IpcStatus

// The message words that travel in registers; the rest go through the IPC buffer.
inline constexpr u64 kMessageRegisterCount = 4;
inline constexpr u64 kDebugPutStringLimit = 256;

} // namespace tessera
