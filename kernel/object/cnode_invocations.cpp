// CNode invocations. The invoked CNode is the root for the destination (index, depth) in
// the first two words; sources come through extra capabilities (their CSpace roots).
//   Revoke(index, depth)            Delete(index, depth)
//   Copy(dest, depth, src, depth, rights)               extra: source root
//   Mint(dest, depth, src, depth, rights, badge/guard)  extra: source root
//   Move(dest, depth, src, depth)                       extra: source root
//   Mutate(dest, depth, src, depth, guard)              extra: source root
//   Rotate(dest, depth, pivot data, pivot, depth, src data, src, depth)
//                                                       extra: pivot root, source root
//   CancelBadgedSends(index, depth)  of a badged Endpoint capability with every right
//   Describe(index, depth)           the slot's capability (object/introspection.cpp)
#include <object/cspace.hpp>
#include <object/derivation.hpp>
#include <object/derive.hpp>
#include <object/introspection.hpp>
#include <object/invocation.hpp>
#include <ipc/ipc.hpp>

namespace tessera {

namespace {

InvocationError missing_capability(bool source) {
    LookupFailure failure{LookupFailureType::MissingCapability};
    failure.bits_left = 0;
    return InvocationError::failed_lookup(source, failure);
}

// Rights only mean something for these types; for the others a mask changes nothing.
Capability mask_rights(const Capability& cap, Rights mask) {
    switch (cap.type()) {
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Reply:
    case CapType::Frame: return cap.with_rights(cap.rights().masked_by(mask));
    default: return cap;
    }
}

struct TwoSlots {
    Slot* destination;
    Slot* source;
};

kstd::Result<TwoSlots, InvocationError> decode_source_and_destination(const Invocation& invocation, Slot* destination) {
    const kstd::Span<const u64>& words = invocation.words;
    if (words.size() < 4 || invocation.extra_caps.empty() || invocation.extra_caps[0] == nullptr)
        return kstd::fail(InvocationError::of(ErrorCode::TruncatedMessage));
    if (!destination->is_empty()) return kstd::fail(InvocationError::of(ErrorCode::DeleteFirst));
    Slot* source = TRY(lookup_slot_for_cnode_op(true, invocation.extra_caps[0]->cap, words[2], words[3]));
    if (source->is_empty()) return kstd::fail(missing_capability(true));
    if (source->cap.type() == CapType::Zombie) return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    return TwoSlots{destination, source};
}

kstd::Result<void, InvocationError> copy_or_mint(const Invocation& invocation, Slot* destination, bool mint) {
    const kstd::Span<const u64>& words = invocation.words;
    TwoSlots slots = TRY(decode_source_and_destination(invocation, destination));
    if (words.size() < (mint ? 6u : 5u)) return kstd::fail(InvocationError::of(ErrorCode::TruncatedMessage));
    Capability cap = mask_rights(slots.source->cap, Rights::from_word(words[4]));
    if (mint) cap = update_capability_data(false, words[5], cap);
    Capability derived = derive_capability(cap);
    if (derived.is_null()) return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    insert_child(derived, *slots.source, *slots.destination, is_revocable_derivation(derived, slots.source->cap));
    return {};
}

kstd::Result<void, InvocationError> move_or_mutate(const Invocation& invocation, Slot* destination, bool mutate) {
    const kstd::Span<const u64>& words = invocation.words;
    TwoSlots slots = TRY(decode_source_and_destination(invocation, destination));
    Capability cap = slots.source->cap;
    if (mutate) {
        if (words.size() < 5) return kstd::fail(InvocationError::of(ErrorCode::TruncatedMessage));
        cap = update_capability_data(true, words[4], cap);
        if (cap.is_null()) return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    }
    move_capability(cap, *slots.source, *slots.destination);
    return {};
}

kstd::Result<void, InvocationError> rotate(const Invocation& invocation, Slot* destination) {
    const kstd::Span<const u64>& words = invocation.words;
    if (words.size() < 8 || invocation.extra_caps.size() < 2 || invocation.extra_caps[0] == nullptr ||
        invocation.extra_caps[1] == nullptr)
        return kstd::fail(InvocationError::of(ErrorCode::TruncatedMessage));
    u64 pivot_data = words[2];
    u64 source_data = words[5];
    Slot* source = TRY(lookup_slot_for_cnode_op(true, invocation.extra_caps[1]->cap, words[6], words[7]));
    Slot* pivot = TRY(lookup_slot_for_cnode_op(true, invocation.extra_caps[0]->cap, words[3], words[4]));
    if (pivot == source || pivot == destination) return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    if (source != destination && !destination->is_empty())
        return kstd::fail(InvocationError::of(ErrorCode::DeleteFirst));
    if (source->is_empty()) return kstd::fail(missing_capability(true));
    if (pivot->is_empty()) return kstd::fail(missing_capability(false));
    if (source->cap.type() == CapType::Zombie || pivot->cap.type() == CapType::Zombie)
        return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    Capability new_source = update_capability_data(true, source_data, source->cap);
    Capability new_pivot = update_capability_data(true, pivot_data, pivot->cap);
    if (new_source.is_null() || new_pivot.is_null()) return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));

    if (source == destination) {
        swap_capabilities(new_source, *source, new_pivot, *pivot);
    } else {
        move_capability(new_pivot, *pivot, *destination);
        move_capability(new_source, *source, *pivot);
    }
    return {};
}

// The senders queued with this badge stop waiting (a server about to hand the badge to
// someone else). As in seL4, only a capability with every right may do this.
kstd::Result<void, InvocationError> cancel_badged_sends_of(const Slot& slot) {
    const Capability& cap = slot.cap;
    if (cap.type() != CapType::Endpoint || cap.badge() == 0 || cap.rights().bits != Rights::all().bits)
        return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    cancel_badged_sends(endpoint_of(cap), cap.badge());
    return {};
}

kstd::Result<void, InvocationError> from_operation(kstd::Result<void, ErrorCode> result) {
    if (!result) return kstd::fail(InvocationError::of(result.error()));
    return {};
}

} // namespace

kstd::Result<void, InvocationError> invoke_cnode(const Invocation& invocation, PreemptionPoint& preemption) {
    u64 label = invocation.info.label;
    if (label < static_cast<u64>(InvocationLabel::CNodeRevoke) || label > static_cast<u64>(InvocationLabel::CNodeDescribe))
        return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    if (invocation.words.size() < 2) return kstd::fail(InvocationError::of(ErrorCode::TruncatedMessage));
    Slot* destination =
        TRY(lookup_slot_for_cnode_op(false, invocation.invoked->cap, invocation.words[0], invocation.words[1]));

    switch (static_cast<InvocationLabel>(label)) {
    case InvocationLabel::CNodeRevoke: return from_operation(revoke_slot(*destination, preemption));
    case InvocationLabel::CNodeDelete: return from_operation(delete_slot(*destination, preemption));
    case InvocationLabel::CNodeCopy: return copy_or_mint(invocation, destination, false);
    case InvocationLabel::CNodeMint: return copy_or_mint(invocation, destination, true);
    case InvocationLabel::CNodeMove: return move_or_mutate(invocation, destination, false);
    case InvocationLabel::CNodeMutate: return move_or_mutate(invocation, destination, true);
    case InvocationLabel::CNodeRotate: return rotate(invocation, destination);
    case InvocationLabel::CNodeCancelBadgedSends: return cancel_badged_sends_of(*destination);
    case InvocationLabel::CNodeDescribe:
        // The trap path always provides room; a kernel caller without it gets no answer.
        if (invocation.context.reply == nullptr || !describe_capability(destination->cap, *invocation.context.reply))
            return kstd::fail(InvocationError::of(ErrorCode::TruncatedMessage));
        return {};
    default: break; // the range check above admits only CNode labels
    }
    return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
}

} // namespace tessera
