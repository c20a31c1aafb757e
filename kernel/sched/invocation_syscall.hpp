#pragma once
// The Call system call on a kernel object: registers and IPC buffer in, the invocation,
// registers and IPC buffer out (the register convention is in abi/syscalls.hpp).
#include <object/tcb.hpp>

namespace tessera {

void handle_call_syscall(Tcb& thread);

} // namespace tessera
