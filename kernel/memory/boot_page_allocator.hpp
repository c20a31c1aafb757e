#pragma once
// Hands out zeroed physical pages during boot, from the top of free RAM, and remembers
// them so that memory accounting keeps them out of Untyped. After boot nothing allocates.
#include <kstd/optional.hpp>
#include <memory/address.hpp>
#include <memory/region_set.hpp>

namespace tessera {

class BootPageAllocator {
public:
    // `free` must be page-aligned; `zero_page` clears a page given its physical address.
    BootPageAllocator(const RegionSet& free, void (*zero_page)(PhysAddr)) : free_(free), zero_page_(zero_page) {}

    kstd::Optional<PhysAddr> allocate_page();

    const RegionSet& allocated() const { return allocated_; }

private:
    RegionSet free_;
    RegionSet allocated_;
    void (*zero_page_)(PhysAddr);
};

} // namespace tessera
