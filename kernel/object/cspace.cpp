#include <kstd/bit.hpp>
#include <object/cspace.hpp>

namespace tessera {

namespace {

constexpr u64 shift_right(u64 value, u64 amount) { return amount >= 64 ? 0 : value >> amount; }

} // namespace

kstd::Result<ResolvedSlot, LookupFailure> resolve_address_bits(const Capability& node, u64 pointer, u64 depth) {
    if (node.type() != CapType::CNode) return kstd::fail(LookupFailure{LookupFailureType::InvalidRoot});
    Capability current = node;
    u64 bits = depth;
    for (;;) {
        u64 radix = current.cnode_radix();
        u64 guard_bits = current.cnode_guard_bits();
        u64 level_bits = radix + guard_bits;
        KASSERT(level_bits != 0); // Retype and Mint never make a CNode that consumes nothing
        u64 guard = guard_bits > bits ? 0 : shift_right(pointer, bits - guard_bits) & kstd::low_mask(guard_bits);
        if (guard_bits > bits || guard != current.cnode_guard()) {
            LookupFailure failure{LookupFailureType::GuardMismatch};
            failure.bits_left = bits;
            failure.guard_found = current.cnode_guard();
            failure.guard_bits = guard_bits;
            return kstd::fail(failure);
        }
        if (level_bits > bits) {
            LookupFailure failure{LookupFailureType::DepthMismatch};
            failure.bits_left = bits;
            failure.bits_found = level_bits;
            return kstd::fail(failure);
        }
        u64 offset = shift_right(pointer, bits - level_bits) & kstd::low_mask(static_cast<unsigned>(radix));
        Slot* slot = cnode_slots(current) + offset;
        if (bits == level_bits) return ResolvedSlot{slot, 0};
        bits -= level_bits;
        current = slot->cap;
        if (current.type() != CapType::CNode) return ResolvedSlot{slot, bits};
    }
}

kstd::Result<Slot*, InvocationError> lookup_slot_for_cnode_op(bool is_source, const Capability& root, u64 pointer,
                                                              u64 depth) {
    if (root.type() != CapType::CNode)
        return kstd::fail(InvocationError::failed_lookup(is_source, LookupFailure{LookupFailureType::InvalidRoot}));
    if (depth < 1 || depth > kWordBits) return kstd::fail(InvocationError::range(1, kWordBits));
    auto resolved = resolve_address_bits(root, pointer, depth);
    if (!resolved) return kstd::fail(InvocationError::failed_lookup(is_source, resolved.error()));
    if (resolved.value().bits_remaining != 0) {
        LookupFailure failure{LookupFailureType::DepthMismatch};
        failure.bits_left = resolved.value().bits_remaining;
        failure.bits_found = 0;
        return kstd::fail(InvocationError::failed_lookup(is_source, failure));
    }
    return resolved.value().slot;
}

kstd::Result<Slot*, LookupFailure> lookup_slot(const Capability& root, u64 pointer) {
    auto resolved = TRY(resolve_address_bits(root, pointer, kWordBits));
    return resolved.slot;
}

} // namespace tessera
