// `make bench` (docs/performance.md): the root task measures the kernel's paths from user
// mode with the cycle counter (under QEMU -icount: retired instructions), prints one JSON
// line per metric, and powers the machine off; tools/run-bench.py collects the lines.
#include <userlib/print.hpp>

#include "bench_support.hpp"
#include "benchmarks.hpp"

namespace tessera::roottask {

namespace {

// The counter as early in the root task as C++ gets: its first constructor (priority 101
// sorts it before every other one). Only crt0's few instructions and the start of
// tessera_user_start come before it.
u64 g_first_constructor_cycle;
[[gnu::constructor(101)]] void note_first_cycle() { g_first_constructor_cycle = tessera::bench::read_counter(); }

void report_boot(bench::Bench& bench) {
    u64 entry = bench.root().boot_info.raw().kernel_entry_cycle;
    if (entry == 0 || g_first_constructor_cycle <= entry) {
        bench.fail("boot_to_roottask", "the kernel passed no entry cycle in BootInfo");
        return;
    }
    bench.report_once("boot_to_roottask", bench::interval(entry, g_first_constructor_cycle));
}

} // namespace

int run_benchmarks(RootEnvironment& root) {
    bench::Bench bench(root);
    if (!bench.prepare()) return 1;
    report_boot(bench);
    bench::run_ipc_benchmarks(bench);
    bench::run_signal_benchmarks(bench);
    bench::run_fault_benchmarks(bench);
    bench::run_vm_benchmarks(bench);
    bench::run_irq_benchmarks(bench);
    user::println("bench: done, {} failed", bench.failures());
    return bench.failures() == 0 ? 0 : 1;
}

} // namespace tessera::roottask
