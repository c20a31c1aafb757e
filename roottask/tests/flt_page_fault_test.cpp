// A thread that loads from an unmapped page, with no fault handler: the kernel logs the
// fault and suspends it at the faulting load (the root task and a bystander run on). A
// Resume runs the load again, faulting again; once WriteRegisters moves its pc past the
// load, it continues. The kernel's log lines are checked by the roottask-tests system test.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

extern "C" {
extern const char flt_load_instruction[];
extern const char flt_load_resume[];
}

namespace {

volatile bool g_continued;

[[gnu::noinline]] void load_from(u64 address) {
    u64 value;
    asm volatile(".globl flt_load_instruction\n"
                 "flt_load_instruction:\n"
                 "  ld %0, 0(%1)\n"
                 ".globl flt_load_resume\n"
                 "flt_load_resume:\n"
                 : "=r"(value)
                 : "r"(address)
                 : "memory");
    (void)value;
    g_continued = true;
}

} // namespace

ROOTTASK_TEST(FLT0001, "a load from an unmapped page suspends the thread at the load; others run on") {
    g_continued = false;
    REQUIRE_OK(t, start_bystander(t));
    u64 unmapped = REQUIRE_OK(t, t.root().addresses.reserve(1)); // reserved, never mapped
    user::Tcb faulting =
        REQUIRE_OK(t, make_stopped_thread(t, "fault-load", load_from, unmapped, roottask::kRootRunPriority + 1)).tcb;
    const u64 load = reinterpret_cast<u64>(flt_load_instruction);

    for (int attempt = 1; attempt <= 2; ++attempt) {
        // Above the root task: it runs, faults and is suspended before Resume returns.
        REQUIRE_OK(t, faulting.resume());
        arch::UserContext registers = REQUIRE_OK(t, faulting.read_registers());
        t.expect(registers.pc == load, "attempt {}: stopped at pc {}, the load is at {}", attempt,
                 kstd::Hex{registers.pc}, kstd::Hex{load});
        t.expect(!g_continued, "attempt {}: the thread went on past the faulting load", attempt);
        t.expect(bystander_advances(), "attempt {}: the bystander stopped counting after the fault", attempt);
    }

    arch::UserContext registers = REQUIRE_OK(t, faulting.read_registers());
    registers.pc = reinterpret_cast<u64>(flt_load_resume);
    REQUIRE_OK(t, faulting.write_registers(registers, true));
    t.expect(g_continued, "moved past the load and resumed, the thread did not continue");
    t.expect(stop_bystander(), "the bystander did not stop");
}
