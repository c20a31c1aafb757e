#pragma once
// The device's 32-bit registers, reached through two functions rather than a raw pointer:
// in the driver task they are volatile accesses through the mapped register page (with
// the fences that order them against the rings in ordinary memory), in the host tests they
// are a fake virtio-mmio device. The transport above is therefore register logic only.
#include <kstd/assert.hpp>
#include <kstd/types.hpp>

namespace tessera::virtio_blk {

class DeviceRegisters {
public:
    struct Access {
        u32 (*read32)(void* context, u32 offset);
        void (*write32)(void* context, u32 offset, u32 value);
    };

    constexpr DeviceRegisters() = default;
    constexpr DeviceRegisters(const Access* access, void* context, u32 size)
        : access_(access), context_(context), size_(size) {}

    bool valid() const { return access_ != nullptr; }
    u32 size() const { return size_; }

    // Offsets are the transport's constants; one outside the window is a driver bug.
    u32 read32(u32 offset) const {
        check(offset);
        return access_->read32(context_, offset);
    }
    void write32(u32 offset, u32 value) const {
        check(offset);
        access_->write32(context_, offset, value);
    }

private:
    void check(u32 offset) const {
        KASSERT(access_ != nullptr);
        KASSERT(offset % sizeof(u32) == 0 && offset < size_ && size_ - offset >= sizeof(u32));
    }

    const Access* access_ = nullptr;
    void* context_ = nullptr;
    u32 size_ = 0;
};

} // namespace tessera::virtio_blk
