#pragma once
// The fault messages of abi/faults.hpp as the kernel builds them, and the handler's answer
// as the kernel reads it. Pure data handling: host-tested (tests/unit/ipc/fault_test.cpp).
#include <abi/errors.hpp>
#include <abi/faults.hpp>
#include <abi/message_info.hpp>
#include <kstd/span.hpp>
#include <object/tcb.hpp>

namespace tessera {

struct VmFaultInfo {
    u64 address;
    VmAccess access;
    u64 pc;
    u64 cause;
};
struct UserExceptionInfo {
    u64 pc;
    u64 sp;
    UserExceptionKind kind;
    u64 cause;
    u64 value;
};

PendingFault vm_fault_message(const VmFaultInfo& fault);
PendingFault user_exception_message(const UserExceptionInfo& exception);
// `registers`: pc, sp, ra, a0..a7, as the thread had them at the ecall.
PendingFault unknown_syscall_message(u64 pc, u64 sp, u64 ra, kstd::Span<const u64> arguments, u64 number);
PendingFault capability_fault_message(u64 pc, u64 pointer, bool receive_phase, const LookupFailure& failure);

// The handler's answer, checked: the registers to set (FaultReplyRegister bits) and their
// values in bit order, or why it is malformed.
enum class FaultReplyProblem : u8 {
    None,
    NonZeroLabel,    // the label must be 0
    UnknownRegister, // the mask names a register past a7
    WrongLength,     // the length is not 1 + the number of bits in the mask (or 0)
};
const char* fault_reply_problem_name(FaultReplyProblem problem);

struct FaultReply {
    FaultReplyProblem problem = FaultReplyProblem::None;
    u64 mask = 0;
    u64 values[kFaultReplyRegisterCount] = {};
};

// `words`: the answer's words as they arrived (words 4.. only with an IPC buffer).
FaultReply decode_fault_reply(MessageInfo info, kstd::Span<const u64> words);

const char* fault_label_name(u64 label);

} // namespace tessera
