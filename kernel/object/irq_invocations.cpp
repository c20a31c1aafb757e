// IrqControl.Get and the IrqHandler operations (SetNotification, Ack, Clear, SetPriority,
// GetStatus). The decoders check every argument, in the order docs/invocations.md lists,
// before anything changes; the handler table (irq/irq_handlers.hpp) does the rest.
#include <abi/irq.hpp>
#include <irq/irq_handlers.hpp>
#include <object/cspace.hpp>
#include <object/derivation.hpp>
#include <object/tcb_invocations.hpp>

namespace tessera {

namespace {

struct GetPlan {
    u32 line;
    TriggerMode trigger;
    bool shared;
    Slot* destination;
};

InvocationError refusal_error(IrqClaimRefusal refusal) {
    switch (refusal) {
    // The line is in use (by handlers, or by the kernel itself): as seL4 answers for an
    // active IRQ, whoever holds it must go first.
    case IrqClaimRefusal::LineOwned:
    case IrqClaimRefusal::KernelOwnsLine: return InvocationError::of(ErrorCode::RevokeFirst);
    case IrqClaimRefusal::TriggerConflict: return InvocationError::invalid_argument(1);
    // No record or dispatcher registration is left; no Untyped could help, so 0 bytes.
    case IrqClaimRefusal::TableFull: return InvocationError::not_enough_memory(0);
    }
    return illegal_operation();
}

kstd::Result<GetPlan, InvocationError> decode_get(const Invocation& invocation, const IrqHandlerTable& table) {
    const kstd::Span<const u64>& words = invocation.words;
    Slot* root = extra_slot(invocation, 0);
    if (words.size() < 5 || root == nullptr) return kstd::fail(truncated_message());
    if (!table.available()) return kstd::fail(illegal_operation()); // the machine has no usable controller
    const InterruptController& controller = table.controller();
    u64 line = words[0];
    if (line < controller.first_line() || line > controller.last_line())
        return kstd::fail(InvocationError::range(controller.first_line(), controller.last_line()));
    if (!table.line_described(static_cast<u32>(line))) return kstd::fail(InvocationError::invalid_argument(0));
    if (words[1] >= kIrqTriggerCount) return kstd::fail(InvocationError::invalid_argument(1));
    if (words[2] > 1) return kstd::fail(InvocationError::invalid_argument(2));
    Slot* destination = TRY(lookup_slot_for_cnode_op(false, root->cap, words[3], words[4]));
    if (!destination->is_empty()) return kstd::fail(InvocationError::of(ErrorCode::DeleteFirst));
    GetPlan plan{static_cast<u32>(line), trigger_mode_of(static_cast<IrqTrigger>(words[1])), words[2] == 1,
                 destination};
    auto claim = table.check_claim(plan.line, plan.trigger, plan.shared);
    if (!claim) return kstd::fail(refusal_error(claim.error()));
    return plan;
}

kstd::Result<void, InvocationError> get(const Invocation& invocation) {
    IrqHandlerTable& table = kernel_irq_handlers();
    GetPlan plan = TRY(decode_get(invocation, table));
    auto record = table.create(plan.line, plan.trigger, plan.shared);
    if (!record) return kstd::fail(refusal_error(record.error()));
    insert_child(Capability::irq_handler(plan.line, record.value()), *invocation.invoked, *plan.destination, true);
    return {};
}

kstd::Result<void, InvocationError> set_notification(const Invocation& invocation, IrqHandlerTable& table,
                                                     IrqHandlerRecord& handler) {
    Slot* notification = extra_slot(invocation, 0);
    if (notification == nullptr) return kstd::fail(truncated_message());
    // The kernel signals through this capability: the write right is what Signal needs.
    const Capability& cap = notification->cap;
    if (cap.type() != CapType::Notification || !cap.rights().can_write())
        return kstd::fail(InvocationError::invalid_capability(1));
    table.set_notification(handler, cap);
    return {};
}

kstd::Result<void, InvocationError> set_priority(const Invocation& invocation, IrqHandlerTable& table,
                                                 IrqHandlerRecord& handler) {
    if (invocation.words.empty()) return kstd::fail(truncated_message());
    // Priority 0 would silence the line for good on a PLIC: that is masking, the kernel's.
    u32 highest = table.controller().max_priority();
    u64 priority = invocation.words[0];
    if (priority < 1 || priority > highest) return kstd::fail(InvocationError::range(1, highest));
    if (!table.set_priority(handler, static_cast<u32>(priority))) return kstd::fail(illegal_operation());
    return {};
}

kstd::Result<void, InvocationError> get_status(const Invocation& invocation, const IrqHandlerTable& table,
                                               const IrqHandlerRecord& handler) {
    ReplyWords* reply = invocation.context.reply;
    if (reply == nullptr) return kstd::fail(truncated_message());
    IrqHandlerStatus status = table.status(handler);
    u64 words[kIrqStatusWords] = {};
    words[static_cast<u64>(IrqStatusWord::Bound)] = status.bound ? 1 : 0;
    words[static_cast<u64>(IrqStatusWord::Masked)] = status.masked ? 1 : 0;
    words[static_cast<u64>(IrqStatusWord::Delivered)] = status.delivered;
    words[static_cast<u64>(IrqStatusWord::LastTime)] = status.last_delivery_time;
    words[static_cast<u64>(IrqStatusWord::Line)] = status.line;
    words[static_cast<u64>(IrqStatusWord::Shared)] = status.shared ? 1 : 0;
    words[static_cast<u64>(IrqStatusWord::AwaitingAck)] = status.awaiting_ack ? 1 : 0;
    // Without an IPC buffer only the message registers come back: the first four words.
    for (u64 word : words)
        if (!reply->push(word)) break;
    return {};
}

} // namespace

kstd::Result<void, InvocationError> invoke_irq_control(const Invocation& invocation) {
    if (invocation.info.label != static_cast<u64>(InvocationLabel::IrqControlGet))
        return kstd::fail(illegal_operation());
    return get(invocation);
}

kstd::Result<void, InvocationError> invoke_irq_handler(const Invocation& invocation) {
    IrqHandlerTable& table = kernel_irq_handlers();
    IrqHandlerRecord* handler = table.find(invocation.invoked->cap);
    if (handler == nullptr) return kstd::fail(InvocationError::invalid_capability(0));
    switch (static_cast<InvocationLabel>(invocation.info.label)) {
    case InvocationLabel::IrqHandlerSetNotification: return set_notification(invocation, table, *handler);
    case InvocationLabel::IrqHandlerAck: table.ack(*handler); return {};
    case InvocationLabel::IrqHandlerClear: table.clear_notification(*handler); return {};
    case InvocationLabel::IrqHandlerSetPriority: return set_priority(invocation, table, *handler);
    case InvocationLabel::IrqHandlerGetStatus: return get_status(invocation, table, *handler);
    default: return kstd::fail(illegal_operation());
    }
}

} // namespace tessera
