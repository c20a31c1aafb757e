#pragma once
// The IPC system calls (numbers and registers: abi/syscalls.hpp; semantics: docs/ipc.md).
#include <abi/syscalls.hpp>
#include <object/tcb.hpp>

namespace tessera {

// Send, NBSend, Recv, NBRecv, Reply, ReplyRecv, Signal, Wait, Poll.
void handle_ipc_syscall(Tcb& thread, Syscall number);

// Call: an IPC Call when a0 names an Endpoint capability (true), else false and the
// caller invokes the kernel object (handle_call_syscall).
bool handle_endpoint_call(Tcb& thread);

// Registers the IPC core's view of threads (message registers, IPC buffer, results) for
// this architecture's trap frame. Called once at boot.
void install_ipc_thread_access();

} // namespace tessera
