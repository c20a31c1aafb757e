#include "virtio_mmio.hpp"

namespace tessera::virtio_blk {

namespace {

// Reading the status back after a reset takes one access on QEMU; the bound only keeps a
// broken device from hanging the driver.
constexpr u32 kResetPolls = 100000;
// Configuration reads retried while the device keeps changing the field.
constexpr u32 kConfigReadAttempts = 16;

constexpr u32 low_half(u64 value) { return static_cast<u32>(value); }
constexpr u32 high_half(u64 value) { return static_cast<u32>(value >> 32); }

} // namespace

const char* transport_error_name(TransportError error) {
    switch (error) {
    case TransportError::RegistersTooSmall: return "RegistersTooSmall";
    case TransportError::BadMagic: return "BadMagic";
    case TransportError::UnsupportedVersion: return "UnsupportedVersion";
    case TransportError::WrongDevice: return "WrongDevice";
    case TransportError::ResetTimedOut: return "ResetTimedOut";
    case TransportError::NoVersion1: return "NoVersion1";
    case TransportError::FeaturesRefused: return "FeaturesRefused";
    case TransportError::QueueInUse: return "QueueInUse";
    case TransportError::QueueUnavailable: return "QueueUnavailable";
    case TransportError::QueueTooSmall: return "QueueTooSmall";
    case TransportError::DmaTooSmall: return "DmaTooSmall";
    case TransportError::DmaNotContiguous: return "DmaNotContiguous";
    case TransportError::DmaAddressTooHigh: return "DmaAddressTooHigh";
    }
    return "UnknownTransportError";
}

TransportResult<void> MmioTransport::probe(u32 device_id, u32 config_bytes) {
    if (!registers_.valid() || registers_.size() < mmio_register::kConfig + config_bytes)
        return kstd::fail(TransportFailure{TransportError::RegistersTooSmall, registers_.size()});
    u32 magic = registers_.read32(mmio_register::kMagicValue);
    if (magic != kMmioMagic) return kstd::fail(TransportFailure{TransportError::BadMagic, magic});
    u32 version = registers_.read32(mmio_register::kVersion);
    if (version != 1 && version != 2) return kstd::fail(TransportFailure{TransportError::UnsupportedVersion, version});
    u32 found = registers_.read32(mmio_register::kDeviceId);
    if (found != device_id) return kstd::fail(TransportFailure{TransportError::WrongDevice, found});
    version_ = version;
    return {};
}

void MmioTransport::add_status(u32 bits) { registers_.write32(mmio_register::kStatus, status() | bits); }

TransportResult<void> MmioTransport::begin() {
    registers_.write32(mmio_register::kStatus, 0);
    // Section 4.2.3.1: the reset is done when the status reads 0 again.
    u32 polls = 0;
    while (status() != 0) {
        if (++polls == kResetPolls) return kstd::fail(TransportFailure{TransportError::ResetTimedOut, 0});
    }
    add_status(device_status::kAcknowledge);
    add_status(device_status::kDriver);
    return {};
}

TransportResult<NegotiatedFeatures> MmioTransport::negotiate(u64 wanted) {
    NegotiatedFeatures features;
    registers_.write32(mmio_register::kDeviceFeaturesSelect, 0);
    features.offered = registers_.read32(mmio_register::kDeviceFeatures);
    if (legacy()) {
        features.accepted = features.offered & low_half(wanted);
        registers_.write32(mmio_register::kDriverFeaturesSelect, 0);
        registers_.write32(mmio_register::kDriverFeatures, low_half(features.accepted));
        return features;
    }
    registers_.write32(mmio_register::kDeviceFeaturesSelect, 1);
    features.offered |= u64{registers_.read32(mmio_register::kDeviceFeatures)} << 32;
    if ((features.offered & transport_feature::kVersion1) == 0)
        return kstd::fail(TransportFailure{TransportError::NoVersion1, features.offered});
    features.accepted = features.offered & (wanted | transport_feature::kVersion1);
    registers_.write32(mmio_register::kDriverFeaturesSelect, 0);
    registers_.write32(mmio_register::kDriverFeatures, low_half(features.accepted));
    registers_.write32(mmio_register::kDriverFeaturesSelect, 1);
    registers_.write32(mmio_register::kDriverFeatures, high_half(features.accepted));
    add_status(device_status::kFeaturesOk);
    if ((status() & device_status::kFeaturesOk) == 0)
        return kstd::fail(TransportFailure{TransportError::FeaturesRefused, features.offered});
    return features;
}

TransportResult<u16> MmioTransport::queue_size_limit(u16 queue) {
    registers_.write32(mmio_register::kQueueSelect, queue);
    u32 in_use = legacy() ? registers_.read32(mmio_register::kQueuePageNumber)
                          : registers_.read32(mmio_register::kQueueReady);
    if (in_use != 0) return kstd::fail(TransportFailure{TransportError::QueueInUse, queue});
    u32 limit = registers_.read32(mmio_register::kQueueSizeMax);
    if (limit == 0) return kstd::fail(TransportFailure{TransportError::QueueUnavailable, queue});
    return static_cast<u16>(limit > 0xffff ? 0xffff : limit);
}

TransportResult<void> MmioTransport::install_queue(u16 queue, const SplitVirtqueue& virtqueue) {
    const DmaRegion& region = virtqueue.region();
    const QueueLayout& layout = virtqueue.layout();
    if (legacy()) {
        // One page number locates all three rings, so they must be one physical run.
        u64 base = region.physical(virtqueue.offset());
        if (!region.physically_contiguous(virtqueue.offset(), layout.bytes) || base % kLegacyQueueAlign != 0)
            return kstd::fail(TransportFailure{TransportError::DmaNotContiguous, base});
        u64 page_number = base / kDmaPageBytes;
        if (high_half(page_number) != 0)
            return kstd::fail(TransportFailure{TransportError::DmaAddressTooHigh, base});
        registers_.write32(mmio_register::kGuestPageSize, kDmaPageBytes);
        registers_.write32(mmio_register::kQueueSelect, queue);
        registers_.write32(mmio_register::kQueueSize, layout.size);
        registers_.write32(mmio_register::kQueueAlign, kLegacyQueueAlign);
        registers_.write32(mmio_register::kQueuePageNumber, low_half(page_number));
        return {};
    }
    // Each ring is within one page of the layout, so each is one physical run.
    u64 descriptors = virtqueue.descriptors_physical();
    u64 available = virtqueue.available_physical();
    u64 used = virtqueue.used_physical();
    registers_.write32(mmio_register::kQueueSelect, queue);
    registers_.write32(mmio_register::kQueueSize, layout.size);
    registers_.write32(mmio_register::kQueueDescriptorsLow, low_half(descriptors));
    registers_.write32(mmio_register::kQueueDescriptorsHigh, high_half(descriptors));
    registers_.write32(mmio_register::kQueueAvailableLow, low_half(available));
    registers_.write32(mmio_register::kQueueAvailableHigh, high_half(available));
    registers_.write32(mmio_register::kQueueUsedLow, low_half(used));
    registers_.write32(mmio_register::kQueueUsedHigh, high_half(used));
    registers_.write32(mmio_register::kQueueReady, 1);
    return {};
}

u32 MmioTransport::acknowledge_interrupts() {
    u32 causes = registers_.read32(mmio_register::kInterruptStatus);
    if (causes != 0) registers_.write32(mmio_register::kInterruptAck, causes);
    return causes;
}

u32 MmioTransport::config32(u32 offset) const { return registers_.read32(mmio_register::kConfig + offset); }

u64 MmioTransport::config64(u32 offset) const {
    u64 value = 0;
    for (u32 attempt = 0; attempt < kConfigReadAttempts; ++attempt) {
        // Version 2 counts changes in ConfigGeneration; legacy has no counter, so there a
        // stable high half is the sign that the two halves belong together.
        u32 before = legacy() ? config32(offset + 4) : registers_.read32(mmio_register::kConfigGeneration);
        u32 low = config32(offset);
        u32 high = config32(offset + 4);
        value = u64{high} << 32 | low;
        u32 after = legacy() ? config32(offset + 4) : registers_.read32(mmio_register::kConfigGeneration);
        if (before == after && (!legacy() || after == high)) break;
    }
    return value;
}

} // namespace tessera::virtio_blk
