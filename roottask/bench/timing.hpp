#pragma once
// The measuring primitives of `make bench` (docs/performance.md), shared by the root task
// and the bench-peer task: a system call with the cycle counter read right before its
// `ecall` and right after it returns, in one asm block, so nothing the compiler schedules
// lands inside a measured interval; and the IPC server loop both sides of the IPC
// benchmarks run. Under QEMU -icount the cycle counter counts retired instructions.
//
// Every timestamp is kept in a register across the system call and stored only after it,
// never inside an interval: the kernel restores every user register but a0..a7.
#include <abi/message_info.hpp>
#include <abi/syscalls.hpp>
#include <kstd/types.hpp>

namespace tessera::bench {

// Rounds per benchmark: the first kWarmup are thrown away (first touches, a thread's
// first run, a sender that found no receiver yet), the remaining kSamples are reported.
inline constexpr u64 kWarmup = 16;
inline constexpr u64 kSamples = 256;
inline constexpr u64 kRounds = kWarmup + kSamples;

inline u64 read_counter() {
    u64 value;
    asm volatile("rdcycle %0" : "=r"(value) : : "memory");
    return value;
}

// a0..a7 as a system call takes and returns them (abi/syscalls.hpp).
struct Registers {
    u64 a[8] = {};
};

struct Stamps {
    u64 before = 0; // the counter right before the ecall
    u64 after = 0;  // right after the system call returned to this thread
};

// One system call between two counter reads. The early-clobber outputs keep both stamps
// out of a0..a7, which the kernel writes.
inline Stamps timed_ecall(Registers& r) {
    register u64 a0 asm("a0") = r.a[0];
    register u64 a1 asm("a1") = r.a[1];
    register u64 a2 asm("a2") = r.a[2];
    register u64 a3 asm("a3") = r.a[3];
    register u64 a4 asm("a4") = r.a[4];
    register u64 a5 asm("a5") = r.a[5];
    register u64 a6 asm("a6") = r.a[6];
    register u64 a7 asm("a7") = r.a[7];
    Stamps stamps;
    asm volatile("rdcycle %[before]\n\t"
                 "ecall\n\t"
                 "rdcycle %[after]"
                 : [before] "=&r"(stamps.before), [after] "=&r"(stamps.after), "+r"(a0), "+r"(a1), "+r"(a2),
                   "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6), "+r"(a7)
                 :
                 : "memory");
    r.a[0] = a0;
    r.a[1] = a1;
    r.a[2] = a2;
    r.a[3] = a3;
    r.a[4] = a4;
    r.a[5] = a5;
    r.a[6] = a6;
    r.a[7] = a7;
    return stamps;
}

// The same system call with no counter reads, for loops that only serve another thread's
// measurement.
inline void plain_ecall(Registers& r) {
    register u64 a0 asm("a0") = r.a[0];
    register u64 a1 asm("a1") = r.a[1];
    register u64 a2 asm("a2") = r.a[2];
    register u64 a3 asm("a3") = r.a[3];
    register u64 a4 asm("a4") = r.a[4];
    register u64 a5 asm("a5") = r.a[5];
    register u64 a6 asm("a6") = r.a[6];
    register u64 a7 asm("a7") = r.a[7];
    asm volatile("ecall"
                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6), "+r"(a7)
                 :
                 : "memory");
    r.a[0] = a0;
    r.a[1] = a1;
    r.a[2] = a2;
    r.a[3] = a3;
    r.a[4] = a4;
    r.a[5] = a5;
    r.a[6] = a6;
    r.a[7] = a7;
}

// The IPC system calls' register images.
inline Registers ipc_registers(Syscall call, u64 cap, u64 length = 0, u64 reply = 0) {
    Registers r;
    r.a[kCapabilityRegister] = cap;
    r.a[kInfoRegister] = MessageInfo{0, length, 0, 0}.to_word();
    r.a[kReplyRegister] = reply;
    r.a[7] = static_cast<u64>(call);
    return r;
}

inline bool ipc_ok(const Registers& r) { return r.a[kStatusRegister] == static_cast<u64>(IpcStatus::Ok); }

// What an IPC server records, where the client's side can read it (a page shared between
// the address spaces for the cross-address-space runs). Zeroed before the server starts;
// a server serves one run.
struct ServerStamps {
    volatile u64 rounds;
    volatile u64 failed;           // a ReplyRecv or Recv did not end Ok
    u64 call_end[kRounds];         // right after Recv/ReplyRecv returned with call i
    u64 reply_start[kRounds];      // right before the ReplyRecv that answers call i
};

// The server of the IPC benchmarks: receives with `reply` on `endpoint` and answers every
// call with a message of the call's own length (0 or 10 words, as sel4bench does), by
// ReplyRecv. Returns only if a system call fails.
inline void serve(u64 endpoint, u64 reply, ServerStamps& stamps) {
    Registers r = ipc_registers(Syscall::Recv, endpoint, 0, reply);
    Stamps stamps_now = timed_ecall(r);
    while (ipc_ok(r)) {
        u64 round = stamps.rounds;
        if (round < kRounds) stamps.call_end[round] = stamps_now.after;
        u64 length = MessageInfo::from_word(r.a[kInfoRegister]).length;
        r = ipc_registers(Syscall::ReplyRecv, endpoint, length, reply);
        stamps_now = timed_ecall(r);
        // This ReplyRecv's receive half returned: the next call is in, the answer went out.
        if (round < kRounds) stamps.reply_start[round] = stamps_now.before;
        stamps.rounds = round + 1;
    }
    stamps.failed = 1;
}

} // namespace tessera::bench
