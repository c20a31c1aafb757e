#pragma once
// Distinct types for the numbers that must never mix: physical and virtual addresses.
#include <kstd/format.hpp>
#include <kstd/types.hpp>

namespace tessera {

struct PhysAddr {
    u64 value = 0;
    constexpr bool operator==(const PhysAddr&) const = default;
    constexpr bool operator<(const PhysAddr& other) const { return value < other.value; }
    constexpr PhysAddr operator+(u64 offset) const { return PhysAddr{value + offset}; }
};

struct VirtAddr {
    u64 value = 0;
    constexpr bool operator==(const VirtAddr&) const = default;
    constexpr bool operator<(const VirtAddr& other) const { return value < other.value; }
    constexpr VirtAddr operator+(u64 offset) const { return VirtAddr{value + offset}; }
};

template <kstd::CharSink S> constexpr void format_value(S& sink, PhysAddr address) {
    kstd::format_value(sink, kstd::Hex{address.value, 1});
}

template <kstd::CharSink S> constexpr void format_value(S& sink, VirtAddr address) {
    kstd::format_value(sink, kstd::Hex{address.value, 1});
}

inline constexpr u64 kPageSize = 4096;
inline constexpr u64 KiB = 1024;
inline constexpr u64 MiB = 1024 * KiB;
inline constexpr u64 GiB = 1024 * MiB;

} // namespace tessera
