#pragma once
// System calls: `ecall` with the number in a7. Numbers and registers are ABI.
//
// Call (invoke a kernel object):
//   in:  a0 capability pointer, a1 message info, a2..a5 message words 0..3; words 4.. and
//        the extra capabilities' pointers come from the caller's IPC buffer
//   out: a1 the reply's message info (label 0: success, else an ErrorCode), a2..a5 reply
//        words 0..3, words 4.. in the IPC buffer
// A capability pointer that does not resolve is a capability fault: without a fault
// handler the thread is suspended and the kernel logs why.
#include <kstd/types.hpp>

namespace tessera {

enum class Syscall : u64 {
    Call = 1,  // invoke a capability
    Yield = 2, // give the rest of the time slice to threads of the same priority
    // Debug calls: early console output and the kernel's own tests.
    DebugPutChar = 0x100,  // a0: the character
    DebugRecord = 0x101,   // a0, a1: an event for the kernel's user-mode self-tests
    DebugSuspend = 0x102,  // suspend the calling thread
    DebugPutString = 0x103, // a0: user address, a1: length (at most 256 bytes)
    DebugHalt = 0x104,     // a0: 0 success, else failure: powers the machine off
};

// The message words that travel in registers; the rest go through the IPC buffer.
inline constexpr u64 kMessageRegisterCount = 4;
inline constexpr u64 kDebugPutStringLimit = 256;

} // namespace tessera
