#include <kstd/bit.hpp>
#include <userlib/faults.hpp>

namespace tessera::user {

IpcMessage FaultAnswer::message(IpcBuffer& buffer) const {
    if (mask_ == 0) return IpcMessage(MessageInfo{0, 0, 0, 0});
    IpcMessage answer(MessageInfo{0, 1 + kstd::popcount(mask_), 0, 0});
    MessageWords words(answer, buffer);
    words.set(0, mask_);
    u64 next = 1;
    for (u64 bit = 0; bit < kFaultReplyRegisterCount; ++bit)
        if ((mask_ & (u64{1} << bit)) != 0) words.set(next++, values_[bit]);
    return answer;
}

const char* fault_label_name(FaultLabel label) {
    switch (label) {
    case FaultLabel::CapabilityFault: return "capability fault";
    case FaultLabel::UnknownSyscall: return "unknown system call";
    case FaultLabel::UserException: return "user exception";
    case FaultLabel::VmFault: return "VM fault";
    }
    return "unknown fault";
}

const char* user_exception_kind_name(UserExceptionKind kind) {
    switch (kind) {
    case UserExceptionKind::IllegalInstruction: return "illegal instruction";
    case UserExceptionKind::Breakpoint: return "breakpoint";
    case UserExceptionKind::MisalignedAccess: return "misaligned access";
    case UserExceptionKind::AccessFault: return "access fault";
    case UserExceptionKind::Other: return "other exception";
    }
    return "unknown exception";
}

} // namespace tessera::user
