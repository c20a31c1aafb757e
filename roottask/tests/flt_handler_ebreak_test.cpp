// An ebreak (the 4-byte form: a compressed c.ebreak would be 2 bytes long, and skipping
// it by 4 would land in the middle of the next instruction), with a fault handler: a user
// exception with the ebreak's pc, the thread's sp, kind Breakpoint and scause 3. The
// handler skips it, as a debugger stepping over a breakpoint does.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_ebreak_instruction[];
}

namespace {

constexpr u64 kBadge = 0xf107;
// What stval holds for an ebreak. The privileged spec allows 0 or the pc; QEMU 7.2 writes
// 0 for an ebreak (it reports an address only for breakpoints set through its debugger).
constexpr u64 kEbreakValue = 0;

struct BreakOutcome {
    volatile u64 sp;
    volatile bool done;
};
BreakOutcome g_break;

[[gnu::noinline]] void execute_ebreak(u64) {
    register u64 sp asm("t0");
    asm volatile(".option push\n"
                 ".option norvc\n"
                 "  mv %0, sp\n"
                 ".globl flt_h_ebreak_instruction\n"
                 "flt_h_ebreak_instruction:\n"
                 "  ebreak\n"
                 ".option pop\n"
                 : "=&r"(sp)
                 :
                 : "memory");
    g_break.sp = sp;
    g_break.done = true;
}

} // namespace

ROOTTASK_TEST(FLT0107, "an ebreak arrives as a user exception (pc, sp, Breakpoint, cause 3); the handler skips it") {
    g_break.sp = 0;
    g_break.done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    user::Tcb thread =
        REQUIRE_OK(t, make_handled_thread(t, "fault-h-ebreak", execute_ebreak, 0, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, thread.resume());
    t.expect(!g_break.done, "the thread went past the ebreak unanswered");

    const u64 pc = reinterpret_cast<u64>(flt_h_ebreak_instruction);
    t.expect(*reinterpret_cast<const u32*>(flt_h_ebreak_instruction) == 0x00100073,
             "the breakpoint was not assembled as the 4-byte ebreak");
    const u64 sp = REQUIRE_OK(t, thread.read_registers()).reg(2);
    FaultRecord fault = take_fault(channel);
    expect_fault(t, "the fault", fault,
                 user_exception(kBadge, pc, sp, UserExceptionKind::Breakpoint, kCauseBreakpoint, kEbreakValue));

    IpcStatus answered = answer(channel, skip_instruction(pc));
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);
    t.expect(g_break.done, "skipped, the thread did not go on");
    t.expect(g_break.sp == sp, "the thread's sp was {}, the message said {}", kstd::Hex{g_break.sp}, kstd::Hex{sp});
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, thread);
}
