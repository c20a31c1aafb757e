#pragma once
// The Call system call on a kernel object: registers and IPC buffer in, the invocation,
// registers and IPC buffer out (the register convention is in abi/syscalls.hpp).
#include <object/invocation.hpp>
#include <object/tcb.hpp>

namespace tessera {

void handle_call_syscall(Tcb& thread);

// A capability pointer of the thread's system call did not resolve: the thread stops at
// its ecall (a Resume makes the call again); the fault goes to its fault handler, or, with
// none, the thread is suspended.
void take_capability_fault(Tcb& thread, const CapabilityFault& fault);

} // namespace tessera
