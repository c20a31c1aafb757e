// Boot self-tests of the external-interrupt path on the real controller: the console UART
// (an ns16550a) is made to raise its transmitter-empty interrupt, which must come through
// the controller, the router and the dispatcher to a kernel handler of its line; and a
// line nobody handles must be masked after one interrupt. The UART's interrupt enable
// register is restored afterwards: the firmware's console uses the UART, without interrupts.
#include <arch/interface.hpp>
#include <boot/boot_state.hpp>
#include <boot/selftest.hpp>
#include <cpu/cpu.hpp>
#include <irq/controller_setup.hpp>

namespace tessera {

namespace {

// ns16550a registers, one byte apart (QEMU's has no reg-shift), with the divisor latch off.
constexpr u64 kUartInterruptEnable = 1;
constexpr u64 kUartInterruptIdentification = 2;
constexpr u64 kUartLineControl = 3;
constexpr u8 kEnableTransmitterEmpty = 0x02;
constexpr u8 kIdentifiedTransmitterEmpty = 0x02; // low nibble of the identification register
constexpr u8 kDivisorLatchAccess = 0x80;

// Long enough for QEMU on a loaded machine; a working path needs well under one tick.
constexpr u64 kWaitTicks = 20;

struct UartUnderTest {
    u32 line = 0;
    volatile u8* registers = nullptr;
    u8 saved_interrupt_enable = 0;
    InterruptController* controller = nullptr;
    ExternalInterruptRouter* router = nullptr;
    CpuHardwareId cpu;
};

// Finds the controller, the UART and its line, or records why the test cannot run.
bool find_uart(SelfTestContext& t, UartUnderTest& uart) {
    uart.controller = kernel_interrupt_controller();
    uart.router = kernel_external_interrupts();
    if (!t.expect(uart.controller != nullptr && uart.router != nullptr, "no interrupt controller is in use"))
        return false;
    const auto& console = boot_state.platform.console;
    if (!t.expect(console.has_value() && console->compatible == "ns16550a" && console->interrupt.has_value(),
                  "the console is no ns16550a with an interrupt line"))
        return false;
    uart.line = *console->interrupt;
    uart.registers = static_cast<volatile u8*>(arch::kernel_device_registers(console->registers));
    if (!t.expect(uart.registers != nullptr, "the console UART at {} is not mapped", console->registers)) return false;
    if (!t.expect((uart.registers[kUartLineControl] & kDivisorLatchAccess) == 0,
                  "the UART's divisor latch is switched in; its interrupt register is out of reach"))
        return false;
    uart.saved_interrupt_enable = uart.registers[kUartInterruptEnable];
    uart.cpu = CpuHardwareId{this_cpu().hardware_id};
    return true;
}

// Sleeps a timer tick at a time until `done()`; false when `ticks` ticks pass first.
template <typename Done> bool wait_ticks_until(u64 ticks, Done done) {
    u64 give_up = arch::read_timer() + ticks * this_cpu().clock.period();
    while (!done()) {
        if (arch::read_timer() >= give_up) return false;
        arch::wait_for_interrupt();
    }
    return true;
}

bool route_line(SelfTestContext& t, const UartUnderTest& uart) {
    auto prioritised = uart.controller->set_priority(uart.line, 1);
    if (!t.expect(prioritised.ok(), "priority 1 for line {} refused: {}", uart.line,
                  prioritised ? kstd::StringView() : controller_error_name(prioritised.error())))
        return false;
    auto bound = uart.controller->bind(uart.line, uart.cpu);
    return t.expect(bound.ok(), "binding line {} to cpu {} refused: {}", uart.line, uart.cpu.value,
                    bound ? kstd::StringView() : controller_error_name(bound.error()));
}

void unroute_line(const UartUnderTest& uart) {
    (void)uart.controller->unmask(uart.line);
    (void)uart.controller->unbind(uart.line);
    (void)uart.controller->set_priority(uart.line, 0);
}

// Written in interrupt context, read by the waiting test.
struct LineProbe {
    volatile u8* uart = nullptr;
    volatile u32 deliveries = 0;
    volatile u16 last_irq = 0;
    volatile u8 identification = 0;
};

// Services the UART the way a driver would: reading the identification register
// acknowledges the transmitter-empty interrupt, and clearing the enable keeps it quiet.
IrqHandled on_uart_line(VirtualIrq irq, void* context) {
    auto* probe = static_cast<LineProbe*>(context);
    probe->identification = probe->uart[kUartInterruptIdentification] & 0x0f;
    probe->uart[kUartInterruptEnable] = 0;
    probe->last_irq = irq.value;
    probe->deliveries = probe->deliveries + 1;
    return IrqHandled::Yes;
}

IrqHandled absorb_line(VirtualIrq, void*) { return IrqHandled::Yes; }

} // namespace

KERNEL_SELFTEST(IRQ0001,
                "a UART interrupt is claimed with the UART's line, reaches the line's handler, and is completed") {
    UartUnderTest uart;
    if (!find_uart(t, uart)) return;
    VirtualIrq irq = VirtualIrq::wired_line(static_cast<u16>(uart.line));
    LineProbe probe;
    probe.uart = uart.registers;
    auto registered = kernel_irq_dispatcher().register_handler(irq, on_uart_line, &probe, 0, HandlerFlags::None);
    if (!t.expect(registered.ok(), "registering a handler for line {} failed", uart.line)) return;
    ExternalInterruptCounts before = uart.router->counts();

    u32 first = 0, second = 0;
    bool routed = route_line(t, uart);
    if (routed) {
        uart.registers[kUartInterruptEnable] = kEnableTransmitterEmpty;
        wait_ticks_until(kWaitTicks, [&] { return probe.deliveries >= 1; });
        first = probe.deliveries;
        // A PLIC gateway forwards a source's next request only once the previous one was
        // completed, so a second interrupt proves the first was completed.
        uart.registers[kUartInterruptEnable] = kEnableTransmitterEmpty;
        wait_ticks_until(kWaitTicks, [&] { return probe.deliveries >= 2; });
        second = probe.deliveries;
    }
    uart.registers[kUartInterruptEnable] = uart.saved_interrupt_enable;
    auto status = uart.controller->line_status(uart.line);
    unroute_line(uart);
    kernel_irq_dispatcher().unregister_handler(irq, on_uart_line, &probe);
    ExternalInterruptCounts after = uart.router->counts();
    if (!routed) return;

    t.expect(first == 1, "{} interrupts after the UART's first request, expected 1", first);
    t.expect(probe.last_irq == irq.value, "the handler saw {}, expected {} (line {})", VirtualIrq{probe.last_irq}, irq,
             uart.line);
    t.expect(probe.identification == kIdentifiedTransmitterEmpty, "the UART identified {} instead of transmitter empty",
             kstd::Hex{probe.identification});
    t.expect(second == 2, "{} interrupts after the second request, expected 2: was the first completed?", second);
    t.expect(after.lines_claimed - before.lines_claimed == 2, "{} lines claimed, expected 2",
             after.lines_claimed - before.lines_claimed);
    t.expect(after.lines_unhandled == before.lines_unhandled, "a handled line was counted as unhandled");
    t.expect(after.controller_errors == before.controller_errors, "the controller refused a claim or completion");
    if (t.expect(status.ok(), "no status for line {}", uart.line)) {
        t.expect(!status.value().masked, "a handled line was masked");
        t.expect(status.value().target.has_value() && *status.value().target == uart.cpu,
                 "line {} is not bound to cpu {}", uart.line, uart.cpu.value);
    }
}

KERNEL_SELFTEST(IRQ0002, "a line nobody handles is masked after one interrupt and completed: no storm") {
    UartUnderTest uart;
    if (!find_uart(t, uart)) return;
    VirtualIrq irq = VirtualIrq::wired_line(static_cast<u16>(uart.line));
    if (!t.expect(kernel_irq_dispatcher().handler_count(irq) == 0, "line {} has a handler already", uart.line)) return;
    ExternalInterruptCounts before = uart.router->counts();

    bool routed = route_line(t, uart);
    bool first_arrived = false;
    ControllerResult<LineStatus> held = kstd::fail(ControllerError::LineNotBound);
    if (routed) {
        // Nobody reads the identification register, so the UART keeps asking.
        uart.registers[kUartInterruptEnable] = kEnableTransmitterEmpty;
        first_arrived = wait_ticks_until(
            kWaitTicks, [&] { return uart.router->counts().lines_unhandled > before.lines_unhandled; });
        // And asks afresh: each of these would be another interrupt on an unmasked line.
        for (int request = 0; request < 3; ++request) {
            uart.registers[kUartInterruptEnable] = 0;
            uart.registers[kUartInterruptEnable] = kEnableTransmitterEmpty;
            u64 ticks = this_cpu().clock.ticks();
            wait_ticks_until(2, [&] { return this_cpu().clock.ticks() > ticks; });
        }
        held = uart.controller->line_status(uart.line);
    }
    uart.registers[kUartInterruptEnable] = uart.saved_interrupt_enable;
    ExternalInterruptCounts after = uart.router->counts();

    // A request the controller still holds is taken by a handler that ignores it, so the
    // line is left as quiet as it was found.
    if (kernel_irq_dispatcher().register_handler(irq, absorb_line, nullptr, 0, HandlerFlags::None)) {
        (void)uart.controller->unmask(uart.line);
        u64 ticks = this_cpu().clock.ticks();
        wait_ticks_until(2, [&] { return this_cpu().clock.ticks() > ticks; });
        kernel_irq_dispatcher().unregister_handler(irq, absorb_line, nullptr);
    }
    unroute_line(uart);
    if (!routed) return;

    t.expect(first_arrived, "the UART's interrupt never arrived");
    t.expect(after.lines_unhandled - before.lines_unhandled == 1, "{} unhandled interrupts, expected exactly 1",
             after.lines_unhandled - before.lines_unhandled);
    t.expect(after.lines_claimed - before.lines_claimed == 1, "{} lines claimed, expected exactly 1",
             after.lines_claimed - before.lines_claimed);
    t.expect(after.controller_errors == before.controller_errors, "the controller refused a claim, mask or completion");
    if (t.expect(held.ok(), "no status for line {}", uart.line)) {
        t.expect(held.value().masked, "the unhandled line {} was not masked", uart.line);
        // The UART did keep asking: the mask, not a quiet device, is why no more came.
        t.expect(held.value().pending, "the UART's later requests are not pending at the controller");
    }
}

} // namespace tessera
