// An ecall with a number the kernel does not know, with no fault handler: logged with the
// ecall's own pc, the thread suspended there; moving its pc past the ecall lets it go on.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

extern "C" {
extern const char flt_unknown_ecall[];
extern const char flt_unknown_after[];
}

namespace {

constexpr u64 kUnknownSyscall = 0x7e55; // the kernel log shows it in decimal: 32341

volatile bool g_continued;

[[gnu::noinline]] void unknown_syscall(u64) {
    register u64 a7 asm("a7") = kUnknownSyscall;
    asm volatile(".globl flt_unknown_ecall\n"
                 "flt_unknown_ecall:\n"
                 "  ecall\n"
                 ".globl flt_unknown_after\n"
                 "flt_unknown_after:\n"
                 :
                 : "r"(a7)
                 : "memory");
    g_continued = true;
}

} // namespace

ROOTTASK_TEST(FLT0004, "an unknown system call suspends the thread at its ecall; moving its pc lets it go on") {
    g_continued = false;
    REQUIRE_OK(t, start_bystander(t));
    user::Tcb faulting =
        REQUIRE_OK(t, make_stopped_thread(t, "fault-syscall", unknown_syscall, 0, roottask::kRootRunPriority + 1)).tcb;
    REQUIRE_OK(t, faulting.resume());

    arch::UserContext registers = REQUIRE_OK(t, faulting.read_registers());
    const u64 ecall = reinterpret_cast<u64>(flt_unknown_ecall);
    t.expect(registers.pc == ecall, "stopped at pc {}, the ecall is at {}", kstd::Hex{registers.pc}, kstd::Hex{ecall});
    t.expect(!g_continued, "the thread went on past the unknown system call");
    t.expect(bystander_advances(), "the bystander stopped counting after the fault");

    registers.pc = reinterpret_cast<u64>(flt_unknown_after);
    REQUIRE_OK(t, faulting.write_registers(registers, true));
    t.expect(g_continued, "moved past the ecall and resumed, the thread did not continue");
    t.expect(stop_bystander(), "the bystander did not stop");
}
