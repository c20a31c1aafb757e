#pragma once
// Kernel objects from Untyped memory. The allocator mirrors each Untyped's watermark (the
// kernel places objects naturally aligned above it, and never lowers it while children
// exist), so it knows before asking which Untyped an object fits in, and it only retypes
// where the kernel will agree. Policy: an object comes from the smallest RAM Untyped it
// fits, so large Untypeds stay whole for large objects; an Untyped of a given size (to hand
// to another task, or to revoke as a unit) is split off a larger one. Device Untypeds
// yield frames at exact physical addresses: the gap below the address is carved into
// Untyped fillers that stay in the table for later requests.
#include <abi/object_types.hpp>
#include <kstd/bounded_vector.hpp>
#include <kstd/optional.hpp>
#include <userlib/bootinfo.hpp>
#include <userlib/invocations.hpp>
#include <userlib/slot_allocator.hpp>

namespace tessera::user {

struct UntypedRegion {
    CPtr cap;
    u64 physical = 0;
    u8 size_bits = 0;
    bool device = false;
    u64 watermark = 0; // bytes from the base already handed out (as the kernel counts)

    constexpr u64 size() const { return u64{1} << size_bits; }
    constexpr u64 end() const { return physical + size(); }
};

// Where `count` objects of 2^object_bits bytes would go in `region`: the offset of the first,
// or none when they do not fit.
kstd::Optional<u64> placement_in(const UntypedRegion& region, unsigned object_bits, u64 count);

class ObjectAllocator {
public:
    static constexpr usize kMaxRegions = 512;

    // `own_cnode`: the caller's CSpace root, which resolves every slot at depth 64; new
    // capabilities go into slots of `slots`.
    ObjectAllocator(CNode own_cnode, SlotAllocator& slots) : cnode_(own_cnode), slots_(slots) {}

    // Takes an Untyped into the table; `watermark` is what is already used of it.
    Result<void> add_untyped(CPtr cap, u64 physical, unsigned size_bits, bool device, u64 watermark = 0);
    // Every Untyped BootInfo lists (fresh: watermark 0).
    Result<void> add_boot_untypeds(const BootInfoView& boot_info);

    // One object; `size_bits` is the CNode radix or the Untyped size, else ignored.
    Result<CPtr> allocate(ObjectType type, unsigned size_bits = 0) { return allocate_run(type, size_bits, 1); }
    // `count` objects in consecutive slots; returns the first.
    Result<CPtr> allocate_run(ObjectType type, unsigned size_bits, u64 count);
    // A RAM Untyped of 2^size_bits bytes, split off a larger one; not added to the table.
    Result<CPtr> allocate_untyped(unsigned size_bits) { return allocate(ObjectType::Untyped, size_bits); }
    // A 4 KiB frame of device memory at `physical` (MMIO).
    Result<CPtr> allocate_device_frame(u64 physical);

    // The region a RAM (or device) object of 2^object_bits bytes (count of them) would
    // come from; none if nothing fits. Exposed so tests can check the policy.
    kstd::Optional<usize> choose_region(unsigned object_bits, u64 count, bool device) const;

    kstd::Span<const UntypedRegion> regions() const { return regions_.span(); }
    u64 free_ram_bytes() const;
    CNode cnode() const { return cnode_; }
    SlotAllocator& slots() { return slots_; }

private:
    Result<CPtr> retype_from(usize region, ObjectType type, unsigned size_bits, u64 count);

    CNode cnode_;
    SlotAllocator& slots_;
    kstd::BoundedVector<UntypedRegion, kMaxRegions> regions_;
};

} // namespace tessera::user
