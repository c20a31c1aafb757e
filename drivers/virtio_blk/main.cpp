// The virtio-blk driver task: serves the block service (userlib/services/block.hpp) with
// the first virtio-mmio block device the root task found. What it is given
// (userlib/services/layout.hpp): the device's register page, its IrqHandler and the
// notification that handler signals, the endpoint it serves on, Reply objects for the
// requests it holds, and DMA frames. The protocol is in block_service.cpp, the device in
// block_device.cpp; this file is the system calls around them.
#include <userlib/invocations.hpp>
#include <userlib/ipc.hpp>
#include <userlib/print.hpp>
#include <userlib/services/console.hpp>
#include <userlib/services/layout.hpp>
#include <userlib/start.hpp>
#include <userlib/syscalls.hpp>

#include "block_service.hpp"

using namespace tessera;
using namespace tessera::user;
using namespace tessera::virtio_blk;

namespace {

// The register page is device memory (I/O on riscv64), the rings are ordinary memory, and
// the device reads the rings when it sees a register write: so every register write waits
// for earlier memory writes (fence w,o), and every register read completes before later
// memory reads (fence i,ir), the pairing RISC-V's I/O accessors use.
u32 read_mapped(void* base, u32 offset) {
    u32 value = *reinterpret_cast<volatile u32*>(static_cast<u8*>(base) + offset);
    asm volatile("fence i, ir" : : : "memory");
    return value;
}

void write_mapped(void* base, u32 offset, u32 value) {
    asm volatile("fence w, o" : : : "memory");
    *reinterpret_cast<volatile u32*>(static_cast<u8*>(base) + offset) = value;
}

constexpr DeviceRegisters::Access kMappedRegisters{read_mapped, write_mapped};
constexpr u64 kPageOffsetMask = kPageBytes - 1;

// The DMA frames the root task gave, in mapping order, with their physical addresses.
struct DmaFrames {
    u64 physical[DmaRegion::kMaxPages] = {};
    usize count = 0;
};

DmaFrames find_dma_frames(const TaskInfo& task) {
    DmaFrames frames;
    for (u64 slot = slot_of(DriverSlot::FirstDma); slot < task.given.end && frames.count < DmaRegion::kMaxPages;
         ++slot) {
        Result<u64> address = Frame(CPtr{slot}).get_address();
        if (!address) {
            println("virtio-blk: DMA frame in slot {}: {}", slot, address.error());
            break;
        }
        frames.physical[frames.count++] = address.value();
    }
    return frames;
}

[[noreturn]] void serve(BlockService& service, const IrqHandler& irq) {
    const Endpoint endpoint(CPtr{slot_of(DriverSlot::Service)});
    ReplyObject replies[BlockService::kReplyObjects];
    for (u32 i = 0; i < BlockService::kReplyObjects; ++i)
        replies[i] = ReplyObject(CPtr{slot_of(DriverSlot::FirstReply) + i});
    IpcBuffer& buffer = *current_ipc_buffer();

    IpcMessage message = endpoint.recv(replies[service.receive_reply()]);
    for (;;) {
        if (message.status == IpcStatus::Signalled) {
            if ((message.badge & kInterruptBadge) != 0) {
                service.handle_interrupt(buffer, [&](u32 reply, const IpcMessage& answer) {
                    (void)replies[reply].reply(answer);
                });
                // After the device's own acknowledgement, so the line is low when it opens.
                if (auto acked = irq.ack(); !acked) println("virtio-blk: IrqHandler.Ack: {}", acked.error());
            }
            message = endpoint.recv(replies[service.receive_reply()]);
            continue;
        }
        if (message.status != IpcStatus::Ok) {
            // The endpoint or a Reply object is gone: nothing to serve with any more.
            println("virtio-blk: receive failed ({}), stopping", message.status);
            end_current_thread();
        }
        u32 received_with = service.receive_reply();
        BlockService::Outcome outcome = service.handle_request(message, buffer);
        if (outcome.held) message = endpoint.recv(replies[service.receive_reply()]);
        else message = endpoint.reply_recv(replies[received_with], outcome.answer);
    }
}

} // namespace

int task_main(const TaskStart& start) {
    use_console(ConsoleClient(Endpoint(CPtr{slot_of(DriverSlot::Console)})));
    if (start.task_info == nullptr) return 1;
    const TaskInfo& task = *start.task_info;
    const u64 registers_physical = task.argument;
    const IrqHandler irq(CPtr{slot_of(DriverSlot::IrqHandler)});

    const Tcb own_thread(CPtr{slot_of(TaskSlot::Tcb)});
    const Notification interrupt(CPtr{slot_of(DriverSlot::Interrupt)});
    // Without the binding no completion would ever reach the loop and every request would
    // be held for ever: better to stop, visibly.
    if (auto bound = own_thread.bind_notification(interrupt); !bound) {
        println("virtio-blk: binding the interrupt notification: {}", bound.error());
        return 1;
    }
    Result<IrqHandlerStatus> irq_status = irq.status();
    u64 line = irq_status ? irq_status.value().line : 0;

    u64 page_offset = registers_physical & kPageOffsetMask;
    DeviceRegisters registers(&kMappedRegisters, reinterpret_cast<void*>(kDriverRegistersAddress + page_offset),
                              static_cast<u32>(kPageBytes - page_offset));
    DmaFrames frames = find_dma_frames(task);
    DmaRegion dma(reinterpret_cast<u8*>(kDriverDmaAddress), kstd::Span<const u64>(frames.physical, frames.count));

    static VirtioBlockDevice device;
    TransportResult<void> started = device.start(registers, dma);
    if (started) {
        const BlockDeviceInfo& info = device.info();
        println("virtio-blk: virtio-mmio v{} at {}, irq {}, {} sectors ({}){}", info.transport_version,
                kstd::Hex{registers_physical}, line, info.sectors, ByteSize{info.sectors * kBlockSectorBytes},
                info.read_only ? ", read-only" : "");
    } else {
        println("virtio-blk: the device at {} did not start: {}", kstd::Hex{registers_physical}, started.error());
    }

    // Clients must not wait for ever on a device that failed: they get NotPresent.
    BlockService service(started ? &device : nullptr);
    // An interrupt that came before the notification was bound left the line masked.
    (void)irq.ack();
    serve(service, irq);
}
