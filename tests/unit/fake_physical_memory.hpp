#pragma once
// A fake physical memory for the Sv39 page-table builder: an aligned arena whose pages
// pose as physical pages from kBase upwards. The builder reaches tables only through the
// Memory callbacks, so every table it asks for must be one this arena handed out.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <vector>

#include <arch/sv39.hpp>

namespace tessera_test {

class FakePhysicalMemory {
public:
    static constexpr u64 kBase = 0x80000000; // nonzero: 0 means "out of memory" to the builder
    static constexpr u64 kPage = 4096;

    explicit FakePhysicalMemory(usize pages)
        : pages_(pages), arena_(static_cast<u8*>(std::aligned_alloc(kPage, pages * kPage))) {
        REQUIRE(arena_ != nullptr);
        // Garbage, not zeroes: a table the builder used without it being handed out zeroed
        // would show up as bogus entries.
        std::memset(arena_, 0xa5, pages * kPage);
    }
    ~FakePhysicalMemory() { std::free(arena_); }
    FakePhysicalMemory(const FakePhysicalMemory&) = delete;
    FakePhysicalMemory& operator=(const FakePhysicalMemory&) = delete;

    // A zeroed page, or 0 when the arena is used up.
    u64 allocate() {
        if (used_ == pages_) return 0;
        std::memset(arena_ + used_ * kPage, 0, kPage);
        return kBase + kPage * used_++;
    }

    arch::sv39::Pte* table_at(u64 physical) {
        u64 index = (physical - kBase) / kPage;
        if (physical < kBase || physical % kPage != 0 || index >= used_)
            FAIL("page-table builder asked for a table at " << physical << " it was never given");
        return reinterpret_cast<arch::sv39::Pte*>(arena_ + index * kPage);
    }

    arch::sv39::Memory memory() {
        return arch::sv39::Memory{
            [](void* self) { return static_cast<FakePhysicalMemory*>(self)->allocate(); },
            [](void* self, u64 physical) { return static_cast<FakePhysicalMemory*>(self)->table_at(physical); },
            this};
    }

    usize used() const { return used_; }

    // The bytes of every page handed out: compared before and after a refused call.
    std::vector<u8> snapshot() const { return std::vector<u8>(arena_, arena_ + used_ * kPage); }

private:
    usize pages_;
    usize used_ = 0;
    u8* arena_;
};

} // namespace tessera_test
