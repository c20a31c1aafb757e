#include <userlib/syscalls.hpp>
#include <userlib/thread.hpp>

#include "harness.hpp"

using namespace tessera;

namespace {

struct FpWorker {
    u64 base;         // f[n] holds base + n
    u64 control;      // the fcsr value this thread sets
    volatile u64 mismatches;
    volatile u64 control_seen;
    volatile bool done;
};

FpWorker g_workers[2];

// Fills every FP register and fcsr with this thread's pattern, yields `rounds` times so the
// other thread runs with its own pattern in between, then counts the registers that no
// longer hold the pattern. One asm block, so the compiler never touches f0..f31 between.
void fill_yield_and_check(u64 argument) {
    FpWorker& worker = g_workers[argument];
    u64 mismatches = 0, control = 0;
    asm volatile(
        ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  addi t0, %[base], \\n\n"
        "  fmv.d.x f\\n, t0\n"
        ".endr\n"
        "  fscsr %[control]\n"
        "  li t1, 50\n"
        "1:\n"
        "  li a7, %[yield]\n"
        "  ecall\n"
        "  addi t1, t1, -1\n"
        "  bnez t1, 1b\n"
        "  li %[bad], 0\n"
        ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  fmv.x.d t0, f\\n\n"
        "  addi t2, %[base], \\n\n"
        "  beq t0, t2, 2f\n"
        "  addi %[bad], %[bad], 1\n"
        "2:\n"
        ".endr\n"
        "  frcsr %[seen]\n"
        : [bad] "=&r"(mismatches), [seen] "=&r"(control)
        : [base] "r"(worker.base), [control] "r"(worker.control), [yield] "i"(static_cast<u64>(Syscall::Yield))
        : "t0", "t1", "t2", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "memory", "f0", "f1", "f2", "f3", "f4",
          "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20",
          "f21", "f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31");
    worker.mismatches = mismatches;
    worker.control_seen = control;
    worker.done = true;
}

} // namespace

ROOTTASK_TEST(FPU0001, "two threads keep their own floating-point registers and fcsr across switches") {
    g_workers[0] = FpWorker{0x1000, 0x25, 0, 0, false};
    g_workers[1] = FpWorker{0x7000, 0x4a, 0, 0, false};
    user::StarterResources starter = t.starter();
    for (u64 i = 0; i < 2; ++i) {
        user::ThreadSpec spec;
        spec.name = i == 0 ? "fp-a" : "fp-b";
        spec.entry = fill_yield_and_check;
        spec.argument = i;
        // The root task's own priority: the three take turns at every Yield.
        spec.priority = roottask::kRootRunPriority;
        REQUIRE_OK(t, user::start_thread(starter, spec));
    }
    for (unsigned i = 0; i < 10000 && !(g_workers[0].done && g_workers[1].done); ++i) user::yield();
    for (const FpWorker& worker : g_workers) {
        t.expect(worker.done, "the thread with base {} did not finish (suspended by an FP trap?)", kstd::Hex{worker.base});
        t.expect(worker.mismatches == 0, "{} FP registers of the thread with base {} changed", worker.mismatches,
                 kstd::Hex{worker.base});
        t.expect(worker.control_seen == worker.control, "fcsr is {}, the thread set {}", kstd::Hex{worker.control_seen},
                 kstd::Hex{worker.control});
    }
}
