#pragma once
// Capability-pointer resolution: a guarded walk through CNodes, as seL4 does it. A pointer
// is read from its most significant end, `depth` bits in all; each CNode consumes its
// guard and then radix bits to pick a slot.
#include <kstd/result.hpp>
#include <object/errors.hpp>
#include <object/slot.hpp>

namespace tessera {

inline constexpr u64 kWordBits = 64;

struct ResolvedSlot {
    Slot* slot;
    u64 bits_remaining; // non-zero when the walk stopped at a non-CNode before `depth` bits
};

inline Slot* cnode_slots(const Capability& cnode) { return reinterpret_cast<Slot*>(cnode.address()); }

kstd::Result<ResolvedSlot, LookupFailure> resolve_address_bits(const Capability& node, u64 pointer, u64 depth);

// The slot a CNode invocation names: (root, pointer, depth) must resolve exactly.
// Errors are FailedLookup (marked source or destination) or RangeError for a bad depth.
kstd::Result<Slot*, InvocationError> lookup_slot_for_cnode_op(bool is_source, const Capability& root, u64 pointer,
                                                              u64 depth);

// The slot a plain capability pointer (an invocation's target, an extra capability) names:
// resolved with the full 64 bits; a walk may stop early at a non-CNode capability.
kstd::Result<Slot*, LookupFailure> lookup_slot(const Capability& root, u64 pointer);

} // namespace tessera
