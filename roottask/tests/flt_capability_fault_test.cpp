// A Call on a capability pointer that does not resolve, with no fault handler: the kernel
// logs a capability fault and suspends the thread at its ecall, so that it has not
// consumed its own request as a reply. Resumed as it is, it faults again; with a valid
// pointer written into a0, the same Call is made again and succeeds.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

extern "C" {
extern const char flt_call_instruction[];
}

namespace {

// Fails the root CNode's 52-bit zero guard.
constexpr u64 kUnresolvablePointer = u64{1} << 63;

struct CallResult {
    volatile u64 info;
    volatile u64 word;
    volatile bool returned;
};
CallResult g_call;

// Frame.GetAddress on `pointer`; stores the reply's info and word 0.
[[gnu::noinline]] void call_get_address(u64 pointer) {
    register u64 a0 asm("a0") = pointer;
    register u64 a1 asm("a1") = MessageInfo{static_cast<u64>(InvocationLabel::FrameGetAddress), 0, 0, 0}.to_word();
    register u64 a2 asm("a2") = 0;
    register u64 a7 asm("a7") = static_cast<u64>(Syscall::Call);
    asm volatile(".globl flt_call_instruction\n"
                 "flt_call_instruction:\n"
                 "  ecall\n"
                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a7)
                 :
                 : "a3", "a4", "a5", "a6", "memory");
    g_call.info = a1;
    g_call.word = a2;
    g_call.returned = true;
}

} // namespace

ROOTTASK_TEST(FLT0003, "a Call on an unresolvable pointer is a capability fault: suspended at the ecall, retried on resume") {
    g_call = CallResult{};
    REQUIRE_OK(t, start_bystander(t));
    user::Frame frame;
    REQUIRE_OK(t, t.new_mapped_page(&frame));
    const u64 frame_address = REQUIRE_OK(t, frame.get_address());
    user::Tcb faulting = REQUIRE_OK(t, make_stopped_thread(t, "fault-cap", call_get_address, kUnresolvablePointer,
                                                           roottask::kRootRunPriority + 1)).tcb;
    const u64 ecall = reinterpret_cast<u64>(flt_call_instruction);

    for (int attempt = 1; attempt <= 2; ++attempt) {
        REQUIRE_OK(t, faulting.resume());
        arch::UserContext registers = REQUIRE_OK(t, faulting.read_registers());
        t.expect(registers.pc == ecall, "attempt {}: stopped at pc {}, the ecall is at {}", attempt,
                 kstd::Hex{registers.pc}, kstd::Hex{ecall});
        t.expect(registers.reg(10) == kUnresolvablePointer, "attempt {}: a0 is {}", attempt,
                 kstd::Hex{registers.reg(10)});
        t.expect(!g_call.returned, "attempt {}: the Call returned to the thread (info {})", attempt,
                 kstd::Hex{g_call.info});
        t.expect(bystander_advances(), "attempt {}: the bystander stopped counting after the fault", attempt);
    }

    // The thread shares the root task's CSpace: a0 now names a frame there.
    arch::UserContext registers = REQUIRE_OK(t, faulting.read_registers());
    registers.reg(10) = frame.cap().value;
    REQUIRE_OK(t, faulting.write_registers(registers, true));
    t.expect(g_call.returned, "with a valid pointer the Call still did not return");
    t.expect(g_call.info == MessageInfo{0, 1, 0, 0}.to_word() && g_call.word == frame_address,
             "the retried Call answered info {} word {}; the frame is at {}", kstd::Hex{g_call.info},
             kstd::Hex{g_call.word}, kstd::Hex{frame_address});
    t.expect(stop_bystander(), "the bystander did not stop");
}
