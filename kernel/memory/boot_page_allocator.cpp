#include <memory/boot_page_allocator.hpp>

namespace tessera {

kstd::Optional<PhysAddr> BootPageAllocator::allocate_page() {
    // From the top: the low end of RAM stays in large, well-aligned Untyped blocks.
    for (usize i = free_.size(); i-- > 0;) {
        PhysRange range = free_[i];
        if (range.size() < kPageSize) continue;
        PhysRange page{range.end - kPageSize, range.end};
        if (!allocated_.add(page) || !free_.remove(page)) return kstd::none;
        zero_page_(PhysAddr{page.base});
        return PhysAddr{page.base};
    }
    return kstd::none;
}

} // namespace tessera
