#pragma once
// A set of physical addresses kept as sorted, disjoint, non-adjacent ranges. Boot-time
// memory accounting is arithmetic on these sets: RAM minus everything reserved.
#include <kstd/bounded_vector.hpp>
#include <memory/phys_range.hpp>

namespace tessera {

class RegionSet {
public:
    static constexpr usize kCapacity = 128;

    // Adds a range, merging with neighbours. False when the set would need more ranges
    // than it can hold; the set is then unchanged.
    [[nodiscard]] bool add(PhysRange range);

    // Removes a range; a range split in two may need one more slot. False (and the set
    // unchanged) when that slot is not available.
    [[nodiscard]] bool remove(PhysRange range);

    // Shrinks every range to whole pages of `granule` bytes, dropping what becomes empty.
    void shrink_to_granule(u64 granule);

    bool contains(u64 address) const;
    bool intersects(PhysRange range) const;
    u64 total_bytes() const;

    usize size() const { return ranges_.size(); }
    bool empty() const { return ranges_.empty(); }
    const PhysRange& operator[](usize index) const { return ranges_[index]; }
    const PhysRange* begin() const { return ranges_.begin(); }
    const PhysRange* end() const { return ranges_.end(); }

private:
    kstd::BoundedVector<PhysRange, kCapacity> ranges_;
};

} // namespace tessera
