#include <kstd/bit.hpp>
#include <memory/region_set.hpp>

namespace tessera {

bool RegionSet::add(PhysRange range) {
    if (range.empty()) return true;
    // Ranges that touch or overlap `range` collapse into one, spanning all of them.
    usize first = 0;
    while (first < ranges_.size() && ranges_[first].end < range.base) ++first;
    usize last = first;
    PhysRange merged = range;
    while (last < ranges_.size() && ranges_[last].base <= range.end) {
        merged.base = kstd::min(merged.base, ranges_[last].base);
        merged.end = kstd::max(merged.end, ranges_[last].end);
        ++last;
    }
    if (first == last) return ranges_.insert(first, merged);
    ranges_[first] = merged;
    for (usize i = first + 1; i < last; ++i) ranges_.erase(first + 1);
    return true;
}

bool RegionSet::remove(PhysRange range) {
    if (range.empty()) return true;
    for (usize i = 0; i < ranges_.size(); ++i) {
        PhysRange& current = ranges_[i];
        if (!current.overlaps(range)) continue;
        bool keeps_left = current.base < range.base;
        bool keeps_right = range.end < current.end;
        if (keeps_left && keeps_right) {
            PhysRange right{range.end, current.end};
            if (ranges_.full()) return false;
            current.end = range.base;
            return ranges_.insert(i + 1, right);
        }
        if (keeps_left) {
            current.end = range.base;
        } else if (keeps_right) {
            current.base = range.end;
        } else {
            ranges_.erase(i);
            --i;
        }
    }
    return true;
}

void RegionSet::shrink_to_granule(u64 granule) {
    for (usize i = 0; i < ranges_.size(); ++i) {
        PhysRange& range = ranges_[i];
        u64 base = kstd::align_up(range.base, granule);
        u64 end = kstd::align_down(range.end, granule);
        if (end <= base) {
            ranges_.erase(i);
            --i;
        } else {
            range = PhysRange{base, end};
        }
    }
}

bool RegionSet::contains(u64 address) const {
    for (const PhysRange& range : ranges_)
        if (range.contains(address)) return true;
    return false;
}

bool RegionSet::intersects(PhysRange other) const {
    for (const PhysRange& range : ranges_)
        if (range.overlaps(other)) return true;
    return false;
}

u64 RegionSet::total_bytes() const {
    u64 total = 0;
    for (const PhysRange& range : ranges_) total += range.size();
    return total;
}

} // namespace tessera
