#pragma once
// The portable IPC core: endpoints, notifications and Reply objects as plain operations
// on threads and capabilities. The trap path (kernel/sched/ipc_syscalls.cpp) decodes a
// system call, looks the capabilities up in the caller's CSpace, calls one of these, and
// then reschedules: a thread that blocked has left the scheduler, a thread that was woken
// has joined it.
//
// Every thread whose operation ends here gets its result here, the caller included
// (`deliver` for a message or a word, `set_status` otherwise). The errors returned are
// about the capability the caller named in a0 (its type or rights: InvalidCapability) or
// the Reply object it named (ReplyInUse); nothing changes then, and the trap path writes
// the status.
#include <ipc/ipc_objects.hpp>
#include <ipc/thread_access.hpp>
#include <kstd/result.hpp>
#include <object/errors.hpp>

namespace tessera {

enum class Blocking : u8 { No, Yes };

enum class SendOutcome : u8 {
    Delivered, // a receiver was waiting and has the message; it is runnable again
    Blocked,   // the sender waits: in the endpoint's queue, or (Call) for its answer
    Dropped,   // NBSend and nobody waiting: the message is lost, as in seL4
};

enum class ReceiveOutcome : u8 {
    Received,       // a message (Recv) or the notification word (Wait, Poll) was delivered
    Signalled,      // Recv ended by the thread's bound notification (delivered, flagged)
    Blocked,        // the receiver waits in the queue
    NothingPending, // NBRecv / Poll found nothing; badge 0 was delivered
};

// Send / NBSend / Call's send phase. Needs the write right, and a Call also grant or
// grant-reply. The message's capabilities move only with the grant right. A Call whose
// receiver named a Reply object parks the caller on it (BlockedOnReply); one whose
// receiver named none ends at once with NoReply.
kstd::Result<SendOutcome, IpcStatus> send_ipc(Tcb& sender, const Capability& endpoint, MessageInfo info,
                                              Blocking blocking, bool is_call = false);

// Recv / NBRecv on an endpoint, with the Reply object a Call will be answered through
// (or null). Needs the read right. A pending signal on the thread's bound notification
// is taken first. A caller still parked on `reply` is dropped (Cancelled): the server has
// moved on without answering it.
kstd::Result<ReceiveOutcome, IpcStatus> receive_ipc(Tcb& receiver, const Capability& endpoint, ReplyObject* reply,
                                                    Blocking blocking);

// Reply: the caller parked on `reply` gets the message (badge 0) and runs again; without
// a caller nothing happens (it was cancelled or deleted meanwhile, as seL4 allows).
void reply_ipc(Tcb& replier, ReplyObject& reply, MessageInfo info);

// Signal: ORs the capability's badge into the notification, or hands it to the first
// waiter, or to the bound thread blocked in Recv. Needs the write right.
kstd::Result<void, IpcStatus> signal_notification(const Capability& notification);

// Wait (blocking) / Poll (not): takes the pending word. Needs the read right, and a
// notification bound to a thread may be waited on only by that thread.
kstd::Result<ReceiveOutcome, IpcStatus> wait_notification(Tcb& waiter, const Capability& notification,
                                                          Blocking blocking);

// Binds the notification to the thread (both unbound; the notification has no waiters;
// the capability has the read right). TCB.BindNotification.
kstd::Result<void, InvocationError> bind_notification(Tcb& thread, const Capability& notification);
void unbind_notification(Tcb& thread);

// Every sender blocked with `badge` leaves the queue and its system call returns
// Cancelled (CNode.CancelBadgedSends).
void cancel_badged_sends(Endpoint& endpoint, u64 badge);

// Takes a blocked thread out of what it waits in and leaves it Inactive. A thread that
// had not met its partner yet (queued in Send, Recv, Wait) makes its system call again
// when resumed; a caller parked for its answer returns Cancelled. Nothing for a thread
// that is not blocked in IPC. Suspension calls this.
void cancel_ipc(Tcb& thread);

// Everything a dying thread must undo: cancel_ipc and unbinding. TCB finalisers call it.
void release_thread_ipc(Tcb& thread);

// Registers the Endpoint, Notification and Reply finalisers (object_finalisers()): the
// last capability's deletion wakes every waiter with ObjectDeleted (a parked caller with
// Cancelled) and unbinds the bound thread.
void install_ipc_finalisers();
void finalise_endpoint(Endpoint& endpoint);
void finalise_notification(Notification& notification);
void finalise_reply(ReplyObject& reply);

} // namespace tessera
