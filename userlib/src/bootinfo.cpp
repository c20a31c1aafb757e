#include <abi/object_types.hpp>
#include <kstd/bit.hpp>
#include <userlib/bootinfo.hpp>

namespace tessera::user {

namespace {

Error problem(BootInfoProblem which) { return Error::of(LibraryError::BadBootInfo, static_cast<u64>(which)); }

bool range_fits(SlotRange range, u64 slots) { return range.start <= range.end && range.end <= slots; }

} // namespace

const char* boot_info_problem_name(BootInfoProblem which) {
    switch (which) {
    case BootInfoProblem::NullPointer: return "no BootInfo";
    case BootInfoProblem::BadMagic: return "bad magic";
    case BootInfoProblem::BadVersion: return "unknown version";
    case BootInfoProblem::BadRadix: return "bad CNode radix";
    case BootInfoProblem::RangeOutsideCNode: return "a slot range lies outside the CNode";
    case BootInfoProblem::UntypedCountMismatch: return "the untyped count does not match its range";
    case BootInfoProblem::BadUntypedSize: return "an untyped has a bad size or alignment";
    }
    return "unknown problem";
}

Result<BootInfoView> BootInfoView::from(const BootInfo* info) {
    if (info == nullptr) return kstd::fail(problem(BootInfoProblem::NullPointer));
    if (info->magic != kBootInfoMagic) return kstd::fail(problem(BootInfoProblem::BadMagic));
    if (info->version != kBootInfoVersion) return kstd::fail(problem(BootInfoProblem::BadVersion));
    if (info->root_cnode_radix == 0 || info->root_cnode_radix > 32) return kstd::fail(problem(BootInfoProblem::BadRadix));
    u64 slots = u64{1} << info->root_cnode_radix;
    const SlotRange ranges[] = {info->empty,       info->untyped,           info->image_frames,
                                info->page_tables, info->device_tree_frames, info->boot_image_frames};
    for (SlotRange range : ranges)
        if (!range_fits(range, slots)) return kstd::fail(problem(BootInfoProblem::RangeOutsideCNode));
    if (info->untyped_count > kMaxBootUntypeds || info->untyped_count != info->untyped.count())
        return kstd::fail(problem(BootInfoProblem::UntypedCountMismatch));
    for (u64 i = 0; i < info->untyped_count; ++i) {
        const UntypedDescriptor& untyped = info->untyped_list[i];
        if (untyped.size_bits < kMinUntypedBits || untyped.size_bits > kMaxUntypedBits ||
            !kstd::is_aligned(untyped.physical, kstd::bit(untyped.size_bits)))
            return kstd::fail(problem(BootInfoProblem::BadUntypedSize));
    }
    return BootInfoView(info);
}

u64 BootInfoView::ram_untyped_bytes() const {
    u64 total = 0;
    for (const UntypedDescriptor& untyped : untypeds())
        if (!untyped.is_device) total += kstd::bit(untyped.size_bits);
    return total;
}

u64 BootInfoView::device_untyped_bytes() const {
    u64 total = 0;
    for (const UntypedDescriptor& untyped : untypeds())
        if (untyped.is_device) total += kstd::bit(untyped.size_bits);
    return total;
}

usize BootInfoView::device_untyped_count() const {
    usize count = 0;
    for (const UntypedDescriptor& untyped : untypeds()) count += untyped.is_device ? 1 : 0;
    return count;
}

} // namespace tessera::user
