// TCB invocations: the dispatch by label, and the ones about scheduling and naming.
//   SetPriority(priority)       extra: authority TCB
//   SetMCPriority(mcp)          extra: authority TCB
//   Suspend()  Resume()  SetName(two words of name)
//   BindNotification()          extra: the Notification (read right)
//   UnbindNotification()
//   GetStatus()                 state, priorities, name (object/introspection.cpp)
// A thread can give priorities only up to the maximum controlled priority (MCP) of a TCB
// it holds a capability to, so no thread can raise anything, itself included, above its
// own MCP, and a capability to a thread of lower MCP cannot help. Configure, SetSpace and
// SetIpcBuffer are in tcb_configure.cpp, the register operations in tcb_registers.cpp.
#include <ipc/ipc.hpp>
#include <object/introspection.hpp>
#include <object/thread_control.hpp>
#include <object/tcb_invocations.hpp>

namespace tessera {

namespace {

struct PriorityPlan {
    Tcb* thread;
    u8 value;
};

// The value in word 0, checked against the authority TCB in extra capability 0.
kstd::Result<PriorityPlan, InvocationError> decode_priority(const Invocation& invocation) {
    Slot* authority_slot = extra_slot(invocation, 0);
    if (invocation.words.empty() || authority_slot == nullptr) return kstd::fail(truncated_message());
    if (authority_slot->cap.type() != CapType::Tcb) return kstd::fail(InvocationError::invalid_capability(1));
    u8 ceiling = tcb_of(authority_slot->cap)->max_controlled_priority;
    u64 value = invocation.words[0];
    if (value > ceiling) return kstd::fail(InvocationError::range(0, ceiling));
    return PriorityPlan{&invoked_tcb(invocation), static_cast<u8>(value)};
}

kstd::Result<void, InvocationError> set_priority(const Invocation& invocation) {
    PriorityPlan plan = TRY(decode_priority(invocation));
    if (!thread_control().complete()) return kstd::fail(illegal_operation());
    thread_control().set_priority(*plan.thread, plan.value);
    return {};
}

kstd::Result<void, InvocationError> set_mc_priority(const Invocation& invocation) {
    PriorityPlan plan = TRY(decode_priority(invocation));
    plan.thread->max_controlled_priority = plan.value;
    return {};
}

kstd::Result<void, InvocationError> suspend(const Invocation& invocation) {
    if (!thread_control().complete()) return kstd::fail(illegal_operation());
    suspend_thread_by_request(invoked_tcb(invocation));
    return {};
}

kstd::Result<void, InvocationError> resume(const Invocation& invocation) {
    if (!thread_control().complete()) return kstd::fail(illegal_operation());
    resume_if_stopped(invoked_tcb(invocation));
    return {};
}

kstd::Result<void, InvocationError> bind_notification_to(const Invocation& invocation) {
    if (invocation.extra_caps.empty() || invocation.extra_caps[0] == nullptr)
        return kstd::fail(InvocationError::of(ErrorCode::TruncatedMessage));
    return bind_notification(invoked_tcb(invocation), invocation.extra_caps[0]->cap);
}

// Unbinding an unbound thread is refused, so that a confused caller learns of it.
kstd::Result<void, InvocationError> unbind_notification_from(const Invocation& invocation) {
    Tcb& thread = invoked_tcb(invocation);
    if (thread.bound_notification == nullptr) return kstd::fail(illegal_operation());
    unbind_notification(thread);
    return {};
}

// Two words hold up to 15 bytes, little-endian; the 16th is always the terminator.
kstd::Result<void, InvocationError> set_name(const Invocation& invocation) {
    constexpr u64 kNameWords = sizeof(Tcb::name) / sizeof(u64);
    if (invocation.words.size() < kNameWords) return kstd::fail(truncated_message());
    Tcb& thread = invoked_tcb(invocation);
    for (u64 i = 0; i < sizeof(thread.name); ++i)
        thread.name[i] = static_cast<char>(invocation.words[i / 8] >> (8 * (i % 8)));
    thread.name[sizeof(thread.name) - 1] = '\0';
    return {};
}

} // namespace

kstd::Result<bool, InvocationError> decode_flag(const Invocation& invocation, u64 index) {
    u64 word = invocation.words[index];
    if (word > 1) return kstd::fail(InvocationError::invalid_argument(index));
    return word == 1;
}

void resume_if_stopped(Tcb& thread) {
    // Only a stopped thread: a blocked one is woken by its IPC partner, not by Resume (as
    // in seL4), or it would run while still queued.
    if (thread.state != ThreadState::Inactive && thread.state != ThreadState::Suspended) return;
    thread_control().resume(thread);
}

void suspend_thread_by_request(Tcb& thread) {
    cancel_ipc(thread);
    thread_control().suspend(thread);
    thread.state = ThreadState::Inactive;
}

kstd::Result<void, InvocationError> invoke_tcb(const Invocation& invocation, PreemptionPoint& preemption) {
    switch (static_cast<InvocationLabel>(invocation.info.label)) {
    case InvocationLabel::TcbReadRegisters: return invoke_tcb_read_registers(invocation);
    case InvocationLabel::TcbWriteRegisters: return invoke_tcb_write_registers(invocation);
    case InvocationLabel::TcbCopyRegisters: return invoke_tcb_copy_registers(invocation);
    case InvocationLabel::TcbConfigure: return invoke_tcb_configure(invocation, preemption);
    case InvocationLabel::TcbSetPriority: return set_priority(invocation);
    case InvocationLabel::TcbSetMCPriority: return set_mc_priority(invocation);
    case InvocationLabel::TcbSetIpcBuffer: return invoke_tcb_set_ipc_buffer(invocation, preemption);
    case InvocationLabel::TcbSetSpace: return invoke_tcb_set_space(invocation, preemption);
    case InvocationLabel::TcbSuspend: return suspend(invocation);
    case InvocationLabel::TcbResume: return resume(invocation);
    case InvocationLabel::TcbSetName: return set_name(invocation);
    case InvocationLabel::TcbBindNotification: return bind_notification_to(invocation);
    case InvocationLabel::TcbUnbindNotification: return unbind_notification_from(invocation);
    case InvocationLabel::TcbGetStatus:
        if (invocation.context.reply == nullptr || !describe_thread(invoked_tcb(invocation), *invocation.context.reply))
            return kstd::fail(truncated_message());
        return {};
    default: return kstd::fail(illegal_operation());
    }
}

} // namespace tessera
