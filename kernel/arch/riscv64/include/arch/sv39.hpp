#pragma once
// Sv39 page tables: building mappings with the largest page size that fits (1 GiB,
// 2 MiB, 4 KiB) and walking them. Pure memory manipulation, so the host tests run it on
// a fake physical memory.
#include <arch/layout.h>
#include <kstd/result.hpp>
#include <kstd/string_view.hpp>
#include <kstd/types.hpp>

namespace arch::sv39 {

using Pte = u64;

inline constexpr Pte kValid = PTE_V;
inline constexpr Pte kRead = PTE_R;
inline constexpr Pte kWrite = PTE_W;
inline constexpr Pte kExecute = PTE_X;
inline constexpr Pte kUser = PTE_U;
inline constexpr Pte kGlobal = PTE_G;
inline constexpr Pte kAccessed = PTE_A;
inline constexpr Pte kDirty = PTE_D;
inline constexpr Pte kPermissionMask = kRead | kWrite | kExecute | kUser | kGlobal;

inline constexpr unsigned kLevels = 3;
inline constexpr u64 kEntriesPerTable = 512;

constexpr u64 page_size_at_level(unsigned level) { return u64{4096} << (9 * level); }
constexpr unsigned index_at_level(u64 virt, unsigned level) {
    return static_cast<unsigned>((virt >> (12 + 9 * level)) & 511);
}
constexpr u64 pte_physical(Pte pte) { return ((pte >> 10) & ((u64{1} << 44) - 1)) << 12; }
constexpr Pte make_pte(u64 physical, Pte flags) { return ((physical >> 12) << 10) | flags; }
constexpr bool is_leaf(Pte pte) { return (pte & (kRead | kWrite | kExecute)) != 0; }

// A virtual address is canonical in Sv39 when bits 63..39 all equal bit 38.
constexpr bool is_canonical(u64 virt) {
    u64 upper = virt >> 38;
    return upper == 0 || upper == (u64{1} << 26) - 1;
}

// Where page-table pages come from and how the kernel reaches them.
struct Memory {
    u64 (*allocate_table)(void* context); // physical address of a zeroed page, 0 when out
    Pte* (*table_at)(void* context, u64 physical);
    void* context;
};

struct Translation {
    bool mapped = false;
    u64 physical = 0;
    Pte pte = 0;
    unsigned level = 0; // 2: 1 GiB page, 1: 2 MiB, 0: 4 KiB
};

class PageTable {
public:
    PageTable(u64 root_physical, const Memory& memory) : root_(root_physical), memory_(memory) {}

    u64 root() const { return root_; }

    // Maps [virt, virt + size) to [phys, ...) with `permissions` (R, W, X, U, G). All three
    // must be 4 KiB-aligned; a range that overlaps an existing mapping is refused whole.
    kstd::Result<void, kstd::StringView> map(u64 virt, u64 phys, u64 size, Pte permissions);

    Translation translate(u64 virt) const;

private:
    kstd::Result<void, kstd::StringView> check_free(u64 virt, u64 size) const;
    kstd::Result<Pte*, kstd::StringView> table_for(u64 virt, unsigned level);

    u64 root_;
    Memory memory_;
};

} // namespace arch::sv39
