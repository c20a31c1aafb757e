#pragma once
// A half-open range [base, end) of physical addresses.
#include <kstd/format.hpp>
#include <kstd/types.hpp>

namespace tessera {

struct PhysRange {
    u64 base = 0;
    u64 end = 0;

    static constexpr PhysRange from_size(u64 base, u64 size) {
        // A range reaching past the top of the address space is cut at the top.
        u64 end = base + size;
        return PhysRange{base, end < base ? ~u64{0} : end};
    }

    constexpr u64 size() const { return end - base; }
    constexpr bool empty() const { return end <= base; }
    constexpr bool contains(u64 address) const { return base <= address && address < end; }
    constexpr bool contains(PhysRange other) const { return base <= other.base && other.end <= end; }
    constexpr bool overlaps(PhysRange other) const { return base < other.end && other.base < end; }
    constexpr bool operator==(const PhysRange&) const = default;
};

template <kstd::CharSink S> constexpr void format_value(S& sink, PhysRange range) {
    kstd::format_to(sink, "{}-{}", kstd::Hex{range.base, 8}, kstd::Hex{range.end, 8});
}

} // namespace tessera
