#include <ipc/fault_messages.hpp>
#include <kstd/bit.hpp>

namespace tessera {

namespace {

template <typename Word> void put(PendingFault& fault, Word which, u64 value) {
    fault.words[static_cast<u64>(which)] = value;
}

template <typename Word> PendingFault start(FaultLabel label, Word count) {
    PendingFault fault;
    fault.label = static_cast<u64>(label);
    fault.length = static_cast<u64>(count);
    return fault;
}

} // namespace

PendingFault vm_fault_message(const VmFaultInfo& info) {
    PendingFault fault = start(FaultLabel::VmFault, VmFaultWord::Count);
    put(fault, VmFaultWord::Address, info.address);
    put(fault, VmFaultWord::Access, static_cast<u64>(info.access));
    put(fault, VmFaultWord::ProgramCounter, info.pc);
    put(fault, VmFaultWord::Cause, info.cause);
    return fault;
}

PendingFault user_exception_message(const UserExceptionInfo& info) {
    PendingFault fault = start(FaultLabel::UserException, UserExceptionWord::Count);
    put(fault, UserExceptionWord::ProgramCounter, info.pc);
    put(fault, UserExceptionWord::StackPointer, info.sp);
    put(fault, UserExceptionWord::Kind, static_cast<u64>(info.kind));
    put(fault, UserExceptionWord::Cause, info.cause);
    put(fault, UserExceptionWord::Value, info.value);
    return fault;
}

PendingFault unknown_syscall_message(u64 pc, u64 sp, u64 ra, kstd::Span<const u64> arguments, u64 number) {
    PendingFault fault = start(FaultLabel::UnknownSyscall, UnknownSyscallWord::Count);
    put(fault, UnknownSyscallWord::ProgramCounter, pc);
    put(fault, UnknownSyscallWord::StackPointer, sp);
    put(fault, UnknownSyscallWord::ReturnAddress, ra);
    u64 first = static_cast<u64>(UnknownSyscallWord::FirstArgument);
    for (u64 i = 0; i < kSyscallArgumentWords && i < arguments.size(); ++i) fault.words[first + i] = arguments[i];
    put(fault, UnknownSyscallWord::Number, number);
    return fault;
}

PendingFault capability_fault_message(u64 pc, u64 pointer, bool receive_phase, const LookupFailure& failure) {
    PendingFault fault = start(FaultLabel::CapabilityFault, CapabilityFaultWord::Count);
    put(fault, CapabilityFaultWord::ProgramCounter, pc);
    put(fault, CapabilityFaultWord::Pointer, pointer);
    put(fault, CapabilityFaultWord::ReceivePhase, receive_phase ? 1 : 0);
    put(fault, CapabilityFaultWord::LookupType, static_cast<u64>(failure.type));
    put(fault, CapabilityFaultWord::BitsLeft, failure.bits_left);
    switch (failure.type) {
    case LookupFailureType::DepthMismatch: put(fault, CapabilityFaultWord::Detail1, failure.bits_found); break;
    case LookupFailureType::GuardMismatch:
        put(fault, CapabilityFaultWord::Detail1, failure.guard_found);
        put(fault, CapabilityFaultWord::Detail2, failure.guard_bits);
        break;
    default: break;
    }
    return fault;
}

const char* fault_reply_problem_name(FaultReplyProblem problem) {
    switch (problem) {
    case FaultReplyProblem::None: return "none";
    case FaultReplyProblem::NonZeroLabel: return "its label is not 0";
    case FaultReplyProblem::UnknownRegister: return "its mask names a register past a7";
    case FaultReplyProblem::WrongLength: return "its length does not match its mask";
    }
    return "unknown";
}

FaultReply decode_fault_reply(MessageInfo info, kstd::Span<const u64> words) {
    FaultReply reply;
    if (info.label != 0) {
        reply.problem = FaultReplyProblem::NonZeroLabel;
        return reply;
    }
    if (info.length == 0) return reply; // resume as it was
    u64 mask = words.empty() ? 0 : words[0];
    if (mask >= kFaultReplyMaskLimit) {
        reply.problem = FaultReplyProblem::UnknownRegister;
        return reply;
    }
    u64 count = kstd::popcount(mask);
    if (info.length != 1 + count || words.size() < 1 + count) {
        reply.problem = FaultReplyProblem::WrongLength;
        return reply;
    }
    reply.mask = mask;
    u64 next = 1;
    for (u64 bit = 0; bit < kFaultReplyRegisterCount; ++bit)
        if ((mask & (u64{1} << bit)) != 0) reply.values[bit] = words[next++];
    return reply;
}

const char* fault_label_name(u64 label) {
    switch (static_cast<FaultLabel>(label)) {
    case FaultLabel::CapabilityFault: return "capability fault";
    case FaultLabel::UnknownSyscall: return "unknown system call";
    case FaultLabel::UserException: return "user exception";
    case FaultLabel::VmFault: return "VM fault";
    }
    return "fault";
}

} // namespace tessera
