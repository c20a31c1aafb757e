#pragma once
// The Call system call on a kernel object: registers and IPC buffer in, the invocation,
// registers and IPC buffer out (the register convention is in abi/syscalls.hpp).
#include <abi/ipc_buffer.hpp>
#include <object/tcb.hpp>

namespace tessera {

// The thread's IPC buffer as the kernel sees it; null when it has none.
IpcBuffer* ipc_buffer_of(Tcb& thread);

void handle_call_syscall(Tcb& thread);

} // namespace tessera
