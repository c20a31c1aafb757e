#pragma once
// The root task's view of its BootInfo page (abi/bootinfo.hpp), checked before use: the
// kernel is trusted, but a version skew between kernel and root task should be a clear
// message, not a wild pointer.
#include <abi/bootinfo.hpp>
#include <kstd/span.hpp>
#include <userlib/capability.hpp>
#include <userlib/error.hpp>

namespace tessera::user {

// Which check failed (the detail of LibraryError::BadBootInfo).
enum class BootInfoProblem : u64 {
    NullPointer = 1,
    BadMagic,
    BadVersion,
    BadRadix,           // the CNode radix is 0 or larger than 2^radix slots can be named
    RangeOutsideCNode,  // a slot range is reversed or ends past the CNode
    UntypedCountMismatch, // untyped_count above the list, or not the untyped range's size
    BadUntypedSize,     // an untyped descriptor's size is outside 4..47 bits or misaligned
};

const char* boot_info_problem_name(BootInfoProblem problem);

class BootInfoView {
public:
    static Result<BootInfoView> from(const BootInfo* info);

    const BootInfo& raw() const { return *info_; }
    kstd::Span<const UntypedDescriptor> untypeds() const {
        return kstd::Span<const UntypedDescriptor>(info_->untyped_list, info_->untyped_count);
    }
    // The capability of untypeds()[index].
    CPtr untyped_cap(usize index) const { return CPtr{info_->untyped.start + index}; }
    SlotRange empty_slots() const { return info_->empty; }
    u64 ram_untyped_bytes() const;
    u64 device_untyped_bytes() const;
    usize device_untyped_count() const;
    kstd::Bytes device_tree() const {
        return kstd::Bytes(reinterpret_cast<const u8*>(info_->device_tree), info_->device_tree_size);
    }
    kstd::Bytes boot_image() const {
        return kstd::Bytes(reinterpret_cast<const u8*>(info_->boot_image), info_->boot_image_size);
    }

    BootInfoView() = default; // an empty Result slot; use from()

private:
    explicit BootInfoView(const BootInfo* info) : info_(info) {}
    const BootInfo* info_ = nullptr;
};

} // namespace tessera::user
