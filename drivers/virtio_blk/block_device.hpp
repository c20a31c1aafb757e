#pragma once
// A virtio block device (virtio 1.x section 5.2) over the virtio-mmio transport: one
// virtqueue, requests of one 512-byte sector, each a chain of three buffers (the header
// the device reads, the data, the status byte it writes). Up to kMaxRequests are out at
// once, each in a request slot of its own in DMA memory; the device may finish them in
// any order.
#include <kstd/format.hpp>

#include "virtio_mmio.hpp"

namespace tessera::virtio_blk {

inline constexpr u32 kBlockDeviceId = 2;
inline constexpr u64 kBlockSectorBytes = 512;

namespace block_feature {
inline constexpr u64 kReadOnly = u64{1} << 5; // VIRTIO_BLK_F_RO
}

// The configuration space: only the capacity (in 512-byte sectors) is read.
inline constexpr u32 kConfigCapacity = 0;
inline constexpr u32 kConfigBytesRead = 8;

inline constexpr u32 kRequestTypeRead = 0;  // VIRTIO_BLK_T_IN
inline constexpr u32 kRequestTypeWrite = 1; // VIRTIO_BLK_T_OUT

inline constexpr u8 kBlockStatusOk = 0;
inline constexpr u8 kBlockStatusIoError = 1;
inline constexpr u8 kBlockStatusUnsupported = 2;
// Written into the status byte before a request goes out: a device that answers without
// writing the status cannot pass for a success.
inline constexpr u8 kBlockStatusNotWritten = 0xff;

struct BlockRequestHeader {
    u32 type;
    u32 reserved;
    u64 sector;
};
static_assert(sizeof(BlockRequestHeader) == 16);

// One request slot in DMA memory. No slot crosses a page (checked where they are laid out),
// so each buffer is one physical run whatever the frames' addresses.
struct RequestBuffers {
    u8 data[kBlockSectorBytes];
    BlockRequestHeader header;
    u8 status;
    u8 padding[15];
};
static_assert(sizeof(RequestBuffers) == 544);
static_assert(__builtin_offsetof(RequestBuffers, header) == 512);

struct BlockDeviceInfo {
    u32 transport_version = 0;
    u64 sectors = 0;
    bool read_only = false;
    u16 queue_size = 0;
    u32 request_slots = 0;
    NegotiatedFeatures features;
};

enum class BlockOperation : u8 { Read, Write };

struct BlockCompletion {
    u32 slot = 0;
    BlockOperation operation = BlockOperation::Read;
    u64 sector = 0;
    u8 status = kBlockStatusNotWritten;
    kstd::Bytes data; // the sector read; valid until the next submission
};

class VirtioBlockDevice {
public:
    static constexpr u32 kMaxRequests = 3;
    static constexpr u16 kQueue = 0; // virtio-blk's requestq

    // Brings the device up: probe, reset, features, the queue, DRIVER_OK. On failure the
    // device is told (FAILED) when it got that far, and nothing else may be called.
    TransportResult<void> start(DeviceRegisters registers, const DmaRegion& dma);

    const BlockDeviceInfo& info() const { return info_; }
    bool has_free_slot() const;
    u32 requests_in_flight() const;

    // Send one request to the device (the caller checked the sector). Return the slot, or
    // none when every slot is taken.
    kstd::Optional<u32> submit_read(u64 sector);
    kstd::Optional<u32> submit_write(u64 sector, kstd::Bytes data); // kBlockSectorBytes

    // On the device's interrupt, before take_completion: acknowledges the causes at the
    // device (re-reading the capacity when the configuration changed); returns them.
    u32 acknowledge_interrupt();
    // The next finished request, its slot free again; none when nothing more finished.
    kstd::Optional<BlockCompletion> take_completion();
    u64 bogus_completions() const { return virtqueue_.bogus_used_entries(); }

private:
    struct Slot {
        bool busy = false;
        BlockOperation operation = BlockOperation::Read;
        u64 sector = 0;
        u16 head = 0;
    };

    RequestBuffers& buffers(u32 slot) const;
    usize buffers_offset(u32 slot) const { return requests_offset_ + slot * sizeof(RequestBuffers); }
    kstd::Optional<u32> free_slot() const;
    kstd::Optional<u32> submit(BlockOperation operation, u64 sector, kstd::Bytes data);

    MmioTransport transport_;
    DmaRegion dma_;
    SplitVirtqueue virtqueue_;
    BlockDeviceInfo info_;
    usize requests_offset_ = 0;
    Slot slots_[kMaxRequests];
};

// A byte count as people read it: "512 bytes", "1 MiB", "1.5 GiB" (tenths, cut off).
struct ByteSize {
    u64 bytes;
};

template <kstd::CharSink S> constexpr void format_value(S& sink, ByteSize size) {
    constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
    if (size.bytes < 1024) {
        kstd::format_to(sink, "{} bytes", size.bytes);
        return;
    }
    u64 unit = 1024;
    usize index = 0;
    while (index + 1 < sizeof(kUnits) / sizeof(kUnits[0]) && size.bytes / unit >= 1024) {
        unit *= 1024;
        ++index;
    }
    u64 whole = size.bytes / unit;
    u64 tenths = (size.bytes % unit) / (unit / 10);
    if (tenths == 0) kstd::format_to(sink, "{} {}", whole, kUnits[index]);
    else kstd::format_to(sink, "{}.{} {}", whole, tenths, kUnits[index]);
}

} // namespace tessera::virtio_blk
