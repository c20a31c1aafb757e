// Frame invocations: Map(vaddr, rights, attributes; extra: VSpace), Remap(rights,
// attributes), Unmap(), GetAddress() -> physical address. A frame capability maps its
// frame at most once and records where (capability.hpp); copies are separate mappings.
#include <arch/vspace_platform.hpp>
#include <kstd/bit.hpp>

#include "vspace_internal.hpp"

namespace arch::vspace {

namespace {

using tessera::InvocationLabel;
using tessera::VmRights;

u64 frame_physical(const Capability& frame) {
    return frame.is_device() ? frame.address() : physical_of(frame.address());
}

// The leaf entry's flags for `rights` (VmRights), or InvalidArgument `word` when the
// request is malformed or exceeds the capability: read right covers R and X, write right W.
// A page without U may only be readable: the kernel runs on the thread's page table, and
// a writable or executable supervisor page at an address user space chose would turn a
// stray kernel pointer into a foothold instead of a fault.
kstd::Result<sv39::Pte, InvocationError> leaf_flags(const Capability& frame, u64 rights, u64 word) {
    bool read = (rights & VmRights::kRead) != 0;
    bool write = (rights & VmRights::kWrite) != 0;
    bool execute = (rights & VmRights::kExecute) != 0;
    bool user = (rights & VmRights::kUser) != 0;
    bool malformed = (rights & ~VmRights::kMask) != 0 || (!read && !write && !execute) || (write && !read) ||
                     (!user && (write || execute));
    bool exceeds = ((read || execute) && !frame.rights().can_read()) || (write && !frame.rights().can_write());
    if (malformed || exceeds || (execute && frame.is_device())) return kstd::fail(InvocationError::invalid_argument(word));
    sv39::Pte flags = sv39::kValid | sv39::kAccessed;
    if (read) flags |= sv39::kRead;
    if (write) flags |= sv39::kWrite | sv39::kDirty;
    if (execute) flags |= sv39::kExecute;
    if (user) flags |= sv39::kUser;
    if (frame.is_device()) flags |= kDeviceMapping;
    return flags;
}

bool is_root_capability(const Capability& cap) {
    return cap.type() == CapType::PageTable && cap.page_table_is_root();
}

// The entry of the frame's current mapping, when its VSpace still maps this frame there.
sv39::Pte* current_mapping(const Capability& frame) {
    if (!frame.frame_is_mapped()) return nullptr;
    u64 root = root_for_asid(frame.frame_mapped_asid());
    if (root == 0) return nullptr;
    return entry_pointing_at(root, frame.frame_mapped_address(), frame_level(frame.frame_size_bits()),
                             frame_physical(frame), true);
}

struct MapPlan {
    sv39::Pte* entry;
    sv39::Pte pte;
    Capability mapped;
};

kstd::Result<MapPlan, InvocationError> decode_map(const Invocation& invocation) {
    const kstd::Span<const u64>& words = invocation.words;
    if (words.size() < 3 || invocation.extra_caps.empty() || invocation.extra_caps[0] == nullptr)
        return kstd::fail(error(ErrorCode::TruncatedMessage));
    const Capability& frame = invocation.invoked->cap;
    const Capability& vspace = invocation.extra_caps[0]->cap;
    if (frame.frame_is_mapped()) return kstd::fail(InvocationError::invalid_capability(0));
    if (!is_root_capability(vspace)) return kstd::fail(InvocationError::invalid_capability(1));
    u64 vaddr = words[0];
    u64 size = kstd::bit(frame.frame_size_bits());
    if (!is_user_range(vaddr, size)) return kstd::fail(InvocationError::invalid_argument(0));
    if (!kstd::is_aligned(vaddr, size)) return kstd::fail(error(ErrorCode::AlignmentError));
    sv39::Pte flags = TRY(leaf_flags(frame, words[1], 1));
    if (words[2] != tessera::kVmAttributesNone) return kstd::fail(InvocationError::invalid_argument(2));
    u64 root = TRY(vspace_root_of(vspace, 1));

    unsigned level = frame_level(frame.frame_size_bits());
    EntryRef found = walk(root, vaddr, level);
    if (found.level != level && (*found.entry & sv39::kValid) == 0) {
        tessera::LookupFailure failure{tessera::LookupFailureType::MissingCapability};
        failure.bits_left = bits_at_level(found.level);
        return kstd::fail(InvocationError::failed_lookup(false, failure));
    }
    // A larger page covers the address, or the entry holds a page or a table already.
    if ((*found.entry & sv39::kValid) != 0) return kstd::fail(error(ErrorCode::DeleteFirst));
    return MapPlan{found.entry, sv39::make_pte(frame_physical(frame), flags),
                   frame.frame_mapped_at(vspace.page_table_asid(), vaddr)};
}

Outcome map(const Invocation& invocation) {
    MapPlan plan = TRY(decode_map(invocation));
    *plan.entry = plan.pte;
    invocation.invoked->cap = plan.mapped;
    // The entry was empty; the flush drops any invalid translation a hart may have cached.
    flush_tlb_page(plan.mapped.frame_mapped_address(), plan.mapped.frame_mapped_asid());
    return {};
}

Outcome remap(const Invocation& invocation) {
    const kstd::Span<const u64>& words = invocation.words;
    if (words.size() < 2) return kstd::fail(error(ErrorCode::TruncatedMessage));
    const Capability& frame = invocation.invoked->cap;
    if (!frame.frame_is_mapped()) return kstd::fail(InvocationError::invalid_capability(0));
    sv39::Pte flags = TRY(leaf_flags(frame, words[0], 0));
    if (words[1] != tessera::kVmAttributesNone) return kstd::fail(InvocationError::invalid_argument(1));
    sv39::Pte* entry = current_mapping(frame);
    if (entry == nullptr) {
        // The ASID lost its VSpace, or was reassigned to one that does not map this frame.
        tessera::LookupFailure failure{tessera::LookupFailureType::InvalidRoot};
        return kstd::fail(InvocationError::failed_lookup(false, failure));
    }
    *entry = sv39::make_pte(frame_physical(frame), flags);
    flush_tlb_page(frame.frame_mapped_address(), frame.frame_mapped_asid());
    return {};
}

Outcome get_address(const Invocation& invocation) {
    tessera::ReplyWords* reply = invocation.context.reply;
    // The trap path always provides room; a kernel caller without it gets no answer.
    if (reply == nullptr || !reply->push(frame_physical(invocation.invoked->cap)))
        return kstd::fail(error(ErrorCode::TruncatedMessage));
    return {};
}

} // namespace

void remove_frame_mapping(const Capability& frame) {
    sv39::Pte* entry = current_mapping(frame);
    if (entry == nullptr) return;
    *entry = 0;
    flush_tlb_page(frame.frame_mapped_address(), frame.frame_mapped_asid());
}

Outcome invoke_frame(const Invocation& invocation) {
    switch (static_cast<InvocationLabel>(invocation.info.label)) {
    case InvocationLabel::FrameMap: return map(invocation);
    case InvocationLabel::FrameRemap: return remap(invocation);
    case InvocationLabel::FrameUnmap:
        // Never fails: a mapping whose VSpace is gone is simply forgotten.
        remove_frame_mapping(invocation.invoked->cap);
        invocation.invoked->cap = invocation.invoked->cap.frame_unmapped();
        return {};
    case InvocationLabel::FrameGetAddress: return get_address(invocation);
    default: return kstd::fail(error(ErrorCode::IllegalOperation));
    }
}

} // namespace arch::vspace
