#pragma once
// Alignment and power-of-two arithmetic on unsigned integers.
#include "types.hpp"

namespace kstd {

constexpr bool is_power_of_two(u64 value) { return value != 0 && (value & (value - 1)) == 0; }

constexpr u64 align_down(u64 value, u64 alignment) { return value & ~(alignment - 1); }

// Saturates instead of wrapping, so a range ending at the top of the address space stays valid.
constexpr u64 align_up(u64 value, u64 alignment) {
    u64 rounded = value + (alignment - 1);
    if (rounded < value) return align_down(~u64{0}, alignment);
    return align_down(rounded, alignment);
}

constexpr bool is_aligned(u64 value, u64 alignment) { return (value & (alignment - 1)) == 0; }

constexpr unsigned count_trailing_zeros(u64 value) {
    return value == 0 ? 64u : static_cast<unsigned>(__builtin_ctzll(value));
}

constexpr unsigned count_leading_zeros(u64 value) {
    return value == 0 ? 64u : static_cast<unsigned>(__builtin_clzll(value));
}

// floor(log2(value)); value must not be zero.
constexpr unsigned log2_floor(u64 value) { return 63u - count_leading_zeros(value); }

constexpr u64 bit(unsigned index) { return u64{1} << index; }

constexpr unsigned popcount(u64 value) { return static_cast<unsigned>(__builtin_popcountll(value)); }

constexpr u64 low_mask(unsigned bits) { return bits >= 64 ? ~u64{0} : bit(bits) - 1; }

} // namespace kstd
