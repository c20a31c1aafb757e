// Boot self-tests of the riscv64 layer: the final page table's W^X, guard pages and
// direct map, trap entry and exit, and the state of the parked harts.
#include <arch/csr.hpp>
#include <arch/interface.hpp>
#include <arch/kernel_space.hpp>
#include <arch/sbi.hpp>
#include <arch/trap.hpp>
#include <boot/boot_state.hpp>
#include <boot/selftest.hpp>
#include <cpu/cpu.hpp>

extern "C" {
extern u8 __text_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[], __kernel_end[];
extern u8 kernel_stacks[];
extern u8 riscv64_round_trip_breakpoint[];
void riscv64_register_round_trip(u64 after[32]);
}

namespace arch {

namespace {

using sv39::kExecute;
using sv39::kRead;
using sv39::kUser;
using sv39::kWrite;

// Checks every page of [start, end) is mapped with exactly `wanted` among R, W, X, U.
void expect_pages(tessera::SelfTestContext& t, const sv39::PageTable& table, u64 start, u64 end, sv39::Pte wanted,
                  const char* what) {
    for (u64 page = start; page < end; page += PAGE_SIZE) {
        sv39::Translation translation = table.translate(page);
        if (!t.expect(translation.mapped, "{} page {} is not mapped", what, kstd::Hex{page})) return;
        sv39::Pte permissions = translation.pte & (kRead | kWrite | kExecute | kUser);
        if (!t.expect(permissions == wanted, "{} page {} has permissions {}, expected {}", what, kstd::Hex{page},
                      kstd::Hex{permissions}, kstd::Hex{wanted}))
            return;
    }
}

u64 address(const u8* symbol) { return reinterpret_cast<u64>(symbol); }

} // namespace

KERNEL_SELFTEST(MMU0001, "kernel text is read+execute, rodata read-only, data read+write: W^X") {
    sv39::PageTable table = active_kernel_page_table();
    expect_pages(t, table, address(__text_start), address(__text_end), kRead | kExecute, "text");
    expect_pages(t, table, address(__rodata_start), address(__rodata_end), kRead, "rodata");
    expect_pages(t, table, address(__data_start), address(kernel_stacks), kRead | kWrite, "data");
}

KERNEL_SELFTEST(MMU0002, "the direct-map alias of kernel text and rodata is read-only and not executable") {
    sv39::PageTable table = active_kernel_page_table();
    u64 start = DIRECT_MAP_BASE + address(__text_start) - KERNEL_VIRT_OFFSET;
    u64 end = DIRECT_MAP_BASE + address(__rodata_end) - KERNEL_VIRT_OFFSET;
    expect_pages(t, table, start, end, kRead, "direct-map alias of the image");
}

KERNEL_SELFTEST(MMU0003, "a guard page below every kernel stack is unmapped") {
    sv39::PageTable table = active_kernel_page_table();
    for (u64 cpu = 0; cpu < TESSERA_MAX_CPUS; ++cpu) {
        u64 guard = address(kernel_stacks) + cpu * (PAGE_SIZE + KERNEL_STACK_SIZE);
        t.expect(!table.translate(guard).mapped, "guard page of cpu {} at {} is mapped", cpu, kstd::Hex{guard});
        expect_pages(t, table, guard + PAGE_SIZE, guard + PAGE_SIZE + KERNEL_STACK_SIZE, kRead | kWrite, "stack");
    }
}

KERNEL_SELFTEST(MMU0004, "the boot identity mapping is gone and the low half is empty") {
    sv39::PageTable table = active_kernel_page_table();
    u64 physical = kernel_image().base;
    t.expect(!table.translate(physical).mapped, "kernel's physical address {} is still mapped", kstd::Hex{physical});
    t.expect(!table.translate(0).mapped, "address 0 is mapped");
}

KERNEL_SELFTEST(MMU0005, "every page of RAM is in the direct map, never executable") {
    sv39::PageTable table = active_kernel_page_table();
    for (const tessera::PhysRange& range : tessera::boot_state.memory.ram) {
        const u64 probes[] = {range.base, range.base + (range.size() / 2 & ~u64{PAGE_SIZE - 1}), range.end - PAGE_SIZE};
        for (u64 physical : probes) {
            sv39::Translation translation = table.translate(DIRECT_MAP_BASE + physical);
            t.expect(translation.mapped && translation.physical == physical, "RAM page {} is not in the direct map",
                     kstd::Hex{physical});
            t.expect((translation.pte & kExecute) == 0, "RAM page {} is executable in the direct map",
                     kstd::Hex{physical});
        }
    }
}

KERNEL_SELFTEST(MMU0006, "the interrupt controller's registers are mapped read-write, never executable or user") {
    const tessera::PlatformInfo& platform = tessera::boot_state.platform;
    bool has_plic = platform.interrupt_controller == tessera::InterruptControllerKind::Plic;
    if (!t.expect(has_plic, "no PLIC in the device tree")) return;
    tessera::PhysRange registers = platform.plic.registers;
    u64 start = reinterpret_cast<u64>(kernel_device_registers(registers));
    if (!t.expect(start != 0, "the PLIC's registers {} are not mapped", registers)) return;
    sv39::PageTable table = active_kernel_page_table();
    t.expect(table.translate(start).physical == registers.base, "the PLIC's first page maps to {}",
             kstd::Hex{table.translate(start).physical});
    expect_pages(t, table, start, start + registers.size(), kRead | kWrite, "PLIC");
}

KERNEL_SELFTEST(TRAP0001, "every register survives a trap into the kernel and back") {
    u64 after[32] = {};
    u64 before = kernel_breakpoints_taken();
    expect_kernel_breakpoint(address(riscv64_round_trip_breakpoint));
    riscv64_register_round_trip(after);
    t.expect(kernel_breakpoints_taken() == before + 1, "the breakpoint trap was not taken");
    for (unsigned n = 1; n < 32; ++n) {
        if (n == 2 || n == 4) continue;
        u64 pattern = (0x0101010101010101ull * n) ^ 0x5a00000000000000ull;
        t.expect(after[n] == pattern, "x{} ({}) came back as {}, expected {}", n, kRegisterNames[n],
                 kstd::hex64(after[n]), kstd::hex64(pattern));
    }
}

KERNEL_SELFTEST(TRAP0002, "sscratch is zero and tp is the per-CPU record while the kernel runs") {
    t.expect(read_csr<Csr::sscratch>() == 0, "sscratch is {}", kstd::Hex{read_csr<Csr::sscratch>()});
    t.expect(current_cpu_record() == &tessera::this_cpu(), "tp does not point at this CPU's record");
}

KERNEL_SELFTEST(HART0001, "every secondary hart is stopped in the firmware") {
    if (!t.expect(sbi::probe_extension(sbi::kExtensionHsm), "the firmware has no HSM extension")) return;
    for (const tessera::HartInfo& hart : tessera::boot_state.platform.harts) {
        if (hart.hart_id == tessera::this_cpu().hardware_id) continue;
        sbi::Ret status = sbi::hart_get_status(hart.hart_id);
        t.expect(status.error == sbi::Error::Success && status.value == static_cast<i64>(sbi::HartState::Stopped),
                 "hart {} is not stopped (error {}, state {})", hart.hart_id, sbi::error_name(status.error),
                 status.value);
    }
}

} // namespace arch
