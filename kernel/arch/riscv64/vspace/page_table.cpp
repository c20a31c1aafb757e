// PageTable invocations: Map(vaddr, attributes; extra: VSpace) and Unmap(). One type
// serves every level: Map places the table at the first level whose entry on the way to
// `vaddr` is empty, so the same object becomes a level-1 table (covering 1 GiB) or a
// level-0 table (covering 2 MiB). A root is a PageTable that AsidPool.Assign gave an ASID.
#include <arch/vspace_platform.hpp>
#include <kstd/bit.hpp>
#include <object/derivation.hpp>

#include "vspace_internal.hpp"

namespace arch::vspace {

namespace {

using tessera::InvocationLabel;

struct MapPlan {
    sv39::Pte* entry;
    Capability mapped;
};

kstd::Result<MapPlan, InvocationError> decode_map(const Invocation& invocation) {
    const kstd::Span<const u64>& words = invocation.words;
    if (words.size() < 2 || invocation.extra_caps.empty() || invocation.extra_caps[0] == nullptr)
        return kstd::fail(error(ErrorCode::TruncatedMessage));
    const Capability& table = invocation.invoked->cap;
    const Capability& vspace = invocation.extra_caps[0]->cap;
    if (table.page_table_is_mapped() || table.page_table_is_root())
        return kstd::fail(InvocationError::invalid_capability(0));
    if (vspace.type() != CapType::PageTable || !vspace.page_table_is_root())
        return kstd::fail(InvocationError::invalid_capability(1));
    u64 vaddr = words[0];
    if (!is_user_range(vaddr, 1)) return kstd::fail(InvocationError::invalid_argument(0));
    if (words[1] != tessera::kVmAttributesNone) return kstd::fail(InvocationError::invalid_argument(1));
    u64 root = TRY(vspace_root_of(vspace, 1));

    // Tables all the way down (level 0 reached) or a page on the way: nothing to add.
    EntryRef found = walk(root, vaddr, 0);
    if (found.level == 0 || (*found.entry & sv39::kValid) != 0) return kstd::fail(error(ErrorCode::DeleteFirst));
    unsigned table_level = found.level - 1;
    u64 region = kstd::align_down(vaddr, kstd::bit(bits_at_level(found.level)));
    return MapPlan{found.entry, table.page_table_mapped_at(vspace.page_table_asid(), region, table_level)};
}

Outcome map(const Invocation& invocation) {
    MapPlan plan = TRY(decode_map(invocation));
    // The table is empty: a fresh object, or cleared when it was last unmapped.
    *plan.entry = sv39::make_pte(physical_of(invocation.invoked->cap.address()), sv39::kValid);
    invocation.invoked->cap = plan.mapped;
    flush_tlb_asid(plan.mapped.page_table_asid()); // a non-leaf entry changed
    return {};
}

Outcome unmap(const Invocation& invocation) {
    Slot& slot = *invocation.invoked;
    if (slot.cap.page_table_is_root()) return kstd::fail(error(ErrorCode::IllegalOperation));
    // Copies of a mapped table all record this mapping; unmapping through one would leave
    // the others describing a place the table no longer has.
    if (!tessera::is_final_capability(slot)) return kstd::fail(error(ErrorCode::RevokeFirst));
    if (!slot.cap.page_table_is_mapped()) return {};
    remove_table_mapping(slot.cap);
    // Whatever was mapped through the table goes with it: frame and table capabilities
    // that still record mappings below it find nothing there any more.
    clear_table(slot.cap.address(), sv39::kEntriesPerTable);
    slot.cap = slot.cap.page_table_unmapped();
    return {};
}

} // namespace

void remove_table_mapping(const Capability& table) {
    if (!table.page_table_is_mapped()) return;
    u64 root = root_for_asid(table.page_table_asid());
    if (root == 0) return;
    sv39::Pte* parent = entry_pointing_at(root, table.page_table_mapped_address(), table.page_table_level() + 1,
                                          physical_of(table.address()), false);
    if (parent == nullptr) return;
    *parent = 0;
    flush_tlb_asid(table.page_table_asid());
}

Outcome invoke_page_table(const Invocation& invocation) {
    switch (static_cast<InvocationLabel>(invocation.info.label)) {
    case InvocationLabel::PageTableMap: return map(invocation);
    case InvocationLabel::PageTableUnmap: return unmap(invocation);
    default: return kstd::fail(error(ErrorCode::IllegalOperation));
    }
}

} // namespace arch::vspace
