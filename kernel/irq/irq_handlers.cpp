#include <ipc/ipc.hpp>
#include <irq/irq_handlers.hpp>
#include <object/finalise.hpp>
#include <platform/platform_info.hpp>

namespace tessera {

namespace {

VirtualIrq virtual_irq_of(u32 line) { return VirtualIrq::wired_line(static_cast<u16>(line)); }

} // namespace

void IrqHandlerTable::configure(const IrqHandlerEnvironment& environment) {
    reset();
    environment_ = environment;
}

void IrqHandlerTable::reset() {
    environment_ = IrqHandlerEnvironment{};
    for (IrqHandlerRecord& record : records_) record = IrqHandlerRecord{};
}

bool IrqHandlerTable::line_described(u32 line) const {
    return environment_.described != nullptr && environment_.described->contains(line);
}

usize IrqHandlerTable::handlers_on(u32 line) const {
    usize count = 0;
    for (const IrqHandlerRecord& record : records_) count += record.in_use && record.line == line;
    return count;
}

bool IrqHandlerTable::line_awaits_ack(u32 line) const {
    for (const IrqHandlerRecord& record : records_)
        if (record.in_use && record.line == line && record.awaiting_ack) return true;
    return false;
}

kstd::Result<void, IrqClaimRefusal> IrqHandlerTable::check_claim(u32 line, TriggerMode trigger, bool shared) const {
    const IrqHandlerRecord* existing = nullptr;
    for (const IrqHandlerRecord& record : records_)
        if (record.in_use && record.line == line) existing = &record;
    bool needs_registration = existing == nullptr;
    if (existing != nullptr) {
        // Handlers of one line are all shared or it has only one; as seL4 says of a line in
        // use, the holder must go first.
        if (!existing->shared || !shared) return kstd::fail(IrqClaimRefusal::LineOwned);
        if (existing->trigger != trigger) return kstd::fail(IrqClaimRefusal::TriggerConflict);
    }
    auto registrable = needs_registration
                           ? environment_.dispatcher->check_register(virtual_irq_of(line), HandlerFlags::None)
                           : kstd::Result<void, RegisterError>{};
    if (!registrable && registrable.error() == RegisterError::NotShareable)
        return kstd::fail(IrqClaimRefusal::KernelOwnsLine);
    bool room = false;
    for (const IrqHandlerRecord& record : records_) room = room || !record.in_use;
    if (!room || !registrable) return kstd::fail(IrqClaimRefusal::TableFull);
    return {};
}

kstd::Result<void, IrqClaimRefusal> IrqHandlerTable::route_first_handler(u32 line, TriggerMode trigger) {
    InterruptController& controller = *environment_.controller;
    auto registered = environment_.dispatcher->register_handler(virtual_irq_of(line), on_line_interrupt, this,
                                                                kDispatchPriority, HandlerFlags::None);
    if (!registered)
        return kstd::fail(registered.error() == RegisterError::NotShareable ? IrqClaimRefusal::KernelOwnsLine
                                                                             : IrqClaimRefusal::TableFull);
    // The line was checked against the controller and the CPU is the one it was started
    // on, so none of these can be refused; were one, the line is left as it was found.
    bool routed = controller.set_trigger_mode(line, trigger).ok() && controller.set_priority(line, 1).ok() &&
                  controller.unmask(line).ok();
    if (routed) {
        auto status = controller.line_status(line);
        routed = status.ok() && (status.value().target ? controller.set_target(line, environment_.target).ok()
                                                       : controller.bind(line, environment_.target).ok());
    }
    if (!routed) {
        unroute_line(line);
        return kstd::fail(IrqClaimRefusal::KernelOwnsLine);
    }
    return {};
}

kstd::Result<u32, IrqClaimRefusal> IrqHandlerTable::create(u32 line, TriggerMode trigger, bool shared) {
    TRY(check_claim(line, trigger, shared));
    u32 index = 0;
    while (records_[index].in_use) ++index; // check_claim() found a free one
    if (handlers_on(line) == 0) TRY(route_first_handler(line, trigger));
    IrqHandlerRecord& record = records_[index];
    record = IrqHandlerRecord{};
    record.in_use = true;
    record.shared = shared;
    record.trigger = trigger;
    record.line = line;
    return index;
}

IrqHandlerRecord* IrqHandlerTable::find(const Capability& cap) {
    if (cap.type() != CapType::IrqHandler || cap.irq_handler_record() >= kCapacity) return nullptr;
    IrqHandlerRecord& record = records_[cap.irq_handler_record()];
    if (!record.in_use || record.line != cap.irq_line()) return nullptr;
    return &record;
}

void IrqHandlerTable::set_notification(IrqHandlerRecord& handler, const Capability& notification) {
    // A handler that awaits an ack keeps awaiting it: its driver is still servicing the
    // interrupt it was told of, whichever notification it waits on now.
    handler.notification = notification;
}

void IrqHandlerTable::stop_awaiting(IrqHandlerRecord& handler) {
    if (!handler.awaiting_ack) return;
    handler.awaiting_ack = false;
    if (!line_awaits_ack(handler.line)) (void)environment_.controller->unmask(handler.line);
}

void IrqHandlerTable::clear_notification(IrqHandlerRecord& handler) {
    handler.notification = Capability::null();
    // Nobody can be told to ack any more, so nobody waits for it to.
    stop_awaiting(handler);
}

void IrqHandlerTable::ack(IrqHandlerRecord& handler) {
    handler.awaiting_ack = false;
    // Also the Ack of a handler that was not signalled opens a line the router masked
    // because nobody was bound when it came: that is how a driver that bound late starts.
    if (!line_awaits_ack(handler.line)) (void)environment_.controller->unmask(handler.line);
}

ControllerResult<void> IrqHandlerTable::set_priority(const IrqHandlerRecord& handler, u32 priority) {
    return environment_.controller->set_priority(handler.line, priority);
}

IrqHandlerStatus IrqHandlerTable::status(const IrqHandlerRecord& handler) const {
    IrqHandlerStatus status;
    status.bound = !handler.notification.is_null();
    auto line = environment_.controller->line_status(handler.line);
    status.masked = line.ok() && line.value().masked;
    status.delivered = handler.delivered;
    status.last_delivery_time = handler.last_delivery_time;
    status.line = handler.line;
    status.shared = handler.shared;
    status.awaiting_ack = handler.awaiting_ack;
    return status;
}

void IrqHandlerTable::unroute_line(u32 line) {
    InterruptController& controller = *environment_.controller;
    (void)controller.mask(line);
    (void)controller.unbind(line);
    (void)controller.set_priority(line, 0);
    environment_.dispatcher->unregister_handler(virtual_irq_of(line), on_line_interrupt, this);
}

void IrqHandlerTable::release(const Capability& cap) {
    IrqHandlerRecord* handler = find(cap);
    if (handler == nullptr) return;
    u32 line = handler->line;
    bool was_awaited = handler->awaiting_ack;
    *handler = IrqHandlerRecord{};
    if (handlers_on(line) == 0) {
        unroute_line(line);
        return;
    }
    if (was_awaited && !line_awaits_ack(line)) (void)environment_.controller->unmask(line);
}

void IrqHandlerTable::notification_deleted(u64 address) {
    for (IrqHandlerRecord& record : records_)
        if (record.in_use && !record.notification.is_null() && record.notification.address() == address)
            clear_notification(record);
}

IrqHandled IrqHandlerTable::on_line_interrupt(VirtualIrq irq, void* table) {
    return static_cast<IrqHandlerTable*>(table)->deliver(static_cast<u32>(irq.value - VirtualIrq::kWiredLineBase));
}

IrqHandled IrqHandlerTable::deliver(u32 line) {
    bool signalled = false;
    u64 now = environment_.now != nullptr ? environment_.now() : 0;
    for (IrqHandlerRecord& record : records_) {
        if (!record.in_use || record.line != line || record.notification.is_null()) continue;
        // SetNotification checked the type and the write right, so the signal goes through.
        (void)signal_notification(record.notification);
        record.awaiting_ack = true;
        ++record.delivered;
        record.last_delivery_time = now;
        signalled = true;
    }
    // Unsignalled, the line is the router's to mask and count as unhandled.
    if (!signalled) return IrqHandled::No;
    (void)environment_.controller->mask(line);
    return IrqHandled::Yes;
}

IrqHandlerTable& kernel_irq_handlers() {
    static IrqHandlerTable table;
    return table;
}

void install_irq_finalisers() {
    ObjectFinalisers& hooks = object_finalisers();
    hooks.irq_handler = [](const Capability& cap) { kernel_irq_handlers().release(cap); };
    hooks.notification_irq_bindings = [](u64 address) { kernel_irq_handlers().notification_deleted(address); };
}

} // namespace tessera
