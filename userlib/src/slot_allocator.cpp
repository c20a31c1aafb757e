#include <kstd/assert.hpp>
#include <userlib/slot_allocator.hpp>

namespace tessera::user {

SlotAllocator::SlotAllocator(SlotRange range) {
    if (range.end < range.start) range.end = range.start;
    if (range.count() > kMaxSlots) range.end = range.start + kMaxSlots;
    range_ = range;
    free_ = range.count();
}

void SlotAllocator::mark(u64 index, bool in_use) {
    u64 bit = u64{1} << (index % 64);
    if (in_use) bitmap_[index / 64] |= bit;
    else bitmap_[index / 64] &= ~bit;
}

Result<CPtr> SlotAllocator::allocate_run(u64 count) {
    u64 size = range_.count();
    if (count == 0 || count > free_) return kstd::fail(Error::of(LibraryError::OutOfSlots, count));
    u64 run = 0;
    for (u64 index = 0; index < size; ++index) {
        // Skip whole words that are full.
        if (index % 64 == 0 && bitmap_[index / 64] == ~u64{0} && index + 64 <= size) {
            run = 0;
            index += 63;
            continue;
        }
        run = used(index) ? 0 : run + 1;
        if (run == count) {
            u64 first = index + 1 - count;
            for (u64 i = first; i <= index; ++i) mark(i, true);
            free_ -= count;
            return CPtr{range_.start + first};
        }
    }
    return kstd::fail(Error::of(LibraryError::OutOfSlots, count));
}

void SlotAllocator::free_run(CPtr first, u64 count) {
    for (u64 slot = first.value; slot < first.value + count; ++slot) {
        KASSERT(slot >= range_.start && slot < range_.end);
        u64 index = slot - range_.start;
        KASSERT(used(index));
        mark(index, false);
        ++free_;
    }
}

bool SlotAllocator::is_free(CPtr slot) const {
    return slot.value >= range_.start && slot.value < range_.end && !used(slot.value - range_.start);
}

} // namespace tessera::user
