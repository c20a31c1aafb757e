#pragma once
// A window of 32-bit device registers, reached through two functions instead of a raw
// pointer: in the kernel they load and store through the device mapping, in the host tests
// they are a fake device that records every access. Controller drivers are therefore
// register logic only, and the tests check the exact writes they make.
#include <kstd/assert.hpp>
#include <kstd/types.hpp>

namespace tessera {

class RegisterWindow {
public:
    struct Access {
        u32 (*read32)(void* context, u64 offset);
        void (*write32)(void* context, u64 offset, u32 value);
    };

    constexpr RegisterWindow() = default;
    constexpr RegisterWindow(const Access* access, void* context, u64 size)
        : access_(access), context_(context), size_(size) {}

    // Registers the kernel has mapped at `base`, `size` bytes of them.
    static RegisterWindow memory_mapped(volatile void* base, u64 size) {
        return RegisterWindow(&kMemoryMapped, const_cast<void*>(base), size);
    }

    u64 size() const { return size_; }
    bool valid() const { return access_ != nullptr; }

    // Offsets are computed by the drivers from checked arguments; one outside the window
    // is a driver bug, not bad input.
    u32 read32(u64 offset) const {
        check(offset);
        return access_->read32(context_, offset);
    }
    void write32(u64 offset, u32 value) const {
        check(offset);
        access_->write32(context_, offset, value);
    }

private:
    void check(u64 offset) const {
        KASSERT(access_ != nullptr);
        KASSERT(offset % sizeof(u32) == 0 && offset < size_ && size_ - offset >= sizeof(u32));
    }

    // Controller registers sit in strongly ordered I/O memory (an I/O region on riscv64,
    // uncached memory on x86_64), so volatile accesses keep their program order unfenced.
    static u32 read_mapped(void* base, u64 offset) {
        return *reinterpret_cast<volatile u32*>(static_cast<u8*>(base) + offset);
    }
    static void write_mapped(void* base, u64 offset, u32 value) {
        *reinterpret_cast<volatile u32*>(static_cast<u8*>(base) + offset) = value;
    }
    static constexpr Access kMemoryMapped{read_mapped, write_mapped};

    const Access* access_ = nullptr;
    void* context_ = nullptr;
    u64 size_ = 0;
};

} // namespace tessera
