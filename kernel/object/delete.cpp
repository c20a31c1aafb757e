// Deletion with Zombies. Finalising the last capability to a CNode (or TCB) leaves a
// Zombie in its slot that records how many of the object's slots remain; deletion then
// empties them from the last one down. A nested CNode found that way becomes a Zombie
// that is moved into its own first slot (a "cyclic" Zombie) instead of being emptied
// recursively, so the kernel stack stays bounded however deep the structure; such a
// Zombie stays a child of its Untyped and is emptied when that Untyped is revoked.
#include <object/delete.hpp>
#include <object/derivation.hpp>
#include <object/finalise.hpp>

namespace tessera {

namespace {

// Whether the slot can be emptied now: nothing left to finalise.
bool is_removable(const Capability& remainder, const Slot& slot) {
    if (remainder.is_null()) return true;
    if (remainder.type() != CapType::Zombie) return false;
    u64 remaining = remainder.zombie_remaining();
    return remaining == 0 || (remaining == 1 && zombie_slots(remainder) == &slot);
}

bool is_cyclic_zombie(const Capability& cap, const Slot& slot) {
    return cap.type() == CapType::Zombie && zombie_slots(cap) == &slot;
}

struct FinaliseOutcome {
    bool removable; // false only for a cyclic Zombie left behind on purpose
};

kstd::Result<void, ErrorCode> delete_slot_internal(Slot& slot, bool exposed, PreemptionPoint& preemption);

// Empties one more slot of the Zombie in `slot`. When `immediate`, that means deleting its
// last remaining slot; otherwise the Zombie is swapped into its own first slot, making it
// cyclic, and `slot` gets that slot's former capability to finalise next.
kstd::Result<void, ErrorCode> reduce_zombie(Slot& slot, bool immediate, PreemptionPoint& preemption) {
    Capability zombie = slot.cap;
    Slot* first = zombie_slots(zombie);
    u64 remaining = zombie.zombie_remaining();
    if (!immediate) {
        KASSERT(first != &slot);
        swap_capabilities(first->cap, *first, slot.cap, slot);
        return {};
    }
    Slot& last = first[remaining - 1];
    TRY(delete_slot_internal(last, false, preemption));
    // Deleting the last slot may have emptied or changed this one (it could have held a
    // capability to the Zombie's own object); only a still-identical Zombie shrinks.
    if (slot.cap.type() == CapType::Zombie) {
        if (zombie_slots(slot.cap) == first && slot.cap.zombie_remaining() == remaining) {
            slot.cap = Capability::zombie(zombie.address(), zombie.zombie_kind(), remaining - 1);
        } else {
            // The last slot held the final capability to the CNode (or TCB) whose first slot
            // this is: that object's Zombie was moved here, cyclic, and ours went on to its
            // own first slot. The caller goes on emptying the one now here (seL4 does the same).
            KASSERT(zombie_slots(slot.cap) == &slot && first != &slot);
        }
    }
    return {};
}

kstd::Result<FinaliseOutcome, ErrorCode> finalise_slot(Slot& slot, bool immediate, PreemptionPoint& preemption) {
    while (!slot.is_empty()) {
        bool final = is_final_capability(slot);
        Capability remainder = finalise_capability(slot.cap, final);
        if (is_removable(remainder, slot)) return FinaliseOutcome{true};
        slot.cap = remainder;
        if (!immediate && is_cyclic_zombie(remainder, slot)) return FinaliseOutcome{false};
        TRY(reduce_zombie(slot, immediate, preemption));
        if (preemption.should_stop()) return kstd::fail(ErrorCode::Preempted);
    }
    return FinaliseOutcome{true};
}

kstd::Result<void, ErrorCode> delete_slot_internal(Slot& slot, bool exposed, PreemptionPoint& preemption) {
    FinaliseOutcome outcome = TRY(finalise_slot(slot, exposed, preemption));
    if (exposed || outcome.removable) {
        if (!slot.is_empty()) remove_from_tree(slot);
    }
    return {};
}

} // namespace

kstd::Result<void, ErrorCode> delete_slot(Slot& slot, PreemptionPoint& preemption) {
    return delete_slot_internal(slot, true, preemption);
}

kstd::Result<void, ErrorCode> revoke_slot(Slot& slot, PreemptionPoint& preemption) {
    while (has_children(slot)) {
        TRY(delete_slot_internal(*slot.next(), true, preemption));
        if (preemption.should_stop()) return kstd::fail(ErrorCode::Preempted);
    }
    return {};
}

} // namespace tessera
