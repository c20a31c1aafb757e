#pragma once
// The IRQ tests' kernel: the IPC fixture (threads, notifications, the real IPC core) plus
// a PLIC on fake registers (../fake_plic.hpp) with its router and a dispatcher of their
// own, and the kernel's IrqHandler table configured over them. The root CNode holds
// IrqControl; every IrqControl and IrqHandler operation goes through the real invocation
// path. An interrupt is a line queued at the fake PLIC's claim register and routed as the
// trap path routes it; the clock the table timestamps with is a number the test sets.
#include "../fake_plic.hpp"
#include "../ipc/ipc_fixture.hpp"

#include <abi/irq.hpp>
#include <irq/external_interrupts.hpp>
#include <irq/irq_handlers.hpp>
#include <platform/platform_info.hpp>

namespace irqtest {

using namespace ipctest;

inline constexpr CpuHardwareId kHart{0};
inline constexpr u32 kContext = 1;
inline constexpr u32 kSources = 96;
inline constexpr u64 kIrqControl = 5; // root-CNode slot of the IrqControl capability
inline constexpr u64 kLevelHigh = static_cast<u64>(IrqTrigger::LevelHigh);
inline constexpr u64 kEdge = static_cast<u64>(IrqTrigger::Edge);
inline constexpr u64 kLevelLow = static_cast<u64>(IrqTrigger::LevelLow);
// Root-CNode slots the handler and deletion tests share: two handlers, each with a
// notification and a badged copy of it.
inline constexpr u64 kHandler = 20;
inline constexpr u64 kNotification = 21;
inline constexpr u64 kBadged = 22;
inline constexpr u64 kSecond = 30;
inline constexpr u64 kSecondNotification = 31;
inline constexpr u64 kSecondBadged = 32;

// GetStatus, decoded.
struct Status {
    u64 bound = 0, masked = 0, delivered = 0, last_time = 0, line = 0, shared = 0, awaiting_ack = 0;
    bool operator==(const Status&) const = default;
};

class IrqKernel : public IpcKernel {
public:
    // Lines the "device tree" names: QEMU virt's virtio (1..8), UART (10) and RTC (11),
    // and 40..79 for the tests that need many lines.
    IrqKernel();
    ~IrqKernel();

    tessera_test::FakePlicRegisters registers;
    Plic plic;
    IrqDispatcher dispatcher;
    ExternalInterruptRouter router{plic, dispatcher};
    InterruptLineSet described;
    static u64 clock;

    IrqHandlerTable& table() { return kernel_irq_handlers(); }

    // IrqControl.Get into root slot `dest` (depth 64).
    Reply get(u64 line, u64 trigger, u64 shared, u64 dest);
    Reply set_notification(u64 handler, u64 notification);
    Reply ack(u64 handler);
    Reply clear(u64 handler);
    Reply set_priority(u64 handler, u64 priority);
    Status status(u64 handler);

    // A dedicated level-high handler of `line` in `slot`, bound to a new notification in
    // `notification` minted with `badge` into `badged`.
    void driver(u64 line, u64 slot, u64 notification, u64 badged, u64 badge, u64 shared = 0);

    // The line is claimed at the PLIC and routed as the trap path routes it.
    void interrupt(u32 line);
    // The line's enable bit in the hart's context: set while it is routed and unmasked.
    bool delivers(u32 line) const;
    u32 priority_register(u32 line) const;
};

Status status_of(const std::vector<u64>& words);

} // namespace irqtest

namespace Catch {
template <> struct StringMaker<irqtest::Status> {
    static std::string convert(const irqtest::Status& s) {
        return "{bound " + std::to_string(s.bound) + ", masked " + std::to_string(s.masked) + ", delivered " +
               std::to_string(s.delivered) + ", time " + std::to_string(s.last_time) + ", line " +
               std::to_string(s.line) + ", shared " + std::to_string(s.shared) + ", awaiting " +
               std::to_string(s.awaiting_ack) + "}";
    }
};
} // namespace Catch
