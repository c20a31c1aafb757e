// From boot_entry.S to the generic kernel_main(): the boot CPU's record, global
// constructors, and where the device tree can be read.
#include <arch/csr.hpp>
#include <arch/interface.hpp>
#include <arch/sbi.hpp>
#include <boot/kernel_main.hpp>
#include <cpu/cpu.hpp>

extern "C" {
extern u8 kernel_stacks[];
extern u8 emergency_stacks[];
extern u8 __kernel_start[];
extern u8 __kernel_end[];
using Constructor = void (*)();
extern Constructor __init_array_start[];
extern Constructor __init_array_end[];
[[noreturn]] void riscv_boot_main(u64 hart_id, u64 device_tree_physical, u64 entry_cycle);
void riscv_capture_registers(arch::TrapFrame* frame);
}

namespace arch {

using tessera::PhysAddr;
using tessera::PhysRange;

// The SBI console turns "\n" into "\r\n" itself (OpenSBI's sbi_putc), so the kernel sends
// the text as it is; adding '\r' here put "\r\r\n" on the wire.
void debug_write(kstd::StringView text) {
    for (char c : text) sbi::console_putchar(c);
}

void power_off(bool failure) { sbi::system_reset(failure); }

u64 kernel_entry_cycle_value = 0;
u64 kernel_entry_cycle() { return kernel_entry_cycle_value; }

void enable_interrupts() { set_csr_bits<Csr::sstatus>(sstatus::SIE); }
void disable_interrupts() { clear_csr_bits<Csr::sstatus>(sstatus::SIE); }
void enable_external_interrupts() { set_csr_bits<Csr::sie>(sie::SEIE); }
void wait_for_interrupt() { asm volatile("wfi"); }
bool interrupt_pending() { return (read_csr<Csr::sip>() & read_csr<Csr::sie>()) != 0; }

PhysRange kernel_image() {
    u64 start = reinterpret_cast<u64>(__kernel_start) - KERNEL_VIRT_OFFSET;
    u64 end = reinterpret_cast<u64>(__kernel_end) - KERNEL_VIRT_OFFSET;
    return PhysRange{start, end};
}

void* physical_to_virtual(PhysAddr address) { return reinterpret_cast<void*>(DIRECT_MAP_BASE + address.value); }

void capture_registers(TrapFrame& frame) { riscv_capture_registers(&frame); }

void init_boot_cpu(tessera::Cpu& cpu, u64 hardware_id) {
    u64 slot = PAGE_SIZE + KERNEL_STACK_SIZE;
    u64 stack_base = reinterpret_cast<u64>(kernel_stacks) + cpu.index * slot + PAGE_SIZE;
    cpu.arch.self = &cpu;
    cpu.arch.kernel_stack_top = stack_base + KERNEL_STACK_SIZE;
    cpu.arch.stack_limit = stack_base;
    cpu.arch.emergency_stack_top = reinterpret_cast<u64>(emergency_stacks) + (cpu.index + 1) * PAGE_SIZE;
    cpu.hardware_id = hardware_id;
    asm volatile("mv tp, %0" ::"r"(&cpu));
}

} // namespace arch

void riscv_boot_main(u64 hart_id, u64 device_tree_physical, u64 entry_cycle) {
    arch::kernel_entry_cycle_value = entry_cycle;
    // Constructors first: one of them could initialise the per-CPU records themselves.
    for (auto* constructor = __init_array_start; constructor != __init_array_end; ++constructor) (*constructor)();
    tessera::Cpu& boot_cpu = tessera::cpus[0];
    boot_cpu.index = 0;
    arch::init_boot_cpu(boot_cpu, hart_id);
    // The kernel runs without floating point: any FP instruction traps and is reported.
    arch::clear_csr_bits<arch::Csr::sstatus>(arch::sstatus::FS_MASK | arch::sstatus::SUM);
    // User code may read the cycle, time and instruction counters (CY, TM, IR): under
    // QEMU's -icount the cycle counter counts retired instructions, which is how `make
    // bench` measures the kernel's paths from user mode (docs/performance.md). On hardware
    // they are a finer clock than `time`, which matters for timing side channels; if that
    // ever outweighs measuring, this is the one line to change back to TM alone.
    arch::write_csr<arch::Csr::scounteren>(0b111);

    // boot_entry.S mapped two gigapages of the direct map from the one holding the blob.
    tessera::BootHandoff handoff{};
    handoff.hardware_id = hart_id;
    handoff.device_tree = tessera::PhysAddr{device_tree_physical};
    if (device_tree_physical != 0 && device_tree_physical % 8 == 0 &&
        device_tree_physical < DIRECT_MAP_SIZE - (u64{2} << 30)) {
        u64 window_end = (device_tree_physical & ~((u64{1} << 30) - 1)) + (u64{2} << 30);
        handoff.device_tree_view = arch::physical_to_virtual(handoff.device_tree);
        handoff.device_tree_window = window_end - device_tree_physical;
    }
    tessera::kernel_main(handoff);
}
