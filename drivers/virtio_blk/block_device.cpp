#include "block_device.hpp"

namespace tessera::virtio_blk {

namespace {

static_assert(VirtioBlockDevice::kMaxRequests * sizeof(RequestBuffers) <= kDmaPageBytes,
              "the request slots share one page, so none crosses a page boundary");

constexpr u32 kDescriptorsPerRequest = 3;

// The largest power of two that is at most `limit` and at most the driver's own maximum.
u16 queue_size_for(u16 limit) {
    u16 size = SplitVirtqueue::kMaxSize;
    while (size > limit) size = static_cast<u16>(size / 2);
    return size;
}

} // namespace

TransportResult<void> VirtioBlockDevice::start(DeviceRegisters registers, const DmaRegion& dma) {
    transport_ = MmioTransport(registers);
    dma_ = dma;
    info_ = {};
    for (Slot& slot : slots_) slot = {};
    TRY(transport_.probe(kBlockDeviceId, kConfigBytesRead));
    info_.transport_version = transport_.version();
    TRY(transport_.begin());

    auto brought_up = [&]() -> TransportResult<void> {
        info_.features = TRY(transport_.negotiate(block_feature::kReadOnly | transport_feature::kAccessPlatform));
        info_.read_only = (info_.features.accepted & block_feature::kReadOnly) != 0;
        u16 limit = TRY(transport_.queue_size_limit(kQueue));
        u16 size = queue_size_for(limit);
        if (size < kDescriptorsPerRequest) return kstd::fail(TransportFailure{TransportError::QueueTooSmall, limit});
        QueueLayout layout = QueueLayout::for_size(size);
        requests_offset_ = layout.bytes; // page-aligned: QueueLayout rounds up to pages
        usize needed = requests_offset_ + kMaxRequests * sizeof(RequestBuffers);
        if (dma_.size() < needed || !virtqueue_.initialise(dma_, 0, size))
            return kstd::fail(TransportFailure{TransportError::DmaTooSmall, needed});
        TRY(transport_.install_queue(kQueue, virtqueue_));
        info_.queue_size = size;
        u32 slots = size / kDescriptorsPerRequest;
        info_.request_slots = slots < kMaxRequests ? slots : kMaxRequests;
        info_.sectors = transport_.config64(kConfigCapacity);
        transport_.set_driver_ok();
        return {};
    }();
    if (!brought_up) transport_.set_failed();
    return brought_up;
}

RequestBuffers& VirtioBlockDevice::buffers(u32 slot) const {
    return *reinterpret_cast<RequestBuffers*>(dma_.at(buffers_offset(slot)));
}

kstd::Optional<u32> VirtioBlockDevice::free_slot() const {
    for (u32 slot = 0; slot < info_.request_slots; ++slot)
        if (!slots_[slot].busy) return slot;
    return kstd::none;
}

bool VirtioBlockDevice::has_free_slot() const { return free_slot().has_value(); }

u32 VirtioBlockDevice::requests_in_flight() const {
    u32 count = 0;
    for (u32 slot = 0; slot < info_.request_slots; ++slot) count += slots_[slot].busy ? 1 : 0;
    return count;
}

kstd::Optional<u32> VirtioBlockDevice::submit(BlockOperation operation, u64 sector, kstd::Bytes data) {
    kstd::Optional<u32> found = free_slot();
    if (!found) return kstd::none;
    u32 slot = *found;
    RequestBuffers& request = buffers(slot);
    request.header = BlockRequestHeader{operation == BlockOperation::Read ? kRequestTypeRead : kRequestTypeWrite, 0,
                                        sector};
    request.status = kBlockStatusNotWritten;
    if (operation == BlockOperation::Write) {
        KASSERT(data.size() == kBlockSectorBytes);
        for (usize i = 0; i < kBlockSectorBytes; ++i) request.data[i] = data[i];
    }
    usize base = buffers_offset(slot);
    const QueueBuffer chain[kDescriptorsPerRequest] = {
        {base + __builtin_offsetof(RequestBuffers, header), sizeof(BlockRequestHeader), false},
        {base + __builtin_offsetof(RequestBuffers, data), kBlockSectorBytes, operation == BlockOperation::Read},
        {base + __builtin_offsetof(RequestBuffers, status), 1, true},
    };
    // Every slot has its three descriptors (slots <= queue size / 3), so this cannot fail
    // while a slot is free.
    kstd::Optional<u16> head = virtqueue_.make_available(kstd::Span<const QueueBuffer>(chain));
    KASSERT(head.has_value());
    slots_[slot] = Slot{true, operation, sector, *head};
    transport_.notify(kQueue);
    return slot;
}

kstd::Optional<u32> VirtioBlockDevice::submit_read(u64 sector) { return submit(BlockOperation::Read, sector, {}); }

kstd::Optional<u32> VirtioBlockDevice::submit_write(u64 sector, kstd::Bytes data) {
    return submit(BlockOperation::Write, sector, data);
}

u32 VirtioBlockDevice::acknowledge_interrupt() {
    u32 causes = transport_.acknowledge_interrupts();
    // A resized disk announces itself this way (section 5.2.2).
    if ((causes & kInterruptConfigChanged) != 0) info_.sectors = transport_.config64(kConfigCapacity);
    return causes;
}

kstd::Optional<BlockCompletion> VirtioBlockDevice::take_completion() {
    for (;;) {
        kstd::Optional<UsedChain> used = virtqueue_.take_used();
        if (!used) return kstd::none;
        for (u32 slot = 0; slot < info_.request_slots; ++slot) {
            Slot& record = slots_[slot];
            if (!record.busy || record.head != used->head) continue;
            record.busy = false;
            const RequestBuffers& request = buffers(slot);
            // Read the status through a volatile access: the device wrote it, not this code.
            u8 status = *static_cast<const volatile u8*>(&request.status);
            return BlockCompletion{slot, record.operation, record.sector, status,
                                   kstd::Bytes(request.data, kBlockSectorBytes)};
        }
        // The virtqueue knows only heads the driver made available, so every used chain
        // belongs to a busy slot; a mismatch would be a driver bug.
        KASSERT(false);
    }
}

} // namespace tessera::virtio_blk
