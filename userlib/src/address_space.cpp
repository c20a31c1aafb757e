#include <kstd/bit.hpp>
#include <userlib/address_space.hpp>

namespace tessera::user {

Result<u64> VirtualRegionAllocator::reserve(u64 pages, u64 guard_pages) {
    u64 bytes_needed = (pages + guard_pages) * kPageBytes;
    if (pages == 0 || next_ > limit_ || bytes_needed / kPageBytes != pages + guard_pages || limit_ - next_ < bytes_needed)
        return kstd::fail(Error::of(LibraryError::AddressSpaceFull, pages));
    u64 first = next_ + guard_pages * kPageBytes;
    next_ += bytes_needed;
    return first;
}

Result<void> map_frame(ObjectAllocator& tables, PageTable vspace, Frame frame, u64 vaddr, u64 rights) {
    // Sv39 has three levels below the root: at most two tables can be missing for a 4 KiB
    // page (the root exists), one more try proves they are all in place.
    constexpr unsigned kMaxMissingTables = 2;
    for (unsigned attempt = 0;; ++attempt) {
        auto mapped = frame.map(vspace, vaddr, rights);
        if (mapped || mapped.error().code != ErrorCode::FailedLookup || attempt == kMaxMissingTables)
            return mapped;
        CPtr table = TRY(tables.allocate(ObjectType::PageTable));
        TRY(PageTable(table).map(vspace, vaddr));
    }
}

Result<Frame> map_new_frame(ObjectAllocator& objects, ObjectAllocator& tables, PageTable vspace, u64 vaddr, u64 rights) {
    Frame frame(TRY(objects.allocate(ObjectType::Frame4K)));
    TRY(map_frame(tables, vspace, frame, vaddr, rights));
    return frame;
}

} // namespace tessera::user
