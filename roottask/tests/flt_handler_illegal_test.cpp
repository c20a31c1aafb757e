// An illegal instruction, with a fault handler: a user exception with the instruction's
// pc, the thread's sp, kind IllegalInstruction, scause 2 and, as the value, the
// instruction's own bits (stval). The handler skips it (pc + 4); the thread goes on after
// it with its other registers as they were.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_illegal_instruction[];
}

namespace {

constexpr u64 kBadge = 0xf106;

struct IllegalOutcome {
    volatile u64 sp; // the sp at the instruction, as the thread saw it
    volatile bool done;
};
IllegalOutcome g_illegal;

[[gnu::noinline]] void execute_illegal(u64) {
    // t0 carries the sp across the fault: a clobbered register would show as a mismatch.
    register u64 sp asm("t0");
    // `unimp` without compression is csrrw x0, cycle, x0: a write to a read-only CSR.
    asm volatile(".option push\n"
                 ".option norvc\n"
                 "  mv %0, sp\n"
                 ".globl flt_h_illegal_instruction\n"
                 "flt_h_illegal_instruction:\n"
                 "  unimp\n"
                 ".option pop\n"
                 : "=&r"(sp)
                 :
                 : "memory");
    g_illegal.sp = sp;
    g_illegal.done = true;
}

} // namespace

ROOTTASK_TEST(FLT0106, "an illegal instruction arrives as a user exception (pc, sp, kind, cause, bits); the handler skips it") {
    g_illegal.sp = 0;
    g_illegal.done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    user::Tcb thread =
        REQUIRE_OK(t, make_handled_thread(t, "fault-h-illegal", execute_illegal, 0, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, thread.resume());
    t.expect(!g_illegal.done, "the thread went past the illegal instruction unanswered");

    const u64 pc = reinterpret_cast<u64>(flt_h_illegal_instruction);
    const u64 bits = *reinterpret_cast<const u32*>(flt_h_illegal_instruction);
    const u64 sp = REQUIRE_OK(t, thread.read_registers()).reg(2);
    FaultRecord fault = take_fault(channel);
    expect_fault(t, "the fault", fault,
                 user_exception(kBadge, pc, sp, UserExceptionKind::IllegalInstruction, kCauseIllegalInstruction, bits));

    IpcStatus answered = answer(channel, skip_instruction(pc));
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);
    t.expect(g_illegal.done, "skipped, the thread did not go on");
    t.expect(g_illegal.sp == fault.words[static_cast<u64>(UserExceptionWord::StackPointer)],
             "the thread's sp was {}, the message said {}", kstd::Hex{g_illegal.sp},
             kstd::Hex{fault.words[static_cast<u64>(UserExceptionWord::StackPointer)]});
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, thread);
}
