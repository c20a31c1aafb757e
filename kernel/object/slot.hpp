#pragma once
// A capability slot: the capability plus its place in the capability derivation tree.
//
// The tree is kept as one doubly linked list in depth-first order, so that every
// capability's descendants follow it contiguously; whether the next node is a child is
// decided from the two nodes alone (derivation.hpp: is_parent_of). Two flags per node
// carry what the order cannot: `revocable` (this capability may have children at all)
// and `first_badged` (this badged endpoint capability starts a new badge group rather
// than being a copy of the badged capability before it). Slots are 32 bytes, so the
// flags live in the low bits of the link words.
#include <object/capability.hpp>

namespace tessera {

class alignas(32) Slot {
public:
    Capability cap;

    Slot* prev() const { return reinterpret_cast<Slot*>(prev_ & ~kFlagMask); }
    Slot* next() const { return reinterpret_cast<Slot*>(next_ & ~kFlagMask); }
    bool revocable() const { return (prev_ & kRevocable) != 0; }
    bool first_badged() const { return (next_ & kFirstBadged) != 0; }

    void set_prev(Slot* slot) { prev_ = reinterpret_cast<u64>(slot) | (prev_ & kFlagMask); }
    void set_next(Slot* slot) { next_ = reinterpret_cast<u64>(slot) | (next_ & kFlagMask); }
    void set_revocable(bool value) { prev_ = (prev_ & ~kRevocable) | (value ? kRevocable : 0); }
    void set_first_badged(bool value) { next_ = (next_ & ~kFirstBadged) | (value ? kFirstBadged : 0); }

    bool is_empty() const { return cap.is_null(); }

    // Forgets links and flags; only for slots that are already out of the tree.
    void clear() {
        cap = Capability::null();
        prev_ = 0;
        next_ = 0;
    }

private:
    static constexpr u64 kRevocable = 1;
    static constexpr u64 kFirstBadged = 1;
    static constexpr u64 kFlagMask = 31;

    u64 prev_ = 0;
    u64 next_ = 0;
};

static_assert(sizeof(Slot) == 32);
inline constexpr unsigned kSlotSizeBits = 5;
static_assert(sizeof(Slot) == (1u << kSlotSizeBits));

} // namespace tessera
