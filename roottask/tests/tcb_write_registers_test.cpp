// TCB.WriteRegisters then Resume: the thread starts at the written pc with every written
// register. The probe below stores x1..x31 and its own pc through tp (one of the written
// registers) before it touches any of them, then stops itself.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

static_assert(static_cast<u64>(Syscall::DebugSuspend) == 0x102, "the probe's ecall number");

extern "C" {
void tcb_register_probe(u64);
extern const char tcb_register_probe_pc[];
}

asm(R"(
    .text
    .balign 4
    .globl tcb_register_probe
tcb_register_probe:
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\n, (8 * \n)(tp)
    .endr
    .globl tcb_register_probe_pc
tcb_register_probe_pc:
    auipc t0, 0
    sd t0, 0(tp)
    li a7, 0x102
1:  ecall
    j 1b
)");

namespace {

// What the probe stored: word 0 its pc at tcb_register_probe_pc, word i the register x[i].
volatile u64 g_probe[32];

} // namespace

ROOTTASK_TEST(TCB0003, "WriteRegisters with resume runs a stopped thread from the written pc with every written register") {
    for (auto& word : g_probe) word = 0;
    user::Tcb thread =
        REQUIRE_OK(t, make_stopped_thread(t, "tcb-probe", tcb_register_probe, 0, roottask::kRootRunPriority + 1)).tcb;
    arch::UserContext written{};
    written.pc = reinterpret_cast<u64>(&tcb_register_probe);
    for (unsigned i = 1; i <= 31; ++i) written.reg(i) = 0x7e5500000000 + (u64{i} << 16) + i;
    written.reg(4) = reinterpret_cast<u64>(&g_probe[0]); // tp: where the probe stores
    // The thread is above the root task: it runs and stops before the call returns.
    REQUIRE_OK(t, thread.write_registers(written, true));

    t.expect(g_probe[0] == reinterpret_cast<u64>(tcb_register_probe_pc), "the probe ran at {}, expected {}",
             kstd::Hex{g_probe[0]}, kstd::Hex{reinterpret_cast<u64>(tcb_register_probe_pc)});
    for (unsigned i = 1; i <= 31; ++i)
        t.expect(g_probe[i] == written.reg(i), "x{} arrived as {}, written {}", i, kstd::Hex{g_probe[i]},
                 kstd::Hex{written.reg(i)});

    // Written without resume, it stays stopped until Resume.
    for (auto& word : g_probe) word = 0;
    written.reg(10) = 0xa0a0;
    REQUIRE_OK(t, thread.write_registers(written, false));
    for (int i = 0; i < 5; ++i) user::yield();
    t.expect(g_probe[0] == 0, "the thread ran without Resume");
    REQUIRE_OK(t, thread.resume());
    t.expect(g_probe[10] == 0xa0a0 && g_probe[0] == reinterpret_cast<u64>(tcb_register_probe_pc),
             "after Resume: pc {}, a0 {}", kstd::Hex{g_probe[0]}, kstd::Hex{g_probe[10]});
}
