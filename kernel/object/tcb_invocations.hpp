#pragma once
// The TCB decoders, split by topic: tcb_invocations.cpp (dispatch, priorities, Suspend,
// Resume, SetName), tcb_configure.cpp (Configure, SetSpace, SetIpcBuffer) and
// tcb_registers.cpp (Read/Write/CopyRegisters). Each decodes every argument first and
// changes nothing on an error.
#include <object/invocation.hpp>
#include <object/tcb.hpp>

namespace tessera {

inline InvocationError truncated_message() { return InvocationError::of(ErrorCode::TruncatedMessage); }
inline InvocationError illegal_operation() { return InvocationError::of(ErrorCode::IllegalOperation); }

// The thread the invocation is about (the invoked capability is a TCB capability).
inline Tcb& invoked_tcb(const Invocation& invocation) { return *tcb_of(invocation.invoked->cap); }

// The slot of extra capability `index` (0-based), or null when the message lacks it.
inline Slot* extra_slot(const Invocation& invocation, u64 index) {
    return index < invocation.extra_caps.size() ? invocation.extra_caps[index] : nullptr;
}

// A yes/no argument: word `index` must be 0 or 1 (InvalidArgument index otherwise).
kstd::Result<bool, InvocationError> decode_flag(const Invocation& invocation, u64 index);

// Makes a stopped thread runnable (nothing for a runnable one) / stops it (Inactive).
// The hooks must be registered (decoders check thread_control().complete()).
void resume_if_stopped(Tcb& thread);
void suspend_thread_by_request(Tcb& thread);

kstd::Result<void, InvocationError> invoke_tcb_configure(const Invocation& invocation, PreemptionPoint& preemption);
kstd::Result<void, InvocationError> invoke_tcb_set_space(const Invocation& invocation, PreemptionPoint& preemption);
kstd::Result<void, InvocationError> invoke_tcb_set_ipc_buffer(const Invocation& invocation,
                                                              PreemptionPoint& preemption);

kstd::Result<void, InvocationError> invoke_tcb_read_registers(const Invocation& invocation);
kstd::Result<void, InvocationError> invoke_tcb_write_registers(const Invocation& invocation);
kstd::Result<void, InvocationError> invoke_tcb_copy_registers(const Invocation& invocation);

} // namespace tessera
