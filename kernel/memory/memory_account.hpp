#pragma once
// Boot-time accounting of physical memory: every byte of RAM is either free (and will
// become Untyped memory for the root task), reserved (firmware, device tree, initrd, the
// kernel image, the kernel's own boot allocations), or unusable (the partial pages at the
// unaligned edges of RAM ranges). The three always add up to the RAM the tree describes.
#include <kstd/result.hpp>
#include <memory/region_set.hpp>
#include <platform/platform_info.hpp>

namespace tessera {

struct MemoryAccount {
    RegionSet ram;      // whole pages of RAM
    RegionSet reserved; // reserved pages that lie in RAM
    RegionSet free;     // ram minus reserved
    u64 ram_bytes = 0;  // as described, before rounding to pages
    u64 unusable_bytes = 0;
    usize untyped_blocks = 0;
};

// `extra` lists reservations made by the kernel itself (its image, boot page tables).
kstd::Result<void, kstd::StringView> account_memory(const PlatformInfo& platform,
                                                    kstd::Span<const ReservedRange> extra,
                                                    MemoryAccount& out);

const char* reserved_kind_name(ReservedKind kind);

} // namespace tessera
