#pragma once
// Faults as IPC (docs/faults.md): when a user thread faults and its TCB names a fault
// handler (TCB.Configure's fault endpoint), the kernel sends the handler a message on the
// thread's behalf, as a Call: the label says which fault, the words describe it, the badge
// is the fault endpoint capability's. The thread waits until the handler answers through
// the Reply object it received with; the answer's words may change registers, then the
// thread runs again. The numbers and layouts are ABI.
#include <kstd/types.hpp>

namespace tessera {

enum class FaultLabel : u64 {
    CapabilityFault = 1, // a capability pointer of a system call did not resolve
    UnknownSyscall = 2,  // a system-call number the kernel does not have
    UserException = 3,   // an illegal instruction, a breakpoint, a misaligned or denied access
    VmFault = 4,         // a page fault: nothing mapped, or not with the rights the access needs
};

inline constexpr u64 kFirstFaultLabel = 1;
inline constexpr u64 kLastFaultLabel = 4;

// VmFault: the address, what the access was, and where.
enum class VmFaultWord : u64 {
    Address = 0,        // the faulting address (stval)
    Access = 1,         // VmAccess
    ProgramCounter = 2, // the instruction that faulted; resuming as is runs it again
    Cause = 3,          // the raw exception cause (riscv64: scause 12, 13 or 15)
    Count = 4,
};

enum class VmAccess : u64 { Read = 0, Write = 1, Execute = 2 };

// UserException: which exception, where, and the value the hardware reported.
enum class UserExceptionWord : u64 {
    ProgramCounter = 0, // the instruction that trapped; resuming as is runs it again
    StackPointer = 1,
    Kind = 2,           // UserExceptionKind
    Cause = 3,          // the raw cause (riscv64: scause)
    Value = 4,          // riscv64: stval, the instruction bits or the faulting address
    Count = 5,
};

enum class UserExceptionKind : u64 {
    IllegalInstruction = 1,
    Breakpoint = 2,       // ebreak
    MisalignedAccess = 3, // a load, store or AMO to an address the access cannot use
    AccessFault = 4,      // a physical-memory protection or bus error
    Other = 5,
};

// UnknownSyscall: the registers a handler needs to emulate the call.
enum class UnknownSyscallWord : u64 {
    ProgramCounter = 0, // the ecall; resume at ProgramCounter + 4 to skip it
    StackPointer = 1,
    ReturnAddress = 2,
    FirstArgument = 3,  // a0..a7 in words 3..10
    Number = 11,        // the system-call number (a7 again, for convenience)
    Count = 12,
};

inline constexpr u64 kSyscallArgumentWords = 8;

// CapabilityFault: the pointer and the lookup failure, as an invocation error reports it.
enum class CapabilityFaultWord : u64 {
    ProgramCounter = 0, // the ecall; resuming as is makes the system call again
    Pointer = 1,        // the capability pointer that did not resolve
    ReceivePhase = 2,   // 1: it was the receive part of the call (Recv's Reply object, ...)
    LookupType = 3,     // LookupFailureType
    BitsLeft = 4,
    Detail1 = 5,        // DepthMismatch: the bits the level needs; GuardMismatch: the guard found
    Detail2 = 6,        // GuardMismatch: the guard's size in bits
    Count = 7,
};

inline constexpr u64 kMaxFaultWords = static_cast<u64>(UnknownSyscallWord::Count);

// The handler's answer (through the Reply object): label 0, and either no words (the
// thread runs again with its registers as they were) or a register mask in word 0 and the
// new values in the following words, one per set bit, lowest bit first. Anything else (a
// label other than 0, a mask with unknown bits, a length that does not match the mask) is
// a malformed reply: the thread stays suspended and the kernel logs why.
enum class FaultReplyRegister : u64 {
    ProgramCounter = 0,
    StackPointer = 1,
    FirstArgument = 2, // a0..a7: bits 2..9
};

inline constexpr u64 kFaultReplyRegisterCount = 10;
inline constexpr u64 kFaultReplyMaskLimit = u64{1} << kFaultReplyRegisterCount;

constexpr u64 fault_reply_bit(FaultReplyRegister which) { return u64{1} << static_cast<u64>(which); }
constexpr u64 fault_reply_argument_bit(u64 index) {
    return u64{1} << (static_cast<u64>(FaultReplyRegister::FirstArgument) + index);
}

} // namespace tessera
