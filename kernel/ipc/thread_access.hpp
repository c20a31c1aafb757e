#pragma once
// What the IPC core needs of a thread beyond its TCB: where its message words are. The
// message registers and the IPC buffer belong to the trap path (which registers carry
// words, how the buffer is found through the IpcBuffer slot), so the kernel registers
// these hooks at boot and the host tests register their own, as with thread_control().
#include <abi/ipc_buffer.hpp>
#include <abi/message_info.hpp>
#include <abi/syscalls.hpp>
#include <kstd/types.hpp>

namespace tessera {

struct Tcb;

// What a receive ends with, written into the receiver's registers by `deliver`.
struct ReceivedMessage {
    MessageInfo info;        // label, length (after truncation), extra caps, unwrapped bits
    u64 badge = 0;           // the sender's badge, or the notification word
    // Ok; Signalled when a bound notification ended Recv; NothingPending for NBRecv or
    // Poll that found nothing.
    IpcStatus status = IpcStatus::Ok;
    constexpr bool operator==(const ReceivedMessage&) const = default;
};

struct IpcThreadAccess {
    // Message word `index` (< kMessageRegisterCount) as it sits in the thread's registers.
    u64 (*message_register)(const Tcb& thread, u64 index) = nullptr;
    void (*set_message_register)(Tcb& thread, u64 index, u64 value) = nullptr;
    // The thread's IPC buffer in kernel-visible memory, or null when it has none: then
    // only the register words travel and no capability.
    IpcBuffer* (*ipc_buffer)(Tcb& thread) = nullptr;
    // Writes the result of a receive (info, badge, status) where user space reads it.
    void (*deliver)(Tcb& receiver, const ReceivedMessage& message) = nullptr;
    // Ends the thread's system call with `status` and nothing received; `detail` says
    // which capability an InvalidCapability is about.
    void (*set_status)(Tcb& thread, IpcStatus status, u64 detail) = nullptr;
    // The thread's interrupted system call runs again when it next runs (it was blocked
    // in it before anything happened, and was suspended). A ReplyRecv becomes a Recv: its
    // reply has been given.
    void (*restart_system_call)(Tcb& thread) = nullptr;
    // Faults (abi/faults.hpp): the handler answered the fault of `faulter` (parked on a
    // Reply object, the answer's words in `replier`'s registers and IPC buffer): the thread
    // takes the new registers and runs, or stays suspended for a malformed answer. And: the
    // fault will get no answer (its handler's endpoint or Reply object was deleted, the
    // handler received without a Reply object): `why` says which way, and the thread is
    // suspended. Both are the trap layer's (kernel/sched/faults.cpp): they change registers
    // and log. Needed only once a fault is sent (faults.cpp registers them with the kernel).
    void (*answer_fault)(Tcb& faulter, Tcb& replier, MessageInfo info) = nullptr;
    void (*abandon_fault)(Tcb& faulter, IpcStatus why) = nullptr;

    bool complete() const {
        return message_register != nullptr && set_message_register != nullptr && ipc_buffer != nullptr &&
               deliver != nullptr && set_status != nullptr && restart_system_call != nullptr;
    }
};

IpcThreadAccess& ipc_thread_access();

} // namespace tessera
