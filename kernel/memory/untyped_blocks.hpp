#pragma once
// Cuts a free range into naturally aligned power-of-two blocks, the shape Untyped memory
// must have: a block of 2^n bytes starts at a multiple of 2^n.
#include <kstd/bit.hpp>
#include <memory/phys_range.hpp>

namespace tessera {

struct UntypedBlock {
    u64 base;
    unsigned size_bits;
};

// Boot hands out whole pages; the largest block is the largest Untyped an object can be.
inline constexpr unsigned kBootUntypedMinBits = 12;
inline constexpr unsigned kBootUntypedMaxBits = 47;

// Calls visit(UntypedBlock) for each block, largest possible first at each address.
// Bytes that cannot form a block of at least 2^kBootUntypedMinBits are skipped; a range
// aligned to 4 KiB loses nothing.
template <typename Visit> constexpr void for_each_untyped_block(PhysRange range, Visit&& visit) {
    u64 cursor = kstd::align_up(range.base, kstd::bit(kBootUntypedMinBits));
    while (cursor < range.end && range.end - cursor >= kstd::bit(kBootUntypedMinBits)) {
        unsigned by_alignment = cursor == 0 ? kBootUntypedMaxBits : kstd::count_trailing_zeros(cursor);
        unsigned by_size = kstd::log2_floor(range.end - cursor);
        unsigned bits = kstd::min(kstd::min(by_alignment, by_size), kBootUntypedMaxBits);
        visit(UntypedBlock{cursor, bits});
        cursor += kstd::bit(bits);
    }
}

} // namespace tessera
