// Walking a VSpace: from its root through the tables the PageTable capabilities placed,
// towards one user address. The walk only ever follows entries the kernel wrote, so a
// valid non-leaf entry always points at a live PageTable object.
#include <arch/vspace_platform.hpp>

#include "vspace_internal.hpp"

namespace arch::vspace {

sv39::Pte* table_entries(u64 table_kernel_address) { return reinterpret_cast<sv39::Pte*>(table_kernel_address); }

EntryRef walk(u64 root_kernel_address, u64 vaddr, unsigned target_level) {
    u64 table = root_kernel_address;
    unsigned level = kRootLevel;
    for (;;) {
        sv39::Pte* entry = &table_entries(table)[sv39::index_at_level(vaddr, level)];
        bool is_table = (*entry & sv39::kValid) != 0 && !sv39::is_leaf(*entry);
        if (level == target_level || !is_table) return EntryRef{entry, level};
        table = kernel_address_of(sv39::pte_physical(*entry));
        --level;
    }
}

sv39::Pte* entry_pointing_at(u64 root_kernel_address, u64 vaddr, unsigned level, u64 physical, bool leaf) {
    EntryRef found = walk(root_kernel_address, vaddr, level);
    sv39::Pte pte = *found.entry;
    if (found.level != level || (pte & sv39::kValid) == 0 || sv39::is_leaf(pte) != leaf) return nullptr;
    return sv39::pte_physical(pte) == physical ? found.entry : nullptr;
}

kstd::Result<u64, InvocationError> vspace_root_of(const Capability& vspace, u64 cap_index) {
    if (vspace.type() != CapType::PageTable || !vspace.page_table_is_root())
        return kstd::fail(InvocationError::invalid_capability(cap_index));
    if (root_for_asid(vspace.page_table_asid()) != vspace.address()) {
        tessera::LookupFailure failure{tessera::LookupFailureType::InvalidRoot};
        return kstd::fail(InvocationError::failed_lookup(false, failure));
    }
    return vspace.address();
}

void clear_table(u64 table_kernel_address, unsigned entries) {
    sv39::Pte* table = table_entries(table_kernel_address);
    for (unsigned i = 0; i < entries; ++i) table[i] = 0;
}

} // namespace arch::vspace
