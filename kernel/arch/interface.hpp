#pragma once
// What the architecture-independent kernel needs from an architecture, and nothing more.
// Each kernel/arch/<arch>/ implements these functions and provides the <arch/...> headers
// (trap_frame.hpp, cpu_local.hpp, layout.h); the host build's fake architecture in
// tests/unit/fake_arch does the same so the core can be unit-tested.
#include <arch/fp_context.hpp>
#include <arch/trap_frame.hpp>
#include <kstd/result.hpp>
#include <kstd/string_view.hpp>
#include <memory/address.hpp>
#include <memory/phys_range.hpp>

namespace tessera {
class Capability;
struct Cpu;
struct PlatformInfo;
class BootPageAllocator;
} // namespace tessera

namespace arch {

// What generic code may ask of a saved register frame.
template <typename F>
concept RegisterFrame = requires(const F& frame) {
    { frame.program_counter() } -> kstd::same_as<u64>;
    { frame.stack_pointer() } -> kstd::same_as<u64>;
    { frame.is_interrupt() } -> kstd::same_as<bool>;
    { frame.syscall_number() } -> kstd::same_as<u64>;
    { frame.argument(0u) } -> kstd::same_as<u64>;
};
static_assert(RegisterFrame<TrapFrame>, "the architecture's TrapFrame lacks what the core reads");

// Early output: usable before discovery, slow, and never interrupt-driven.
void debug_write(kstd::StringView text);

// Ends the machine through the firmware. `failure` becomes QEMU's exit status.
[[noreturn]] void power_off(bool failure);

// The cycle counter when the kernel's first instruction ran (BootInfo passes it on, for
// the boot-time benchmark; under QEMU -icount the counter counts instructions).
u64 kernel_entry_cycle();

void enable_interrupts();
void disable_interrupts();
void wait_for_interrupt();
// True when an enabled interrupt is waiting (taken as soon as interrupts are enabled):
// long kernel operations check it at their preemption points.
bool interrupt_pending();

// The physical range the kernel image occupies, from its first to its last byte.
tessera::PhysRange kernel_image();

// Where the kernel can read physical memory through the direct map.
void* physical_to_virtual(tessera::PhysAddr address);

// Replaces the boot page table with the final kernel address space: the image with W^X,
// RAM in the direct map. Page-table pages come from `allocator`.
kstd::Result<void, kstd::StringView> build_kernel_address_space(const tessera::PlatformInfo& platform,
                                                                tessera::BootPageAllocator& allocator);

// Where the kernel reaches the registers of a device it drives itself (the interrupt
// controller; on riscv64 also the console UART, for the interrupt self-test), all mapped
// by build_kernel_address_space(); null for registers that are not mapped.
volatile void* kernel_device_registers(tessera::PhysRange registers);

// Lets the interrupt controller's interrupt reach this CPU (riscv64: sie.SEIE), once the
// kernel's handler for it is registered. Interrupts as a whole still follow
// enable_interrupts() / disable_interrupts().
void enable_external_interrupts();

// Gives the boot CPU its per-CPU record.
void init_boot_cpu(tessera::Cpu& cpu, u64 hardware_id);

// Prints what is known about the other CPUs (they stay parked until the SMP issue).
void report_secondary_cpus(const tessera::PlatformInfo& platform, const tessera::Cpu& boot_cpu);

// The timer: a free-running counter at the platform's timebase and a one-shot deadline
// that raises the timer interrupt.
void init_timer(const tessera::PlatformInfo& platform, bool force_firmware_timer);
u64 read_timer();
void set_timer_deadline(u64 deadline);
kstd::StringView timer_mechanism();

// User threads. A fresh user context starts at `entry` with `stack` and `argument` (the
// first argument register), in user mode with interrupts enabled.
void init_user_context(TrapFrame& frame, u64 entry, u64 stack, u64 argument);
// Switches to the VSpace `vspace_root` names: satp gets its root table and ASID, and no
// TLB entry is flushed (they are tagged by ASID). Null, or a capability that is not a
// valid root whose ASID still names it, gives the kernel-only space (ASID 0, an empty
// user half).
void activate_address_space(const tessera::Capability* vspace_root);
// Loads the frame and the thread's floating-point registers and enters user mode; a trap
// from there comes back through the kernel.
[[noreturn]] void return_to_user(TrapFrame& frame, FpContext& fp);
// Runs nothing until an interrupt makes a thread runnable: the idle thread.
[[noreturn]] void idle();
// Copies the kernel's half of the address space into a new root page table (by its
// kernel-visible address), so the kernel stays mapped in every address space.
void copy_kernel_mappings(void* root_table);

// A snapshot of every register of the caller, for register dumps outside traps.
void capture_registers(TrapFrame& frame);
// Prints a frame: cause, faulting address, pc and all general registers.
void print_trap_frame(const TrapFrame& frame);

} // namespace arch
