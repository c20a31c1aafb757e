#pragma once
// Free slots of one's own CNode: a bitmap over a range (BootInfo's empty range for the
// root task, TaskInfo's for other tasks). Retype fills consecutive slots, so runs can be
// taken as well as single slots.
#include <abi/bootinfo.hpp>
#include <userlib/capability.hpp>
#include <userlib/error.hpp>

namespace tessera::user {

class SlotAllocator {
public:
    // A CNode has at most this many slots worth tracking (the root CNode's 4096).
    static constexpr u64 kMaxSlots = u64{1} << kRootCNodeRadix;

    SlotAllocator() = default;
    // The slots [range.start, range.end); anything past kMaxSlots is ignored.
    explicit SlotAllocator(SlotRange range);

    Result<CPtr> allocate() { return allocate_run(1); }
    // `count` consecutive free slots; returns the first. Lowest address first.
    Result<CPtr> allocate_run(u64 count);
    // Gives slots back (after their capabilities were deleted or moved away).
    void free(CPtr slot) { free_run(slot, 1); }
    void free_run(CPtr first, u64 count);

    u64 free_count() const { return free_; }
    SlotRange range() const { return range_; }
    bool is_free(CPtr slot) const;

private:
    bool used(u64 index) const { return (bitmap_[index / 64] >> (index % 64)) & 1; }
    void mark(u64 index, bool in_use);

    SlotRange range_{0, 0};
    u64 bitmap_[kMaxSlots / 64] = {}; // bit set: in use; indexes are slot - range_.start
    u64 free_ = 0;
};

} // namespace tessera::user
