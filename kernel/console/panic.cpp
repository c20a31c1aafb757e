#include <arch/interface.hpp>
#include <console/console.hpp>
#include <console/panic.hpp>
#include <cpu/cpu.hpp>

namespace tessera {

void panic_with_frame(kstd::StringView reason, const arch::TrapFrame& frame) {
    arch::disable_interrupts();
    Cpu& cpu = this_cpu();
    if (cpu.panicking) {
        // A fault while reporting a fault: the dump itself is broken, so stop at once.
        arch::debug_write("\nKERNEL PANIC while panicking; powering off\n");
        arch::power_off(true);
    }
    cpu.panicking = true;
    kprintln("");
    kprintln("KERNEL PANIC on cpu {}: {}", cpu.index, reason);
    arch::print_trap_frame(frame);
    kprintln("powering off");
    arch::power_off(true);
}

void panic_message(kstd::StringView reason) {
    arch::TrapFrame frame{};
    arch::capture_registers(frame);
    panic_with_frame(reason, frame);
}

} // namespace tessera

namespace kstd {

void assertion_failed(const char* condition, const char* file, int line) {
    tessera::panic("assertion failed: {} ({}:{})", condition, file, line);
}

} // namespace kstd
