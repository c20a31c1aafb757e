#include <kstd/bit.hpp>
#include <object/derivation.hpp>
#include <object/object_types.hpp>

namespace tessera {

namespace {

struct Region {
    u64 base;
    u64 size;
};

// The memory an object capability names, for region containment against an Untyped.
kstd::Optional<Region> memory_region(const Capability& cap) {
    switch (cap.type()) {
    case CapType::Untyped: return Region{cap.address(), kstd::bit(cap.untyped_size_bits())};
    case CapType::Frame: return Region{cap.address(), kstd::bit(cap.frame_size_bits())};
    case CapType::CNode: return Region{cap.address(), kstd::bit(cap.cnode_radix() + kSlotSizeBits)};
    case CapType::Zombie: return Region{cap.address(), 1};
    case CapType::Tcb:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Reply:
    case CapType::PageTable:
    case CapType::AsidPool: return Region{cap.address(), 1};
    case CapType::Null:
    case CapType::AsidControl:
    case CapType::IrqControl:
    case CapType::IrqHandler: return kstd::none;
    }
    return kstd::none;
}

} // namespace

bool same_region_as(const Capability& outer, const Capability& inner) {
    switch (outer.type()) {
    case CapType::Untyped: {
        auto region = memory_region(inner);
        if (!region) return false;
        u64 base = outer.address();
        u64 last = base + kstd::bit(outer.untyped_size_bits()) - 1;
        u64 inner_last = region->base + region->size - 1;
        return base <= region->base && inner_last <= last && region->base <= inner_last;
    }
    case CapType::IrqControl:
        return inner.type() == CapType::IrqControl || inner.type() == CapType::IrqHandler;
    case CapType::Frame:
        return inner.type() == CapType::Frame && inner.address() == outer.address() &&
               inner.frame_size_bits() == outer.frame_size_bits() && inner.is_device() == outer.is_device();
    case CapType::CNode:
        return inner.type() == CapType::CNode && inner.address() == outer.address() &&
               inner.cnode_radix() == outer.cnode_radix();
    case CapType::IrqHandler:
        return inner.type() == CapType::IrqHandler && inner.irq_line() == outer.irq_line() &&
               inner.irq_handler_record() == outer.irq_handler_record();
    case CapType::AsidControl: return inner.type() == CapType::AsidControl;
    case CapType::Tcb:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Reply:
    case CapType::PageTable:
    case CapType::AsidPool: return inner.type() == outer.type() && inner.address() == outer.address();
    case CapType::Null:
    case CapType::Zombie: return false;
    }
    return false;
}

bool same_object_as(const Capability& a, const Capability& b) {
    if (a.type() == CapType::Untyped)
        return b.type() == CapType::Untyped && a.address() == b.address() &&
               a.untyped_size_bits() == b.untyped_size_bits() && a.is_device() == b.is_device();
    if (a.type() == CapType::IrqControl) return b.type() == CapType::IrqControl;
    return same_region_as(a, b);
}

bool is_parent_of(const Slot& parent, const Slot& child) {
    if (!parent.revocable()) return false;
    if (!same_region_as(parent.cap, child.cap)) return false;
    switch (parent.cap.type()) {
    case CapType::Endpoint:
    case CapType::Notification: {
        u64 badge = parent.cap.badge();
        if (badge == 0) return true; // an unbadged original is the parent of every derivation
        return child.cap.badge() == badge && !child.first_badged();
    }
    default: return true;
    }
}

bool is_revocable_derivation(const Capability& derived, const Capability& source) {
    switch (derived.type()) {
    case CapType::Endpoint:
    case CapType::Notification: return derived.badge() != source.badge();
    case CapType::Untyped: return true;
    case CapType::IrqHandler: return source.type() == CapType::IrqControl;
    default: return false;
    }
}

void place_original(const Capability& cap, Slot& dest) {
    KASSERT(dest.is_empty());
    dest.clear();
    dest.cap = cap;
    dest.set_revocable(true);
    dest.set_first_badged(true);
}

void insert_child(const Capability& cap, Slot& parent, Slot& dest, bool revocable) {
    KASSERT(dest.is_empty() && !parent.is_empty());
    Slot* after = parent.next();
    dest.cap = cap;
    dest.set_revocable(revocable);
    dest.set_first_badged(revocable);
    dest.set_prev(&parent);
    dest.set_next(after);
    if (after) after->set_prev(&dest);
    parent.set_next(&dest);
}

void move_capability(const Capability& cap, Slot& source, Slot& dest) {
    KASSERT(dest.is_empty() && !source.is_empty() && &source != &dest);
    Slot* before = source.prev();
    Slot* after = source.next();
    dest.cap = cap;
    dest.set_prev(before);
    dest.set_next(after);
    dest.set_revocable(source.revocable());
    dest.set_first_badged(source.first_badged());
    if (before) before->set_next(&dest);
    if (after) after->set_prev(&dest);
    source.clear();
}

void swap_capabilities(const Capability& cap_for_a, Slot& a, const Capability& cap_for_b, Slot& b) {
    KASSERT(&a != &b);
    // The arguments may alias the slots' own capabilities: copy them before anything moves.
    Capability moving_to_b = cap_for_a;
    Capability moving_to_a = cap_for_b;
    // Swap the whole nodes, then repair the four neighbours (which may be a and b themselves).
    Slot old_a = a;
    Slot old_b = b;
    a = old_b;
    b = old_a;
    a.cap = moving_to_a;
    b.cap = moving_to_b;
    // a now holds b's old node and must be linked where b was, and vice versa.
    Slot* fix[2][2] = {{a.prev(), a.next()}, {b.prev(), b.next()}};
    Slot* self[2] = {&a, &b};
    for (int i = 0; i < 2; ++i) {
        Slot* before = fix[i][0] == self[i] ? self[1 - i] : fix[i][0];
        Slot* after = fix[i][1] == self[i] ? self[1 - i] : fix[i][1];
        self[i]->set_prev(before);
        self[i]->set_next(after);
    }
    for (int i = 0; i < 2; ++i) {
        if (self[i]->prev()) self[i]->prev()->set_next(self[i]);
        if (self[i]->next()) self[i]->next()->set_prev(self[i]);
    }
}

void remove_from_tree(Slot& slot) {
    Slot* before = slot.prev();
    Slot* after = slot.next();
    if (before) before->set_next(after);
    if (after) {
        after->set_prev(before);
        after->set_first_badged(after->first_badged() || slot.first_badged());
    }
    slot.clear();
}

bool has_children(const Slot& slot) {
    const Slot* after = slot.next();
    return after != nullptr && is_parent_of(slot, *after);
}

bool is_final_capability(const Slot& slot) {
    const Slot* before = slot.prev();
    const Slot* after = slot.next();
    bool shared_before = before != nullptr && same_object_as(before->cap, slot.cap);
    bool shared_after = after != nullptr && same_object_as(slot.cap, after->cap);
    return !shared_before && !shared_after;
}

} // namespace tessera
