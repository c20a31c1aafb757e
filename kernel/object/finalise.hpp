#pragma once
// What happens to an object when its last capability goes. Each type has a hook that the
// issue implementing the type fills in (endpoints and notifications wake their waiters
// with an error, IRQ handlers unbind and mask their line, TCBs stop); CNodes and TCBs hold
// capabilities themselves and become Zombies that deletion then empties slot by slot.
#include <object/slot.hpp>

namespace tessera {

// TCBs keep their capabilities (CSpace root, VSpace root, IPC buffer, fault handler,
// reply) in slots at the start of the object, so deletion handles them like a CNode's.
inline constexpr u64 kTcbSlotCount = 5;

struct ObjectFinalisers {
    void (*endpoint)(u64 address) = nullptr;
    void (*notification)(u64 address) = nullptr;
    void (*reply)(u64 address) = nullptr;
    void (*tcb)(u64 address) = nullptr;
    void (*irq_handler)(const Capability& cap) = nullptr;
    // Besides `notification`: the IrqHandlers bound to the dying notification let go of it.
    // A hook of its own, so the IPC core knows nothing of interrupts (irq/irq_handlers.hpp).
    void (*notification_irq_bindings)(u64 address) = nullptr;
    void (*frame)(const Capability& cap) = nullptr;      // every frame capability: its own mapping
    void (*page_table)(const Capability& cap) = nullptr;
    void (*asid_pool)(u64 address) = nullptr;
};

// The registered hooks; later issues (and tests) set them at boot.
ObjectFinalisers& object_finalisers();

// Runs the type's hook and returns what must stay in the slot: nothing (null), or for a
// final CNode or TCB a Zombie naming the slots still to empty.
Capability finalise_capability(const Capability& cap, bool final);

// The first of the slots a Zombie still has to empty, and how many slots its object has.
inline Slot* zombie_slots(const Capability& zombie) { return reinterpret_cast<Slot*>(zombie.address()); }

} // namespace tessera
