#pragma once
// The IPC fastpath: Call and ReplyRecv with a short message (at most the four register
// words, no capabilities) between two threads where one simply hands the CPU to the
// other. It does what the general path would do, in fewer steps: no queue round trip
// through the scheduler, no IPC-buffer access. When a condition does not hold it changes
// nothing and the general path runs (docs/ipc.md lists the conditions).
#include <object/tcb.hpp>

namespace tessera {

class Scheduler;

// Both run the whole system call of the scheduler's current thread at time `now` and
// return true, or return false having done nothing.
[[nodiscard]] bool fastpath_call(Tcb& caller, Scheduler& scheduler, u64 now);
[[nodiscard]] bool fastpath_reply_recv(Tcb& server, Scheduler& scheduler, u64 now);

// Off with the boot argument fastpath=off (the system suite runs both ways).
void set_ipc_fastpath_enabled(bool enabled);
bool ipc_fastpath_enabled();
// Calls and ReplyRecvs the fastpath completed since boot (DebugFastpathCount).
u64 ipc_fastpath_count();

} // namespace tessera
