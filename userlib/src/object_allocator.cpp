#include <kstd/bit.hpp>
#include <userlib/object_allocator.hpp>

namespace tessera::user {

kstd::Optional<u64> placement_in(const UntypedRegion& region, unsigned object_bits, u64 count) {
    if (object_bits > region.size_bits || count == 0) return kstd::none;
    u64 object_bytes = kstd::bit(object_bits);
    u64 offset = kstd::align_up(region.watermark, object_bytes);
    if (offset >= region.size() && count > 0) return kstd::none;
    if (count > (region.size() - offset) / object_bytes) return kstd::none;
    return offset;
}

Result<void> ObjectAllocator::add_untyped(CPtr cap, u64 physical, unsigned size_bits, bool device, u64 watermark) {
    UntypedRegion region{cap, physical, static_cast<u8>(size_bits), device, watermark};
    if (!regions_.push_back(region)) return kstd::fail(Error::of(LibraryError::TooManyRegions));
    return {};
}

Result<void> ObjectAllocator::add_boot_untypeds(const BootInfoView& boot_info) {
    auto untypeds = boot_info.untypeds();
    for (usize i = 0; i < untypeds.size(); ++i)
        TRY(add_untyped(boot_info.untyped_cap(i), untypeds[i].physical, untypeds[i].size_bits, untypeds[i].is_device != 0));
    return {};
}

kstd::Optional<usize> ObjectAllocator::choose_region(unsigned object_bits, u64 count, bool device) const {
    kstd::Optional<usize> best;
    for (usize i = 0; i < regions_.size(); ++i) {
        const UntypedRegion& region = regions_[i];
        if (region.device != device || !placement_in(region, object_bits, count)) continue;
        // Smallest region first; among equals, the one used most (leave fresh ones whole).
        if (!best || region.size_bits < regions_[*best].size_bits ||
            (region.size_bits == regions_[*best].size_bits && region.watermark > regions_[*best].watermark))
            best = i;
    }
    return best;
}

Result<CPtr> ObjectAllocator::retype_from(usize index, ObjectType type, unsigned size_bits, u64 count) {
    UntypedRegion& region = regions_[index];
    unsigned object_bits = object_size_bits(type, size_bits);
    u64 offset = *placement_in(region, object_bits, count);
    CPtr first = TRY(slots_.allocate_run(count));
    auto retyped = Untyped(region.cap).retype(type, size_bits, cnode_, 0, 0, first.value, count);
    if (!retyped) {
        slots_.free_run(first, count);
        return kstd::fail(retyped.error());
    }
    region.watermark = offset + count * kstd::bit(object_bits);
    return first;
}

Result<CPtr> ObjectAllocator::allocate_run(ObjectType type, unsigned size_bits, u64 count) {
    unsigned object_bits = object_size_bits(type, size_bits);
    if (count == 0 || count > kRetypeFanOutLimit) return kstd::fail(Error::of(ErrorCode::RangeError));
    auto region = choose_region(object_bits, count, false);
    if (!region) return kstd::fail(Error::of(LibraryError::OutOfMemory, kstd::bit(object_bits) * count));
    return retype_from(*region, type, size_bits, count);
}

Result<CPtr> ObjectAllocator::allocate_device_frame(u64 physical) {
    if (!kstd::is_aligned(physical, kPageBytes)) return kstd::fail(Error::of(ErrorCode::AlignmentError));
    for (usize i = 0; i < regions_.size(); ++i) {
        const UntypedRegion& region = regions_[i];
        if (!region.device || physical < region.physical || physical >= region.end()) continue;
        // Fillers below the address, each the largest naturally aligned Untyped that fits
        // the gap; they join the table, so their memory stays available.
        u64 next = kstd::align_up(region.physical + region.watermark, u64{1} << kMinUntypedBits);
        if (next > physical) continue; // used already; a filler region may still cover it
        while (next < physical) {
            unsigned bits = kstd::min(kstd::count_trailing_zeros(next), kstd::log2_floor(physical - next));
            CPtr filler = TRY(retype_from(i, ObjectType::Untyped, bits, 1));
            TRY(add_untyped(filler, next, bits, true));
            next += kstd::bit(bits);
        }
        return retype_from(i, ObjectType::Frame4K, 0, 1);
    }
    return kstd::fail(Error::of(LibraryError::NoDeviceMemory, physical));
}

u64 ObjectAllocator::free_ram_bytes() const {
    u64 total = 0;
    for (const UntypedRegion& region : regions_)
        if (!region.device) total += region.size() - kstd::min(region.watermark, region.size());
    return total;
}

} // namespace tessera::user
