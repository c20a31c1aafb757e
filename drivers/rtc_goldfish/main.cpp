// The clock service's driver task: the goldfish RTC (goldfish_rtc.hpp) behind the service
// of userlib/services/clock.hpp. The root task gives it the DriverSlot capabilities
// (userlib/services/layout.hpp): it receives requests on the Service endpoint and the
// alarm's interrupt through the Interrupt notification bound to its own thread, so one
// Recv waits for both. The logic is in clock_server.cpp; this file moves messages between
// it and the kernel.
#include <abi/vm.hpp>
#include <userlib/invocations.hpp>
#include <userlib/ipc.hpp>
#include <userlib/print.hpp>
#include <userlib/services/console.hpp>
#include <userlib/start.hpp>

#include "clock_server.hpp"

using namespace tessera;
using namespace tessera::user;
using namespace tessera::rtc_goldfish;

namespace {

class MappedRegisters final : public RtcRegisters {
public:
    explicit MappedRegisters(u64 address) : base_(reinterpret_cast<volatile u32*>(address)) {}

    u32 read(RtcRegister which) override { return base_[index_of(which)]; }
    void write(RtcRegister which, u32 value) override { base_[index_of(which)] = value; }

private:
    static constexpr u64 index_of(RtcRegister which) { return static_cast<u64>(which) / sizeof(u32); }

    volatile u32* base_;
};

ReplyObject reply_object(u32 index) { return ReplyObject(CPtr{slot_of(DriverSlot::FirstReply) + index}); }

class KernelReplies final : public AnswerSink {
public:
    void answer(u32 reply, const IpcMessage& message) override {
        // A caller that went away meanwhile is no error (Reply then does nothing); a
        // refusal means the Reply object itself is wrong, which only the log can tell.
        if (IpcStatus status = reply_object(reply).reply(message); status != IpcStatus::Ok)
            println("rtc: answering through Reply object {}: {}", reply, status);
    }
};

// Prints why the driver cannot go on; the task then ends.
int give_up(const char* what, const Error& error) {
    println("rtc: {}: {}", what, error);
    return 1;
}

} // namespace

int task_main(const TaskStart& start) {
    use_console(ConsoleClient(Endpoint(CPtr{slot_of(DriverSlot::Console)})));
    if (start.task_info == nullptr) {
        println("rtc: started without TaskInfo, so without a device");
        return 1;
    }
    const u64 physical = start.task_info->argument;
    const Endpoint service(CPtr{slot_of(DriverSlot::Service)});
    const Notification interrupt(CPtr{slot_of(DriverSlot::Interrupt)});
    const IrqHandler irq_handler(CPtr{slot_of(DriverSlot::IrqHandler)});

    MappedRegisters registers(kDriverRegistersAddress + (physical & (kPageBytes - 1)));
    GoldfishRtc rtc(registers);
    // The line falls before it is opened, so nothing left over from before reaches us.
    rtc.reset();

    if (auto bound = Tcb(CPtr{slot_of(TaskSlot::Tcb)}).bind_notification(interrupt); !bound)
        return give_up("binding the interrupt notification to the thread", bound.error());
    auto status = irq_handler.status();
    if (!status) return give_up("reading the IrqHandler's status", status.error());
    // The line may have been masked as unhandled before the notification was bound; an
    // Ack opens it whether or not an interrupt was delivered.
    if (auto acked = irq_handler.ack(); !acked) return give_up("opening the interrupt line", acked.error());

    println("rtc: goldfish at {}, irq {}, {}", kstd::Hex{physical}, status.value().line,
            UtcTime{civil_from_unix_nanoseconds(rtc.now())});

    KernelReplies replies;
    ClockServer server(rtc, replies);
    IpcMessage message = service.recv(reply_object(server.receiving_reply()));
    for (;;) {
        if (message.status == IpcStatus::Signalled) {
            if ((message.badge & kInterruptBadge) != 0) {
                server.handle_alarm_interrupt();
                if (auto acked = irq_handler.ack(); !acked) println("rtc: IrqHandler.Ack: {}", acked.error());
            }
            message = service.recv(reply_object(server.receiving_reply()));
        } else if (message.status == IpcStatus::Ok) {
            // Answered now, the request's Reply object is still the one to receive with;
            // held, it stays with its caller and receiving_reply() names a free one.
            kstd::Optional<IpcMessage> answer = server.handle_request(message);
            ReplyObject next = reply_object(server.receiving_reply());
            message = answer ? service.reply_recv(next, *answer) : service.recv(next);
        } else {
            // The endpoint or a Reply object is gone or wrong: every further Recv would fail
            // the same way at once.
            println("rtc: receiving on the service endpoint: {}", message.status);
            return 1;
        }
    }
}
