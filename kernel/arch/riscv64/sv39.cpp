#include <arch/sv39.hpp>
#include <kstd/bit.hpp>

namespace arch::sv39 {

namespace {

// The largest level whose page fits at `virt`/`phys` with `remaining` bytes left.
unsigned largest_level(u64 virt, u64 phys, u64 remaining) {
    for (unsigned level = kLevels - 1; level > 0; --level) {
        u64 page = page_size_at_level(level);
        if (kstd::is_aligned(virt, page) && kstd::is_aligned(phys, page) && remaining >= page) return level;
    }
    return 0;
}

} // namespace

Translation PageTable::translate(u64 virt) const {
    if (!is_canonical(virt)) return {};
    u64 table = root_;
    for (unsigned level = kLevels; level-- > 0;) {
        Pte pte = memory_.table_at(memory_.context, table)[index_at_level(virt, level)];
        if ((pte & kValid) == 0) return {};
        if (is_leaf(pte)) {
            u64 offset = virt & (page_size_at_level(level) - 1);
            return Translation{true, pte_physical(pte) + offset, pte, level};
        }
        table = pte_physical(pte);
    }
    return {};
}

kstd::Result<void, kstd::StringView> PageTable::check_free(u64 virt, u64 size) const {
    // Mappings are built once, at boot, so a page-by-page check costs little and keeps the
    // refusal all-or-nothing.
    for (u64 offset = 0; offset < size;) {
        u64 address = virt + offset;
        u64 table = root_;
        u64 step = 4096;
        for (unsigned level = kLevels; level-- > 0;) {
            Pte pte = memory_.table_at(memory_.context, table)[index_at_level(address, level)];
            if ((pte & kValid) == 0) {
                step = page_size_at_level(level) - (address & (page_size_at_level(level) - 1));
                break;
            }
            if (is_leaf(pte)) return kstd::fail(kstd::StringView("the range overlaps an existing mapping"));
            table = pte_physical(pte);
        }
        offset += step;
    }
    return {};
}

kstd::Result<Pte*, kstd::StringView> PageTable::table_for(u64 virt, unsigned level) {
    u64 table = root_;
    for (unsigned current = kLevels - 1; current > level; --current) {
        Pte& entry = memory_.table_at(memory_.context, table)[index_at_level(virt, current)];
        if ((entry & kValid) == 0) {
            u64 fresh = memory_.allocate_table(memory_.context);
            if (fresh == 0) return kstd::fail(kstd::StringView("out of memory for page tables"));
            entry = make_pte(fresh, kValid);
        }
        table = pte_physical(entry);
    }
    return memory_.table_at(memory_.context, table);
}

kstd::Result<void, kstd::StringView> PageTable::map(u64 virt, u64 phys, u64 size, Pte permissions) {
    if (!kstd::is_aligned(virt | phys | size, 4096)) return kstd::fail(kstd::StringView("range is not page-aligned"));
    if (size == 0) return {};
    // Both ends canonical and in the same half, without wrapping: then so is every address
    // between them. (The end itself, virt + size, may wrap to 0 for the top page.)
    u64 last = virt + (size - 1);
    if (last < virt || !is_canonical(virt) || !is_canonical(last) || (virt >> 38) != (last >> 38))
        return kstd::fail(kstd::StringView("range is not canonical in Sv39"));
    if ((permissions & (kRead | kWrite | kExecute)) == 0)
        return kstd::fail(kstd::StringView("a mapping needs at least one of read, write, execute"));
    if ((permissions & kWrite) != 0 && (permissions & kRead) == 0)
        return kstd::fail(kstd::StringView("write without read is reserved in Sv39"));
    if ((permissions & ~kPermissionMask) != 0) return kstd::fail(kstd::StringView("unknown permission bits"));
    TRY(check_free(virt, size));

    Pte flags = permissions | kValid | kAccessed | ((permissions & kWrite) ? kDirty : 0);
    for (u64 offset = 0; offset < size;) {
        unsigned level = largest_level(virt + offset, phys + offset, size - offset);
        Pte* table = TRY(table_for(virt + offset, level));
        table[index_at_level(virt + offset, level)] = make_pte(phys + offset, flags);
        offset += page_size_at_level(level);
    }
    return {};
}

} // namespace arch::sv39
