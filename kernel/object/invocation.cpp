#include <object/cspace.hpp>
#include <object/invocation.hpp>

namespace tessera {

InvocationReply handle_invocation(const Capability& cspace_root, u64 invoked_pointer, MessageInfo info,
                                  kstd::Span<const u64> words, kstd::Span<const u64> extra_pointers,
                                  PreemptionPoint& preemption, const InvocationContext& context) {
    InvocationReply reply;
    auto fault = [&](u64 pointer, const LookupFailure& failure) {
        reply.outcome = InvocationOutcome::CapabilityFault;
        reply.fault = CapabilityFault{pointer, false, failure};
        return reply;
    };
    auto invoked = lookup_slot(cspace_root, invoked_pointer);
    if (!invoked) return fault(invoked_pointer, invoked.error());

    Slot* extra[MessageInfo::kMaxExtraCaps] = {};
    u64 extra_count = info.extra_caps < extra_pointers.size() ? info.extra_caps : extra_pointers.size();
    for (u64 i = 0; i < extra_count; ++i) {
        auto slot = lookup_slot(cspace_root, extra_pointers[i]);
        if (!slot) return fault(extra_pointers[i], slot.error());
        extra[i] = slot.value();
    }
    u64 length = info.length < words.size() ? info.length : words.size();
    Invocation invocation{info, words.subspan(0, length), invoked.value(), kstd::Span<Slot* const>(extra, extra_count),
                          context};
    if (invocation.context.caller_cspace == nullptr) invocation.context.caller_cspace = &cspace_root;

    auto result = invoke_capability(invocation, preemption);
    if (result) {
        if (context.reply != nullptr) reply.info.length = context.reply->length;
        return reply;
    }
    if (result.error().code == ErrorCode::Preempted) {
        reply.outcome = InvocationOutcome::Restart;
        return reply;
    }
    reply.outcome = InvocationOutcome::Error;
    reply.info = encode_error_reply(result.error(), kstd::Span<u64>(reply.words));
    return reply;
}

ObjectInvokers& object_invokers() {
    static ObjectInvokers invokers;
    return invokers;
}

kstd::Result<void, InvocationError> invoke_capability(const Invocation& invocation, PreemptionPoint& preemption) {
    if (invocation.invoked == nullptr || invocation.invoked->is_empty())
        return kstd::fail(InvocationError::invalid_capability(0));
    switch (invocation.invoked->cap.type()) {
    case CapType::Untyped: return invoke_untyped(invocation);
    case CapType::CNode: return invoke_cnode(invocation, preemption);
    case CapType::Tcb: return invoke_tcb(invocation, preemption);
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::AsidControl:
    case CapType::AsidPool:
        if (object_invokers().address_space == nullptr) return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
        return object_invokers().address_space(invocation);
    case CapType::Null:
    case CapType::Zombie: return kstd::fail(InvocationError::invalid_capability(0));
    case CapType::IrqControl: return invoke_irq_control(invocation);
    case CapType::IrqHandler: return invoke_irq_handler(invocation);
    // IPC objects are used through the IPC system calls (a Call on an Endpoint never gets
    // here).
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Reply: return kstd::fail(InvocationError::of(ErrorCode::IllegalOperation));
    }
    return kstd::fail(InvocationError::invalid_capability(0));
}

MessageInfo encode_error_reply(const InvocationError& error, kstd::Span<u64> words) {
    KASSERT(words.size() >= 6);
    MessageInfo info;
    info.label = static_cast<u64>(error.code);
    auto put = [&](u64 value) { words[info.length++] = value; };
    switch (error.code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::InvalidCapability: put(error.argument); break;
    case ErrorCode::RangeError:
        put(error.range_min);
        put(error.range_max);
        break;
    case ErrorCode::FailedLookup:
        put(error.lookup_was_source ? 1 : 0);
        put(static_cast<u64>(error.lookup.type));
        switch (error.lookup.type) {
        case LookupFailureType::MissingCapability: put(error.lookup.bits_left); break;
        case LookupFailureType::DepthMismatch:
            put(error.lookup.bits_left);
            put(error.lookup.bits_found);
            break;
        case LookupFailureType::GuardMismatch:
            put(error.lookup.bits_left);
            put(error.lookup.guard_found);
            put(error.lookup.guard_bits);
            break;
        case LookupFailureType::None:
        case LookupFailureType::InvalidRoot: break;
        }
        break;
    case ErrorCode::NotEnoughMemory: put(error.memory_available); break;
    case ErrorCode::None:
    case ErrorCode::IllegalOperation:
    case ErrorCode::AlignmentError:
    case ErrorCode::TruncatedMessage:
    case ErrorCode::DeleteFirst:
    case ErrorCode::RevokeFirst:
    case ErrorCode::Preempted: break;
    }
    return info;
}

const char* cap_type_name(CapType type) {
    switch (type) {
    case CapType::Null: return "Null";
    case CapType::Untyped: return "Untyped";
    case CapType::CNode: return "CNode";
    case CapType::Tcb: return "TCB";
    case CapType::Endpoint: return "Endpoint";
    case CapType::Notification: return "Notification";
    case CapType::Reply: return "Reply";
    case CapType::Frame: return "Frame";
    case CapType::PageTable: return "PageTable";
    case CapType::AsidControl: return "AsidControl";
    case CapType::AsidPool: return "AsidPool";
    case CapType::IrqControl: return "IrqControl";
    case CapType::IrqHandler: return "IrqHandler";
    case CapType::Zombie: return "Zombie";
    }
    return "?";
}

} // namespace tessera
