#pragma once
// The memory the driver shares with the device: mapped at one virtual range, made of
// 4 KiB frames whose physical addresses the driver learnt from their capabilities. The
// frames are meant to be one physical run, but the driver checks rather than trusts it:
// every buffer it hands the device lies inside one frame, and only the legacy transport's
// virtqueue (one physical page number for all its rings) needs frames in a row.
#include <kstd/span.hpp>
#include <kstd/types.hpp>

namespace tessera::virtio_blk {

inline constexpr usize kDmaPageBytes = 4096;

class DmaRegion {
public:
    static constexpr usize kMaxPages = 8;

    DmaRegion() = default;
    // `base`: where the frames are mapped, in order; `page_physical`: each frame's physical
    // address (pages beyond kMaxPages are left out).
    DmaRegion(u8* base, kstd::Span<const u64> page_physical) : base_(base) {
        for (usize i = 0; i < page_physical.size() && i < kMaxPages; ++i) pages_[page_count_++] = page_physical[i];
    }

    usize size() const { return page_count_ * kDmaPageBytes; }
    u8* at(usize offset) const {
        KASSERT(offset < size());
        return base_ + offset;
    }
    u64 physical(usize offset) const {
        KASSERT(offset < size());
        return pages_[offset / kDmaPageBytes] + offset % kDmaPageBytes;
    }
    // Whether `bytes` from `offset` are one physical run.
    bool physically_contiguous(usize offset, usize bytes) const {
        if (bytes == 0) return true;
        if (offset > size() || bytes > size() - offset) return false;
        usize first = offset / kDmaPageBytes;
        usize last = (offset + bytes - 1) / kDmaPageBytes;
        for (usize page = first; page < last; ++page)
            if (pages_[page + 1] != pages_[page] + kDmaPageBytes) return false;
        return true;
    }

private:
    u8* base_ = nullptr;
    u64 pages_[kMaxPages] = {};
    usize page_count_ = 0;
};

} // namespace tessera::virtio_blk
