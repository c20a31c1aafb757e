#include <irq/dispatcher.hpp>

namespace tessera {

kstd::Result<void, RegisterError> IrqDispatcher::check_register(VirtualIrq irq, HandlerFlags flags) const {
    if (irq.category() == IrqCategory::Invalid) return kstd::fail(RegisterError::InvalidIrq);
    for (const Registration& existing : registrations_) {
        if (existing.irq != irq) continue;
        if (!has_flag(existing.flags, HandlerFlags::Shared) || !has_flag(flags, HandlerFlags::Shared))
            return kstd::fail(RegisterError::NotShareable);
    }
    if (registrations_.size() >= kCapacity) return kstd::fail(RegisterError::TableFull);
    return {};
}

kstd::Result<void, RegisterError> IrqDispatcher::register_handler(VirtualIrq irq, IrqHandlerFunction function,
                                                                  void* context, u8 priority, HandlerFlags flags) {
    if (function == nullptr) return kstd::fail(RegisterError::InvalidIrq);
    TRY(check_register(irq, flags));
    usize position = 0;
    while (position < registrations_.size() && registrations_[position].priority >= priority) ++position;
    if (!registrations_.insert(position, Registration{irq, function, context, priority, flags}))
        return kstd::fail(RegisterError::TableFull);
    return {};
}

void IrqDispatcher::unregister_handler(VirtualIrq irq, IrqHandlerFunction function, void* context) {
    for (usize i = 0; i < registrations_.size(); ++i) {
        const Registration& r = registrations_[i];
        if (r.irq == irq && r.function == function && r.context == context) {
            registrations_.erase(i);
            return;
        }
    }
}

bool IrqDispatcher::dispatch(VirtualIrq irq) {
    for (const Registration& r : registrations_)
        if (r.irq == irq && r.function(irq, r.context) == IrqHandled::Yes) return true;
    return false;
}

usize IrqDispatcher::handler_count(VirtualIrq irq) const {
    usize count = 0;
    for (const Registration& r : registrations_)
        if (r.irq == irq) ++count;
    return count;
}

IrqDispatcher& kernel_irq_dispatcher() {
    static IrqDispatcher dispatcher;
    return dispatcher;
}

} // namespace tessera
