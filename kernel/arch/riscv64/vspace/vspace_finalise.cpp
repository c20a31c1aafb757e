// What deletion does to the address-space objects. A frame capability takes its own
// mapping with it (every frame capability, not just the last: each records one mapping);
// the last capability to a page table unmaps it from its parent, or for a root takes its
// ASID back; the last capability to a pool takes every ASID of the pool back. Each
// removal first checks that the entry still points at the dying object, so deleting in
// any order leaves no entry pointing at freed memory and never touches another mapping.
#include <arch/vspace_platform.hpp>

#include "vspace_internal.hpp"

namespace arch::vspace {

void finalise_frame(const Capability& cap) { remove_frame_mapping(cap); }

void finalise_page_table(const Capability& cap) {
    if (cap.page_table_is_root()) {
        u64 asid = cap.page_table_asid();
        if (root_for_asid(asid) != cap.address()) return; // its pool went first
        leave_address_space(cap.address());
        set_root(asid, 0);
        flush_tlb_asid(asid);
        return;
    }
    remove_table_mapping(cap);
}

void finalise_asid_pool(u64 address) { remove_pool(address); }

} // namespace arch::vspace
