#pragma once
// A split virtqueue (virtio 1.x section 2.7, and the legacy layout of section 2.7.2's
// note): the descriptor table, the available ring the driver fills and the used ring the
// device fills, in DMA memory. The driver keeps its own record of every chain (free list,
// links, which heads are out), so a device that writes nonsense into the used ring can
// make it drop entries but never corrupt that record.
#include <kstd/optional.hpp>
#include <kstd/span.hpp>

#include "dma_region.hpp"

namespace tessera::virtio_blk {

struct VirtqDescriptor {
    u64 address;
    u32 length;
    u16 flags;
    u16 next;
};
static_assert(sizeof(VirtqDescriptor) == 16);
static_assert(__builtin_offsetof(VirtqDescriptor, flags) == 12);

struct VirtqUsedElement {
    u32 id;     // the head of the chain the device is done with
    u32 length; // bytes it wrote into the chain's device-writable buffers
};
static_assert(sizeof(VirtqUsedElement) == 8);

inline constexpr u16 kDescriptorChained = 1;     // VIRTQ_DESC_F_NEXT
inline constexpr u16 kDescriptorDeviceWrites = 2; // VIRTQ_DESC_F_WRITE

// The legacy interface puts the used ring at the next QueueAlign boundary after the
// available ring; the driver writes QueueAlign, and 4096 is what every legacy driver uses.
// The modern interface takes three addresses, so this one layout serves both.
inline constexpr usize kLegacyQueueAlign = 4096;

constexpr usize align_up(usize value, usize alignment) { return (value + alignment - 1) / alignment * alignment; }

// Offsets from the queue's start.
struct QueueLayout {
    u16 size = 0;
    usize descriptors = 0;
    usize available = 0; // flags, index, ring[size], used_event
    usize used = 0;      // flags, index, ring[size], avail_event
    usize bytes = 0;

    static constexpr QueueLayout for_size(u16 size) {
        QueueLayout layout;
        layout.size = size;
        layout.available = sizeof(VirtqDescriptor) * size;
        usize available_end = layout.available + 2 * sizeof(u16) + sizeof(u16) * size + sizeof(u16);
        layout.used = align_up(available_end, kLegacyQueueAlign);
        usize used_end = layout.used + 2 * sizeof(u16) + sizeof(VirtqUsedElement) * size + sizeof(u16);
        layout.bytes = align_up(used_end, kLegacyQueueAlign);
        return layout;
    }
};

// One buffer of a chain: `length` bytes at `offset` of the DMA region, read by the device
// or written by it.
struct QueueBuffer {
    usize offset = 0;
    u32 length = 0;
    bool device_writes = false;
};

struct UsedChain {
    u16 head = 0;
    u32 written = 0;
};

class SplitVirtqueue {
public:
    // Enough for three three-part requests with room to spare; a larger queue would only
    // cost DMA memory the driver never fills.
    static constexpr u16 kMaxSize = 16;

    // Lays the rings out at `offset` of `region` (page-aligned, so that no ring crosses a
    // page) and clears them. `size`: a power of two, 1..kMaxSize. False when they do not
    // fit in the region.
    bool initialise(const DmaRegion& region, usize offset, u16 size);

    const QueueLayout& layout() const { return layout_; }
    const DmaRegion& region() const { return region_; }
    usize offset() const { return offset_; }
    u64 descriptors_physical() const { return region_.physical(offset_ + layout_.descriptors); }
    u64 available_physical() const { return region_.physical(offset_ + layout_.available); }
    u64 used_physical() const { return region_.physical(offset_ + layout_.used); }

    u16 free_descriptors() const { return free_count_; }
    u16 chains_in_flight() const { return in_flight_count_; }

    // Chains `buffers` in order and publishes the chain in the available ring (the caller
    // notifies the device). Returns the chain's head, or none when too few descriptors
    // are free. Each buffer must lie within one physical run of the region.
    kstd::Optional<u16> make_available(kstd::Span<const QueueBuffer> buffers);

    // The next chain the device has returned, its descriptors free again; none when the
    // used ring holds nothing new. Entries that name no chain in flight are skipped and
    // counted.
    kstd::Optional<UsedChain> take_used();
    u64 bogus_used_entries() const { return bogus_used_entries_; }

private:
    VirtqDescriptor* descriptor(u16 index) const;
    u16* available_field(usize index) const; // 0 flags, 1 index, 2.. the ring
    u16* used_index() const;
    volatile VirtqUsedElement* used_element(u16 slot) const;
    void release_chain(u16 head);

    DmaRegion region_;
    usize offset_ = 0;
    QueueLayout layout_;
    u16 free_head_ = 0;
    u16 free_count_ = 0;
    u16 next_available_ = 0; // the driver's count of chains published, mod 2^16
    u16 last_used_ = 0;      // the used-ring entries consumed, mod 2^16
    u16 in_flight_count_ = 0;
    u16 link_[kMaxSize] = {};        // next descriptor: in a chain, or in the free list
    u16 chain_length_[kMaxSize] = {}; // per head in flight
    bool in_flight_[kMaxSize] = {};
    u64 bogus_used_entries_ = 0;
};

} // namespace tessera::virtio_blk
