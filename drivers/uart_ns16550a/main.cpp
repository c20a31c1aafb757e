// The ns16550a UART driver task: the system console. The root task starts it with the
// capabilities of userlib/services/layout.hpp (DriverSlot) and the UART's register page
// mapped at kDriverRegistersAddress; TaskInfo.argument is the registers' physical address.
//
// One thread serves both the device and the console's clients: its interrupt
// notification is bound to its TCB, so one Recv on the Service endpoint returns either a
// client's request or, as Signalled, the interrupt. The device logic and the request
// bookkeeping are portable (ns16550a.cpp, console_service.cpp, host-tested in
// tests/unit/drivers/uart_ns16550a); this file holds only the system calls.
#include <userlib/invocations.hpp>
#include <userlib/ipc.hpp>
#include <userlib/print.hpp>
#include <userlib/services/layout.hpp>
#include <userlib/start.hpp>
#include <userlib/syscalls.hpp>

#include "console_service.hpp"
#include "ns16550a.hpp"

using namespace tessera;
using namespace tessera::user;
using namespace tessera::drivers::uart;

namespace {

// QEMU virt's ns16550a has its registers one byte apart (no reg-shift).
class MappedUartRegisters final : public UartRegisterAccess {
public:
    explicit MappedUartRegisters(u64 address) : base_(reinterpret_cast<volatile u8*>(address)) {}
    u8 read(UartRegister reg) override { return base_[static_cast<u8>(reg)]; }
    void write(UartRegister reg, u8 value) override { base_[static_cast<u8>(reg)] = value; }

private:
    volatile u8* base_;
};

CPtr driver_slot(DriverSlot slot, u64 offset = 0) { return CPtr{slot_of(slot) + offset}; }

ReplyObject reply_object(u32 index) { return ReplyObject(driver_slot(DriverSlot::FirstReply, index)); }

// The driver's own lines go into its transmit ring like any client's output (not through
// IPC to itself, and not through the kernel's polled output, which would interleave with
// the ring mid-line). A line that does not fit is dropped rather than waited for.
template <typename... Args> void report(Ns16550a& uart, kstd::StringView pattern, const Args&... args) {
    char line[160];
    kstd::BufferSink sink(line, sizeof line);
    kstd::format_to(sink, pattern, args...);
    sink.put('\n');
    (void)uart.queue_output(sink.view());
}

class ReplyObjectSink final : public AnswerSink {
public:
    explicit ReplyObjectSink(Ns16550a& uart) : uart_(uart) {}
    void answer(u32 index, const IpcMessage& message) override {
        // Reply finds nobody waiting when the caller was cancelled meanwhile: that is Ok,
        // so an error here means the slot holds no Reply object.
        IpcStatus status = reply_object(index).reply(message);
        if (status != IpcStatus::Ok) report(uart_, "uart: answering through Reply object {}: {}", index, status);
    }

private:
    Ns16550a& uart_;
};

bool given_enough(const TaskInfo& info) {
    return info.given.start == slot_of(TaskSlot::FirstGiven) &&
           info.given.end >= slot_of(DriverSlot::FirstReply) + kDriverReplyObjects;
}

} // namespace

int task_main(const TaskStart& start) {
    const TaskInfo* info = start.task_info;
    if (info == nullptr || !given_enough(*info)) {
        println("uart: started without the driver capabilities (userlib/services/layout.hpp)");
        return 1;
    }
    const Endpoint service(driver_slot(DriverSlot::Service));
    const IrqHandler irq(driver_slot(DriverSlot::IrqHandler));
    const Notification interrupt(driver_slot(DriverSlot::Interrupt));

    // Until now a signal could only wait in the notification; bound, it ends our Recv.
    if (auto bound = Tcb(CPtr{slot_of(TaskSlot::Tcb)}).bind_notification(interrupt); !bound) {
        println("uart: binding the interrupt notification: {}", bound.error());
        return 1;
    }

    static MappedUartRegisters registers(kDriverRegistersAddress + (info->argument & (kPageBytes - 1)));
    static Ns16550a uart(registers);
    static ReplyObjectSink sink(uart);
    static ConsoleService console(uart, *current_ipc_buffer(), sink);

    uart.start();
    // Opens the line in case an interrupt came before the notification was bound and the
    // kernel masked the line as unhandled.
    if (auto acked = irq.ack(); !acked) println("uart: IrqHandler.Ack: {}", acked.error());
    if (auto status = irq.status(); status)
        report(uart, "uart: ns16550a at {}, irq {}, console ready", kstd::Hex{info->argument}, status.value().line);
    else
        report(uart, "uart: ns16550a at {}, irq unknown ({}), console ready", kstd::Hex{info->argument},
               status.error());
    console.pump();

    u64 overruns_reported = 0;
    IpcMessage message = service.recv(reply_object(console.receiving_reply_object()));
    for (;;) {
        if (message.status == IpcStatus::Ok) {
            u32 used = console.receiving_reply_object();
            if (auto answer = console.handle(message)) {
                message = service.reply_recv(reply_object(used), *answer);
                continue;
            }
        } else if (message.status == IpcStatus::Signalled) {
            if ((message.badge & kInterruptBadge) != 0) {
                // The kernel masked the line; Ack unmasks it. QEMU's PLIC does not take a
                // level line again that stayed asserted across the Ack, so look once more
                // rather than wait for an interrupt that may not come.
                do {
                    console.pump();
                    if (auto acked = irq.ack(); !acked) report(uart, "uart: IrqHandler.Ack: {}", acked.error());
                } while (uart.needs_service());
            }
            if (uart.counters().overruns != overruns_reported) {
                overruns_reported = uart.counters().overruns;
                report(uart, "uart: receive FIFO overrun ({} so far): input was lost", overruns_reported);
                console.pump();
            }
        } else if (message.status == IpcStatus::InvalidCapability || message.status == IpcStatus::ObjectDeleted) {
            // Receiving can never work again; the polled kernel output is all that is left.
            println("uart: receiving on the service endpoint: {}; stopping", message.status);
            return 1;
        } else {
            report(uart, "uart: receiving on the service endpoint: {}", message.status);
            console.pump();
        }
        message = service.recv(reply_object(console.receiving_reply_object()));
    }
}
