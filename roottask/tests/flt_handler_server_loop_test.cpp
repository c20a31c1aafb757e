// A handler written as a server loop: it answers each fault and waits for the next with
// one ReplyRecv. The answer to a fault sets registers rather than delivering a message,
// so the IPC fastpath, which only delivers messages, must leave it to the general path
// (its count does not move, with the fastpath on or off). The thread makes three unknown
// system calls in a row; each is emulated (a0 * 10 + 1, pc + 4) and arrives whole.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_loop_ecall[];
}

namespace {

constexpr u64 kBadge = 0xf122;
constexpr u64 kCalls = 3;
constexpr u64 kFirstNumber = 0x7e60;
constexpr u64 kHandlerPriority = kRoot + 1;
constexpr u64 kCallerPriority = kRoot + 2;

HandlerThread g_handler;

struct LoopOutcome {
    volatile u64 results[kCalls];
    volatile u64 sp[kCalls];
    volatile u64 ra[kCalls];
    volatile u64 done;
};
LoopOutcome g_loop;

// One unknown system call: number kFirstNumber + index, a0 = index, a1..a6 = 0.
[[gnu::noinline]] void unknown_call(u64 index) {
    register u64 a0 asm("a0") = index;
    register u64 a1 asm("a1") = 0;
    register u64 a2 asm("a2") = 0;
    register u64 a3 asm("a3") = 0;
    register u64 a4 asm("a4") = 0;
    register u64 a5 asm("a5") = 0;
    register u64 a6 asm("a6") = 0;
    register u64 a7 asm("a7") = kFirstNumber + index;
    register u64 sp asm("t0");
    register u64 ra asm("t1");
    asm volatile(".option push\n"
                 ".option norvc\n"
                 "  mv %[sp], sp\n"
                 "  mv %[ra], ra\n"
                 ".globl flt_h_loop_ecall\n"
                 "flt_h_loop_ecall:\n"
                 "  ecall\n"
                 ".option pop\n"
                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6), "+r"(a7), [sp] "=&r"(sp),
                   [ra] "=&r"(ra)
                 :
                 : "memory");
    g_loop.results[index] = a0;
    g_loop.sp[index] = sp;
    g_loop.ra[index] = ra;
}

void caller(u64) {
    for (u64 i = 0; i < kCalls; ++i) {
        unknown_call(i);
        g_loop.done = i + 1;
    }
}

user::FaultAnswer emulate(const FaultRecord& fault) {
    u64 a0 = fault.words[static_cast<u64>(UnknownSyscallWord::FirstArgument)];
    return skip_instruction(fault.words[static_cast<u64>(UnknownSyscallWord::ProgramCounter)])
        .set_argument(0, a0 * 10 + 1);
}

} // namespace

ROOTTASK_TEST(FLT0122, "a handler's ReplyRecv loop answers successive faults with registers; the IPC fastpath never takes a fault's answer") {
    for (u64 i = 0; i < kCalls; ++i) {
        g_loop.results[i] = 0;
        g_loop.sp[i] = 0;
        g_loop.ra[i] = 0;
    }
    g_loop.done = 0;
    g_handler = HandlerThread{};
    g_handler.channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    g_handler.decide = emulate;
    g_handler.rounds = kCalls;
    user::Tcb handler = REQUIRE_OK(t, start_handler(t, "flt-h-loop", g_handler, kHandlerPriority));
    user::Tcb thread = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-loop", caller, 0, kCallerPriority, g_handler.channel.handler_cap));

    const u64 fastpath_before = user::debug_fastpath_count();
    REQUIRE_OK(t, thread.resume()); // both above the root task: all three calls are over
    const u64 fastpath_after = user::debug_fastpath_count();

    t.expect(g_loop.done == kCalls, "the thread completed {} of {} emulated calls", g_loop.done, kCalls);
    t.expect(g_handler.handled == kCalls, "the handler answered {} faults", g_handler.handled);
    for (u64 i = 0; i < kCalls && i < g_loop.done; ++i) {
        const u64 registers[kSyscallArgumentWords] = {i, 0, 0, 0, 0, 0, 0, kFirstNumber + i};
        expect_fault(t, "a fault of the loop", g_handler.records[i],
                     unknown_syscall(kBadge, reinterpret_cast<u64>(flt_h_loop_ecall), g_loop.sp[i], g_loop.ra[i],
                                     registers));
        t.expect(g_loop.results[i] == i * 10 + 1, "call {} returned {}, expected {}", i, g_loop.results[i],
                 i * 10 + 1);
    }
    t.expect(g_handler.answered[kCalls - 1] == IpcStatus::Ok, "the last Reply: {}", g_handler.answered[kCalls - 1]);
    t.expect(fastpath_after == fastpath_before, "the IPC fastpath completed {} operations during the fault loop",
             fastpath_after - fastpath_before);
    stop(t, thread, handler);
}
