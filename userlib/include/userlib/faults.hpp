#pragma once
// Writing a fault handler (docs/faults.md): the fault message as a handler receives it on
// its endpoint (label = FaultLabel, words per abi/faults.hpp), and the answer that sets
// registers and lets the faulting thread run again. Portable: no system calls here.
#include <abi/faults.hpp>
#include <userlib/services/service_message.hpp>

namespace tessera::user {

// A received message read as a fault. Words 4.. come from the handler's IPC buffer, so
// read them before the buffer is used again.
class FaultMessage {
public:
    FaultMessage(const IpcMessage& message, const IpcBuffer& buffer) : message_(message), buffer_(buffer) {}

    // A fault label (the kernel's messages on a fault endpoint never have another).
    bool is_fault() const { return label() >= kFirstFaultLabel && label() <= kLastFaultLabel; }
    FaultLabel kind() const { return static_cast<FaultLabel>(label()); }
    u64 label() const { return message_.label(); }
    u64 length() const { return message_.length(); }
    // The badge of the fault endpoint capability the faulting thread's TCB holds: whose fault.
    u64 badge() const { return message_.badge; }

    u64 word(u64 index) const {
        if (index >= message_.length()) return 0;
        return index < kMessageRegisterCount ? message_.words[index] : buffer_.message[index];
    }
    template <typename Word> u64 operator[](Word which) const { return word(static_cast<u64>(which)); }

    // The faulting instruction's address, for every kind.
    u64 program_counter() const {
        switch (kind()) {
        case FaultLabel::VmFault: return (*this)[VmFaultWord::ProgramCounter];
        case FaultLabel::UserException: return (*this)[UserExceptionWord::ProgramCounter];
        case FaultLabel::UnknownSyscall: return (*this)[UnknownSyscallWord::ProgramCounter];
        case FaultLabel::CapabilityFault: return (*this)[CapabilityFaultWord::ProgramCounter];
        }
        return 0;
    }

private:
    const IpcMessage& message_;
    const IpcBuffer& buffer_;
};

// The answer to a fault: nothing set (run the faulting instruction again), or new values
// for the pc, sp and a0..a7. Words past the fourth go through `buffer` (the handler's own
// IPC buffer), so build the answer right before sending it.
class FaultAnswer {
public:
    FaultAnswer& set_program_counter(u64 value) { return set(FaultReplyRegister::ProgramCounter, value); }
    FaultAnswer& set_stack_pointer(u64 value) { return set(FaultReplyRegister::StackPointer, value); }
    // a0..a7: index 0..7; others are ignored.
    FaultAnswer& set_argument(u64 index, u64 value) {
        if (index >= kSyscallArgumentWords) return *this;
        values_[static_cast<u64>(FaultReplyRegister::FirstArgument) + index] = value;
        mask_ |= fault_reply_argument_bit(index);
        return *this;
    }

    u64 mask() const { return mask_; }
    IpcMessage message(IpcBuffer& buffer) const;

private:
    FaultAnswer& set(FaultReplyRegister which, u64 value) {
        values_[static_cast<u64>(which)] = value;
        mask_ |= fault_reply_bit(which);
        return *this;
    }

    u64 mask_ = 0;
    u64 values_[kFaultReplyRegisterCount] = {};
};

const char* fault_label_name(FaultLabel label);
const char* user_exception_kind_name(UserExceptionKind kind);

} // namespace tessera::user
