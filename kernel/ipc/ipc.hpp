#pragma once
// The portable IPC core: endpoints and notifications as plain operations on threads and
// capabilities. The trap path (not wired yet) decodes a system call, looks the capability
// up in the caller's CSpace, calls one of these, and then reschedules: a thread that
// blocked has left the scheduler, a thread that was woken has joined it.
//
// Errors are about the capability the caller named (wrong type, missing right): the trap
// path turns them into a capability fault, as seL4 does. Nothing changes on an error.
#include <ipc/ipc_objects.hpp>
#include <ipc/thread_access.hpp>
#include <kstd/result.hpp>
#include <object/errors.hpp>

namespace tessera {

enum class Blocking : u8 { No, Yes };

enum class SendOutcome : u8 {
    Delivered, // a receiver was waiting and has the message; it is runnable again
    Blocked,   // the sender waits in the endpoint's queue (BlockedOnSend)
    Dropped,   // NBSend and nobody waiting: the message is lost, as in seL4
};

enum class ReceiveOutcome : u8 {
    Received,       // a message (Recv) or the notification word (Wait, Poll) was delivered
    Signalled,      // Recv ended by the thread's bound notification (delivered, flagged)
    Blocked,        // the receiver waits in the queue
    NothingPending, // NBRecv / Poll found nothing; badge 0 was delivered
};

// Send / NBSend (`is_call` marks a Call's send phase; the reply half is not here yet).
// Needs the write right; the message's capabilities move only with the grant right.
kstd::Result<SendOutcome, InvocationError> send_ipc(Tcb& sender, const Capability& endpoint, MessageInfo info,
                                                    Blocking blocking, bool is_call = false);

// Recv / NBRecv on an endpoint. Needs the read right. A pending signal on the thread's
// bound notification is taken first.
kstd::Result<ReceiveOutcome, InvocationError> receive_ipc(Tcb& receiver, const Capability& endpoint,
                                                          Blocking blocking);

// Signal: ORs the capability's badge into the notification, or hands it to the first
// waiter, or to the bound thread blocked in Recv. Needs the write right.
kstd::Result<void, InvocationError> signal_notification(const Capability& notification);

// Wait (blocking) / Poll (not): takes the pending word. Needs the read right, and a
// notification bound to a thread may be waited on only by that thread.
kstd::Result<ReceiveOutcome, InvocationError> wait_notification(Tcb& waiter, const Capability& notification,
                                                                Blocking blocking);

// Binds the notification to the thread (both unbound; the notification has no waiters;
// the capability has the read right). IllegalOperation otherwise.
kstd::Result<void, InvocationError> bind_notification(Tcb& thread, const Capability& notification);
void unbind_notification(Tcb& thread);

// Every sender blocked with `badge` leaves the queue and restarts its system call
// (seL4's cancelBadgedSends, which Revoke of a badged capability needs).
void cancel_badged_sends(Endpoint& endpoint, u64 badge);

// Takes a blocked thread out of the queue it waits in; its system call restarts when it
// runs again. Nothing for a thread that is not blocked in IPC. Suspension calls this.
void cancel_ipc(Tcb& thread);

// Everything a dying thread must undo: cancel_ipc and unbinding. TCB finalisers call it.
void release_thread_ipc(Tcb& thread);

// Registers the Endpoint and Notification finalisers (object_finalisers()): the last
// capability's deletion restarts every waiter and unbinds the bound thread.
void install_ipc_finalisers();
void finalise_endpoint(Endpoint& endpoint);
void finalise_notification(Notification& notification);

} // namespace tessera
