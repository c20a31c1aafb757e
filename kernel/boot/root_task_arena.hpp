#pragma once
// The memory the root task's kernel objects come from: one contiguous piece of free RAM,
// handed out in naturally aligned, zeroed blocks and afterwards reserved as a whole, so
// that the Untyped memory given to the root task never overlaps them.
#include <kstd/bit.hpp>
#include <kstd/optional.hpp>
#include <memory/region_set.hpp>

namespace tessera {

class RootTaskArena {
public:
    RootTaskArena() = default;

    // Finds `bytes` of free RAM aligned to 2^`alignment_bits` in `free`.
    static kstd::Optional<RootTaskArena> reserve(const RegionSet& free, u64 bytes, unsigned alignment_bits) {
        for (const PhysRange& range : free) {
            u64 base = kstd::align_up(range.base, kstd::bit(alignment_bits));
            if (base >= range.end || range.end - base < bytes) continue;
            return RootTaskArena(PhysRange::from_size(base, bytes));
        }
        return {};
    }

    // Physical address of a block of 2^size_bits bytes, aligned to its size; none when
    // the arena is used up (the size estimate was wrong: a kernel bug).
    kstd::Optional<u64> take(unsigned size_bits) {
        u64 base = kstd::align_up(next_, kstd::bit(size_bits));
        if (base < next_ || base > range_.end || range_.end - base < kstd::bit(size_bits)) return {};
        next_ = base + kstd::bit(size_bits);
        return base;
    }

    // What was handed out, from the start of the arena.
    PhysRange used() const { return PhysRange{range_.base, next_}; }

private:
    explicit RootTaskArena(PhysRange range) : range_(range), next_(range.base) {}

    PhysRange range_;
    u64 next_ = 0;
};

} // namespace tessera
