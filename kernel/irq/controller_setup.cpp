#include <arch/interface.hpp>
#include <console/console.hpp>
#include <cpu/cpu.hpp>
#include <irq/controller_setup.hpp>
#include <irq/irq_handlers.hpp>
#include <irq/plic.hpp>
#include <platform/platform_info.hpp>

namespace tessera {

namespace {

Plic plic;
ExternalInterruptRouter plic_interrupts{plic, kernel_irq_dispatcher()};
kstd::BoundedVector<PlicCpuContext, Plic::kMaxCpuContexts> plic_cpu_contexts;

ExternalInterruptRouter* router_in_use = nullptr;

IrqHandled on_controller_interrupt(VirtualIrq, void* router) {
    static_cast<ExternalInterruptRouter*>(router)->route_pending(CpuHardwareId{this_cpu().hardware_id});
    return IrqHandled::Yes;
}

// Sets the PLIC up, or returns why it cannot be used.
kstd::Result<void, kstd::StringView> start_plic(const PlatformInfo& platform, CpuHardwareId boot_cpu) {
    const PlicInfo& info = platform.plic;
    volatile void* registers = arch::kernel_device_registers(info.registers);
    if (registers == nullptr)
        return kstd::fail(kstd::StringView("its registers are outside the kernel's device window"));
    plic_cpu_contexts.clear();
    for (const HartInfo& hart : platform.harts) {
        if (!hart.plic_supervisor_context) continue;
        if (!plic_cpu_contexts.push_back({CpuHardwareId{hart.hart_id}, *hart.plic_supervisor_context}))
            return kstd::fail(plic_setup_error_name(PlicSetupError::TooManyCpuContexts));
    }
    PlicConfiguration configuration{RegisterWindow::memory_mapped(registers, info.registers.size()), info.source_count,
                                    plic_cpu_contexts.span()};
    auto initialised = plic.initialise(configuration);
    if (!initialised) return kstd::fail(plic_setup_error_name(initialised.error()));
    if (!plic.initialise_cpu(boot_cpu)) return kstd::fail(kstd::StringView("the boot hart has no supervisor context"));
    return {};
}

// Registers the kernel's handler of the controller's interrupt and lets that interrupt in.
bool open_controller_interrupt(ExternalInterruptRouter& router) {
    auto registered = kernel_irq_dispatcher().register_handler(kIrqControllerExternal, on_controller_interrupt, &router,
                                                               255, HandlerFlags::None);
    if (!registered) {
        kprintln("external interrupts: none (the controller's handler cannot be registered)");
        return false;
    }
    router_in_use = &router;
    arch::enable_external_interrupts();
    return true;
}

} // namespace

void start_interrupt_controller(const PlatformInfo& platform, CpuHardwareId boot_cpu) {
    switch (platform.interrupt_controller) {
    case InterruptControllerKind::Plic: {
        auto started = start_plic(platform, boot_cpu);
        if (!started) {
            kprintln("external interrupts: none (plic: {})", started.error());
            return;
        }
        if (!open_controller_interrupt(plic_interrupts)) return;
        kernel_irq_handlers().configure(IrqHandlerEnvironment{&plic, &kernel_irq_dispatcher(), boot_cpu,
                                                              &platform.plic.device_lines, arch::read_timer});
        kprintln("external interrupts: plic, context {} (hart {}), lines 1..{}, priority levels 1..{}",
                 plic.context_of(boot_cpu).value(), boot_cpu.value, plic.last_line(), plic.max_priority());
        kprintln("irq handlers: {} device lines in the device tree, room for {} handlers",
                 platform.plic.device_lines.count(), IrqHandlerTable::kCapacity);
        return;
    }
    case InterruptControllerKind::Aplic: kprintln("external interrupts: none (the aplic is not supported yet)"); return;
    case InterruptControllerKind::None:
        kprintln("external interrupts: none (no interrupt controller in the device tree)");
        return;
    }
}

InterruptController* kernel_interrupt_controller() {
    return router_in_use == nullptr ? nullptr : &router_in_use->controller();
}

ExternalInterruptRouter* kernel_external_interrupts() { return router_in_use; }

} // namespace tessera
