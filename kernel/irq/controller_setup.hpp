#pragma once
// The boot-time choice of the interrupt controller. Discovery has matched the device
// tree's `compatible` strings to a kind (riscv,plic0 and sifive,plic-1.0.0: the PLIC);
// here the kind becomes a driver, set up for the boot CPU, with the kernel's handler of
// the controller's interrupt registered and the CPU's external interrupt opened.
//
// A new controller (the APLIC with IMSICs, the IOAPIC with LAPICs) is one more case in
// start_interrupt_controller(): its driver implements InterruptController, and nothing
// above this file changes.
#include <irq/controller.hpp>
#include <irq/external_interrupts.hpp>

namespace tessera {

struct PlatformInfo;

// Starts the controller `platform` describes for `boot_cpu` and prints one line saying
// which is in use, or why none is. A machine without a usable controller still boots, only
// without device interrupts.
void start_interrupt_controller(const PlatformInfo& platform, CpuHardwareId boot_cpu);

// The controller and its router once started; null when none is in use.
InterruptController* kernel_interrupt_controller();
ExternalInterruptRouter* kernel_external_interrupts();

} // namespace tessera
