// TCB.ReadRegisters of a thread that stopped itself, and CopyRegisters' two register sets.
// The snapshot thread sets every register to a pattern in assembly and stops itself with
// DebugSuspend: what ReadRegisters answers must be exactly that, with the pc just past
// the ecall.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

static_assert(static_cast<u64>(Syscall::DebugSuspend) == 0x102, "the snapshot's ecall number");

extern "C" {
void tcb_register_snapshot(u64);
extern const char tcb_register_snapshot_after[];
extern volatile u64 tcb_register_snapshot_resumed;
}

// Register x[n] holds kSnapshotBase + n, except a7 (x17): the DebugSuspend number.
constexpr u64 kSnapshotBase = 0x5ea1ed00;

asm(R"(
    .text
    .balign 4
    .globl tcb_register_snapshot
tcb_register_snapshot:
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    li x\n, 0x5ea1ed00 + \n
    .endr
    li a7, 0x102
    ecall
    .globl tcb_register_snapshot_after
tcb_register_snapshot_after:
    # Run again (CopyRegisters with resume): note it, and stop again.
    la t0, tcb_register_snapshot_resumed
    li t1, 1
    sd t1, 0(t0)
    li a7, 0x102
1:  ecall
    j 1b

    .data
    .balign 8
    .globl tcb_register_snapshot_resumed
tcb_register_snapshot_resumed:
    .dword 0
    .text
)");

namespace {

u64 snapshot_value(unsigned number) { return number == 17 ? 0x102 : kSnapshotBase + number; }

} // namespace

ROOTTASK_TEST(TCB0004, "ReadRegisters of a self-stopped thread; CopyRegisters moves the frame and integer sets apart") {
    const u64 priority = roottask::kRootRunPriority + 1;
    user::Tcb snapshot =
        REQUIRE_OK(t, make_stopped_thread(t, "tcb-snapshot", tcb_register_snapshot, 0, priority)).tcb;
    REQUIRE_OK(t, snapshot.resume()); // runs and stops itself before this returns

    arch::UserContext read = REQUIRE_OK(t, snapshot.read_registers());
    const u64 after = reinterpret_cast<u64>(tcb_register_snapshot_after);
    t.expect(read.pc == after, "pc {}, expected {} (just past the ecall)", kstd::Hex{read.pc}, kstd::Hex{after});
    for (unsigned i = 1; i <= 31; ++i)
        t.expect(read.reg(i) == snapshot_value(i), "x{} read as {}, set {}", i, kstd::Hex{read.reg(i)},
                 kstd::Hex{snapshot_value(i)});
    // Fewer words: exactly the first ones.
    arch::UserContext first = REQUIRE_OK(t, snapshot.read_registers(3));
    t.expect(first.pc == after && first.reg(1) == snapshot_value(1) && first.reg(2) == snapshot_value(2) &&
                 first.reg(3) == 0,
             "ReadRegisters(3): pc {} ra {} sp {} gp {}", kstd::Hex{first.pc}, kstd::Hex{first.reg(1)},
             kstd::Hex{first.reg(2)}, kstd::Hex{first.reg(3)});

    // Fresh TCBs hold all-zero registers; each copy brings over one set only.
    for (int set = 0; set < 2; ++set) {
        bool frame = set == 0;
        user::Tcb target(REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb)));
        user::TcbCopyRegisterSets sets;
        sets.frame = frame;
        sets.integer = !frame;
        REQUIRE_OK(t, target.copy_registers(snapshot, sets));
        arch::UserContext copied = REQUIRE_OK(t, target.read_registers());
        t.expect(copied.pc == (frame ? after : 0), "{} set: pc {}", frame ? "frame" : "integer", kstd::Hex{copied.pc});
        for (unsigned i = 1; i <= 31; ++i) {
            bool in_set = arch::is_frame_register(i) == frame;
            u64 expected = in_set ? snapshot_value(i) : 0;
            t.expect(copied.reg(i) == expected, "{} set: x{} is {}, expected {}", frame ? "frame" : "integer", i,
                     kstd::Hex{copied.reg(i)}, kstd::Hex{expected});
        }
    }

    // Both sets, resuming the target: it runs on from the copied pc, in the root task's
    // spaces, before the call returns. The source stays stopped (suspend_source).
    tcb_register_snapshot_resumed = 0;
    user::Tcb target(REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb)));
    REQUIRE_OK(t, target.configure(user::CPtr{0}, t.own_cnode(), 0, t.own_vspace(), 0, 0, user::Frame{}));
    REQUIRE_OK(t, target.set_priority(priority, root_tcb()));
    REQUIRE_OK(t, target.set_name("tcb-copy"));
    user::TcbCopyRegisterSets all;
    all.suspend_source = true;
    all.resume_target = true;
    REQUIRE_OK(t, target.copy_registers(snapshot, all));
    t.expect(tcb_register_snapshot_resumed == 1, "the target did not run from the copied pc");
    arch::UserContext source_after = REQUIRE_OK(t, snapshot.read_registers());
    t.expect(source_after.pc == after && source_after.reg(5) == snapshot_value(5),
             "the source changed: pc {}, t0 {}", kstd::Hex{source_after.pc}, kstd::Hex{source_after.reg(5)});
}
