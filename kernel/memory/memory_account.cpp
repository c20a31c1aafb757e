#include <kstd/bit.hpp>
#include <memory/address.hpp>
#include <memory/memory_account.hpp>
#include <memory/untyped_blocks.hpp>

namespace tessera {

namespace {

kstd::Result<void, kstd::StringView> reserve(MemoryAccount& out, PhysRange range) {
    // A reservation covers every page it touches: a page is never half free. An empty one
    // touches none (rounding it outwards would still reserve the page around it).
    if (range.empty()) return {};
    PhysRange pages{kstd::align_down(range.base, kPageSize), kstd::align_up(range.end, kPageSize)};
    for (const PhysRange& ram : out.ram) {
        PhysRange part{kstd::max(ram.base, pages.base), kstd::min(ram.end, pages.end)};
        if (part.empty()) continue;
        if (!out.reserved.add(part)) return kstd::fail(kstd::StringView("too many reserved ranges to track"));
    }
    return {};
}

} // namespace

kstd::Result<void, kstd::StringView> account_memory(const PlatformInfo& platform,
                                                    kstd::Span<const ReservedRange> extra, MemoryAccount& out) {
    out = MemoryAccount{};
    for (const PhysRange& range : platform.memory) {
        out.ram_bytes += range.size();
        if (!out.ram.add(range)) return kstd::fail(kstd::StringView("too many RAM ranges to track"));
    }
    out.ram.shrink_to_granule(kPageSize);
    out.unusable_bytes = out.ram_bytes - out.ram.total_bytes();

    for (const ReservedRange& reserved : platform.reserved) TRY(reserve(out, reserved.range));
    for (const ReservedRange& reserved : extra) TRY(reserve(out, reserved.range));

    out.free = out.ram;
    for (const PhysRange& reserved : out.reserved)
        if (!out.free.remove(reserved)) return kstd::fail(kstd::StringView("too many free ranges to track"));

    for (const PhysRange& range : out.free) for_each_untyped_block(range, [&](UntypedBlock) { ++out.untyped_blocks; });
    return {};
}

const char* reserved_kind_name(ReservedKind kind) {
    switch (kind) {
    case ReservedKind::ReservedMemoryNode: return "reserved-memory";
    case ReservedKind::MemReserveBlock: return "memreserve";
    case ReservedKind::DeviceTree: return "device tree";
    case ReservedKind::KernelImage: return "kernel image";
    case ReservedKind::Initrd: return "initrd";
    case ReservedKind::KernelAllocation: return "kernel boot allocation";
    case ReservedKind::RootTaskObjects: return "root task objects";
    }
    return "?";
}

} // namespace tessera
