// A thread that executes an illegal instruction, with no fault handler: logged, suspended
// at that instruction; the root task and a bystander run on; WriteRegisters moving the pc
// past it lets it continue.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

extern "C" {
extern const char flt_illegal_instruction[];
extern const char flt_illegal_resume[];
}

namespace {

volatile bool g_continued;

[[gnu::noinline]] void execute_illegal(u64) {
    // `unimp` without compression is csrrw x0, cycle, x0: a write to a read-only CSR.
    asm volatile(".option push\n"
                 ".option norvc\n"
                 ".globl flt_illegal_instruction\n"
                 "flt_illegal_instruction:\n"
                 "  unimp\n"
                 ".globl flt_illegal_resume\n"
                 "flt_illegal_resume:\n"
                 ".option pop\n" ::
                     : "memory");
    g_continued = true;
}

} // namespace

ROOTTASK_TEST(FLT0002, "an illegal instruction suspends the thread at it; others run on; moving its pc lets it go on") {
    g_continued = false;
    REQUIRE_OK(t, start_bystander(t));
    user::Tcb faulting = REQUIRE_OK(
        t, make_stopped_thread(t, "fault-illegal", execute_illegal, 0, roottask::kRootRunPriority + 1)).tcb;
    REQUIRE_OK(t, faulting.resume());

    arch::UserContext registers = REQUIRE_OK(t, faulting.read_registers());
    const u64 instruction = reinterpret_cast<u64>(flt_illegal_instruction);
    t.expect(registers.pc == instruction, "stopped at pc {}, the illegal instruction is at {}",
             kstd::Hex{registers.pc}, kstd::Hex{instruction});
    t.expect(!g_continued, "the thread went on past the illegal instruction");
    t.expect(bystander_advances(), "the bystander stopped counting after the fault");

    registers.pc = reinterpret_cast<u64>(flt_illegal_resume);
    REQUIRE_OK(t, faulting.write_registers(registers, true));
    t.expect(g_continued, "moved past the instruction and resumed, the thread did not continue");
    t.expect(stop_bystander(), "the bystander did not stop");
}
