#pragma once
// Kernel-internal interrupt handlers, registered per virtual interrupt with a priority and
// flags. The architecture's trap code calls dispatch(); the interrupts issue registers the
// controller's handler here, which in turn signals user-level IrqHandlers.
#include <irq/virtual_irq.hpp>
#include <kstd/bounded_vector.hpp>
#include <kstd/result.hpp>

namespace tessera {

enum class IrqHandled : u8 { No, Yes };

enum class HandlerFlags : u8 {
    None = 0,
    Shared = 1 << 0, // other handlers may share the interrupt; each is asked in turn
};

constexpr HandlerFlags operator|(HandlerFlags a, HandlerFlags b) {
    return static_cast<HandlerFlags>(static_cast<u8>(a) | static_cast<u8>(b));
}
constexpr bool has_flag(HandlerFlags set, HandlerFlags flag) {
    return (static_cast<u8>(set) & static_cast<u8>(flag)) != 0;
}

using IrqHandlerFunction = IrqHandled (*)(VirtualIrq irq, void* context);

enum class RegisterError : u8 { TableFull, NotShareable, InvalidIrq };

class IrqDispatcher {
public:
    static constexpr usize kCapacity = 32;

    // Higher `priority` runs first among the handlers of one interrupt. A handler
    // registered without Shared must be the only one for its interrupt.
    kstd::Result<void, RegisterError> register_handler(VirtualIrq irq, IrqHandlerFunction function, void* context,
                                                       u8 priority, HandlerFlags flags);

    // Whether register_handler() would accept a handler of `irq` with `flags`.
    kstd::Result<void, RegisterError> check_register(VirtualIrq irq, HandlerFlags flags) const;

    void unregister_handler(VirtualIrq irq, IrqHandlerFunction function, void* context);

    // Runs the handlers of `irq` in priority order until one claims it. False when none
    // did: the caller counts it as spurious.
    bool dispatch(VirtualIrq irq);

    usize handler_count(VirtualIrq irq) const;

private:
    struct Registration {
        VirtualIrq irq;
        IrqHandlerFunction function;
        void* context;
        u8 priority;
        HandlerFlags flags;
    };
    kstd::BoundedVector<Registration, kCapacity> registrations_; // sorted by priority, highest first
};

IrqDispatcher& kernel_irq_dispatcher();

} // namespace tessera
