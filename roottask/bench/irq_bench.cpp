// The interrupt path, end to end, on the console UART (an ns16550a; no driver runs in
// bench mode, so the line is free): the root task takes an IrqHandler for the UART's line
// from IrqControl and binds a notification to it; a driver thread waits on it, above a
// thread that makes the UART interrupt.
//   irq_to_driver  the raiser before its store that enables the transmitter-empty
//                  interrupt (after a 0, so the line rises afresh) -> the driver after
//                  its Wait returns: trap, claim, mask, signal, complete, switch;
//   irq_ack        the driver's IrqHandler.Ack, once it has serviced the UART (read its
//                  interrupt identification, so the line is low): the unmask.
// The interrupt enable register is put back as it was found, as the interrupt tests do:
// the kernel and the firmware print through this UART without interrupts.
#include <kstd/bit.hpp>
#include <userlib/address_space.hpp>
#include <userlib/device_tree.hpp>

#include "bench_support.hpp"

namespace tessera::roottask::bench {

namespace {

// ns16550a registers, one byte apart on QEMU virt.
constexpr u64 kInterruptEnable = 1;
constexpr u64 kInterruptIdentification = 2;
constexpr u64 kLineControl = 3;
constexpr u8 kTransmitterEmpty = 0x02;
constexpr u8 kDivisorLatchAccess = 0x80;
// How long the raiser waits for the driver to have run (timebase ticks, 10 MHz): under
// -icount an interrupt is taken right after the store that raises it, so any wait at all
// means it was lost.
constexpr u64 kArrivalLimit = 10'000'000;

struct IrqStamps {
    volatile u8* uart;
    u64 handler;
    u64 notification;
    u64 done;
    u8 saved_interrupt_enable;
    volatile u64 handled;
    volatile bool failed;
    u64 raise_start[kRounds];
    u64 driver_end[kRounds];
    Samples ack;
};
IrqStamps g_irq;

u64 read_time() {
    u64 now;
    asm volatile("rdtime %0" : "=r"(now));
    return now;
}

void driver(u64) {
    for (;;) {
        Registers r = ipc_registers(Syscall::Wait, g_irq.notification);
        Stamps woken = timed_ecall(r);
        if (!ipc_ok(r)) break;
        u64 round = g_irq.handled;
        if (round < kRounds) g_irq.driver_end[round] = woken.after;
        // Servicing: reading the identification clears the transmitter-empty interrupt.
        (void)g_irq.uart[kInterruptIdentification];
        Stamps acked;
        if (!timed_invocation(user::CPtr{g_irq.handler}, InvocationLabel::IrqHandlerAck, 0, 0, 0, 0, user::CPtr{0},
                              acked))
            break;
        if (round >= kWarmup) g_irq.ack.add(interval(acked.before, acked.after));
        g_irq.handled = round + 1;
    }
    g_irq.failed = true;
    (void)user::Notification(user::CPtr{g_irq.done}).signal();
}

void raiser(u64) {
    volatile u8* enable = g_irq.uart + kInterruptEnable;
    for (u64 round = 0; round < kRounds && !g_irq.failed; ++round) {
        *enable = 0;
        u64 start;
        asm volatile("rdcycle %[start]\n\t"
                     "sb %[bit], 0(%[enable])"
                     : [start] "=&r"(start)
                     : [bit] "r"(kTransmitterEmpty), [enable] "r"(enable)
                     : "memory");
        g_irq.raise_start[round] = start;
        const u64 give_up = read_time() + kArrivalLimit;
        while (g_irq.handled <= round && read_time() < give_up) {
        }
        if (g_irq.handled <= round) g_irq.failed = true;
    }
    *enable = g_irq.saved_interrupt_enable;
    (void)user::Notification(user::CPtr{g_irq.done}).signal();
}

// The UART's registers mapped in the root task, and its interrupt line.
user::Result<u32> open_uart(RootEnvironment& root) {
    auto tree = user::DeviceTree::from(root.boot_info.device_tree());
    if (!tree) return kstd::fail(tree.error());
    auto uart = tree.value().find_compatible("ns16550a");
    if (!uart || !uart->has_reg || !uart->interrupt)
        return kstd::fail(user::Error::of(user::LibraryError::NotFound));
    user::Frame frame(TRY(root.objects.allocate_device_frame(kstd::align_down(uart->address, kPageBytes))));
    u64 address = TRY(root.addresses.reserve(1));
    TRY(user::map_frame(root.objects, RootEnvironment::own_caps().vspace, frame, address, VmRights::kReadWrite));
    g_irq.uart = reinterpret_cast<volatile u8*>(address + (uart->address & (kPageBytes - 1)));
    // With the divisor latch switched in, offset 1 is not the interrupt enable register.
    if ((g_irq.uart[kLineControl] & kDivisorLatchAccess) != 0)
        return kstd::fail(user::Error::of(ErrorCode::IllegalOperation));
    return *uart->interrupt;
}

user::Result<void> interrupts(Bench& bench) {
    RootEnvironment& root = bench.root();
    u32 line = TRY(open_uart(root));
    user::CPtr slot = TRY(root.slots.allocate());
    user::IrqControl control(user::CPtr{static_cast<u64>(RootSlot::IrqControl)});
    TRY(control.get(line, IrqTrigger::LevelHigh, false, RootEnvironment::own_caps().cnode, user::SlotPath::at(slot)));
    user::IrqHandler handler(slot);
    user::Notification notification(TRY(root.objects.allocate(ObjectType::Notification)));
    TRY(handler.set_notification(notification));

    g_irq.handler = handler.cap().value;
    g_irq.notification = notification.cap().value;
    g_irq.done = bench.done().cap().value;
    g_irq.saved_interrupt_enable = g_irq.uart[kInterruptEnable];
    g_irq.handled = 0;
    g_irq.failed = false;
    g_irq.ack = Samples();
    TRY(bench.spawn("bench-driver", driver, 0, kPriority + 1));
    TRY(bench.spawn("bench-raiser", raiser, 0, kPriority));
    bench.finish();
    g_irq.uart[kInterruptEnable] = g_irq.saved_interrupt_enable;
    TRY(handler.clear());
    if (g_irq.failed || g_irq.handled < kRounds) {
        bench.fail("irq_to_driver", "the driver did not wake for every interrupt");
        bench.fail("irq_ack", "the driver did not wake for every interrupt");
        return {};
    }
    Samples to_driver;
    for (u64 round = kWarmup; round < kRounds; ++round)
        to_driver.add(interval(g_irq.raise_start[round], g_irq.driver_end[round]));
    bench.report("irq_to_driver", to_driver);
    bench.report("irq_ack", g_irq.ack);
    return {};
}

} // namespace

void run_irq_benchmarks(Bench& bench) {
    if (auto ran = interrupts(bench); !ran) bench.fail("irq_to_driver", ran.error());
}

} // namespace tessera::roottask::bench
