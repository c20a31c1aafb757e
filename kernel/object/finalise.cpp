#include <kstd/bit.hpp>
#include <object/finalise.hpp>

namespace tessera {

ObjectFinalisers& object_finalisers() {
    static ObjectFinalisers finalisers;
    return finalisers;
}

Capability finalise_capability(const Capability& cap, bool final) {
    const ObjectFinalisers& hooks = object_finalisers();
    switch (cap.type()) {
    case CapType::CNode:
        if (final) return Capability::zombie(cap.address(), CapType::CNode, kstd::bit(cap.cnode_radix()));
        return Capability::null();
    case CapType::Tcb:
        if (!final) return Capability::null();
        if (hooks.tcb) hooks.tcb(cap.address());
        return Capability::zombie(cap.address(), CapType::Tcb, kTcbSlotCount);
    case CapType::Zombie: return cap;
    case CapType::Endpoint:
        if (final && hooks.endpoint) hooks.endpoint(cap.address());
        return Capability::null();
    case CapType::Notification:
        if (!final) return Capability::null();
        // Interrupts first: once the handlers have let go, none can signal the dying object.
        if (hooks.notification_irq_bindings) hooks.notification_irq_bindings(cap.address());
        if (hooks.notification) hooks.notification(cap.address());
        return Capability::null();
    case CapType::Reply:
        if (final && hooks.reply) hooks.reply(cap.address());
        return Capability::null();
    case CapType::IrqHandler:
        if (final && hooks.irq_handler) hooks.irq_handler(cap);
        return Capability::null();
    case CapType::Frame:
        if (hooks.frame) hooks.frame(cap);
        return Capability::null();
    case CapType::PageTable:
        if (final && hooks.page_table) hooks.page_table(cap);
        return Capability::null();
    case CapType::AsidPool:
        if (final && hooks.asid_pool) hooks.asid_pool(cap.address());
        return Capability::null();
    case CapType::Null:
    case CapType::Untyped:
    case CapType::AsidControl:
    case CapType::IrqControl: return Capability::null();
    }
    return Capability::null();
}

} // namespace tessera
