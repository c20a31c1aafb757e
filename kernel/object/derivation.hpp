#pragma once
// The capability derivation tree: which capability was derived from which, so that
// Revoke can find every descendant and Delete can tell the last capability to an object.
#include <object/slot.hpp>

namespace tessera {

// True when `inner`'s object lies within the region `outer` names (an Untyped contains
// what was retyped from it; IrqControl covers every IrqHandler).
bool same_region_as(const Capability& outer, const Capability& inner);

// True when both capabilities name the same object (for Untyped: the same region).
bool same_object_as(const Capability& a, const Capability& b);

// True when the capability in `child` is a derivation-tree child of the one in `parent`,
// given that `child` immediately follows `parent`'s subtree start.
bool is_parent_of(const Slot& parent, const Slot& child);

// Whether a capability derived from `source` as `derived` may itself be revoked, i.e.
// have children: untyped memory, newly badged endpoints, IRQ handlers.
bool is_revocable_derivation(const Capability& derived, const Capability& source);

// Places an original capability (one the kernel makes at boot, derived from nothing) in
// the empty slot `dest`, as the root of its own tree. Originals may have children.
void place_original(const Capability& cap, Slot& dest);

// Places `cap` in the empty slot `dest` as a child of `parent` (right after it).
void insert_child(const Capability& cap, Slot& parent, Slot& dest, bool revocable);

// Moves `source`'s capability, replaced by `cap`, into the empty `dest`, which takes
// over `source`'s place in the tree. `source` ends empty.
void move_capability(const Capability& cap, Slot& source, Slot& dest);

// Exchanges two slots' capabilities (replaced by `cap_for_a` and `cap_for_b`) and places.
void swap_capabilities(const Capability& cap_for_a, Slot& a, const Capability& cap_for_b, Slot& b);

// Unlinks the slot and empties it. The next node inherits first_badged, so a copy of a
// deleted badged capability does not become the child of a later, unrelated one.
void remove_from_tree(Slot& slot);

bool has_children(const Slot& slot);

// True when no other capability names this slot's object.
bool is_final_capability(const Slot& slot);

} // namespace tessera
