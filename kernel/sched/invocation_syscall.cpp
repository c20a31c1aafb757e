#include <abi/syscalls.hpp>
#include <console/console.hpp>
#include <object/invocation.hpp>
#include <ipc/fault_messages.hpp>
#include <sched/faults.hpp>
#include <sched/invocation_syscall.hpp>
#include <sched/kernel_entry.hpp>

#include <arch/interface.hpp>

namespace tessera {

namespace {

bool interrupt_is_pending(void*) { return arch::interrupt_pending(); }

} // namespace

void take_capability_fault(Tcb& thread, const CapabilityFault& fault) {
    // As after any fault, the thread stops at the faulting instruction, the ecall: once
    // resumed (its CSpace or registers fixed) it makes the call again, as in seL4, rather
    // than reading its own request as the answer.
    thread.registers.restart_syscall();
    PendingFault message = capability_fault_message(thread.registers.program_counter(), fault.pointer,
                                                    fault.in_receive_phase, fault.failure);
    if (raise_fault(thread, message) != FaultRouting::NoHandler) return;
    kprintln("thread {}: capability fault on pointer {} ({}lookup failure {}, {} bits left); suspended "
             "(no fault handler)",
             thread.name, kstd::Hex{fault.pointer}, fault.in_receive_phase ? "receive phase, " : "",
             lookup_failure_name(fault.failure.type), fault.failure.bits_left);
    suspend_thread(thread);
}

void handle_call_syscall(Tcb& thread) {
    arch::TrapFrame& frame = thread.registers;
    IpcBuffer* buffer = ipc_buffer_of(thread);
    MessageInfo info = MessageInfo::from_word(frame.argument(kInfoRegister));
    // Without an IPC buffer only the register words exist, and no extra capability.
    if (buffer == nullptr) {
        info.length = kstd::min(info.length, kMessageRegisterCount);
        info.extra_caps = 0;
    }
    u64 words[MessageInfo::kMaxMessageLength];
    for (u64 i = 0; i < info.length; ++i)
        words[i] = i < kMessageRegisterCount ? frame.argument(kFirstWordRegister + static_cast<unsigned>(i)) : buffer->message[i];
    u64 extra_pointers[MessageInfo::kMaxExtraCaps] = {};
    for (u64 i = 0; i < info.extra_caps; ++i) extra_pointers[i] = buffer->caps_or_badges[i];

    u64 reply_room[MessageInfo::kMaxMessageLength];
    ReplyWords reply_words{kstd::Span<u64>(reply_room, buffer == nullptr ? kMessageRegisterCount : MessageInfo::kMaxMessageLength)};
    InvocationContext context{&thread, nullptr, &reply_words};
    PreemptionPoint preemption(interrupt_is_pending, nullptr);
    InvocationReply reply =
        handle_invocation(thread.slot(TcbSlot::CSpaceRoot).cap, frame.argument(kCapabilityRegister), info,
                          kstd::Span<const u64>(words, info.length), kstd::Span<const u64>(extra_pointers, info.extra_caps),
                          preemption, context);

    const u64* out = reply_room;
    switch (reply.outcome) {
    case InvocationOutcome::Restart:
        // Run the ecall again once the pending interrupt has been taken.
        frame.restart_syscall();
        // Unless the operation stopped or destroyed the caller itself: then it is not
        // runnable, and must not look so.
        if (thread.state == ThreadState::Running) thread.state = ThreadState::Restart;
        return;
    case InvocationOutcome::CapabilityFault: take_capability_fault(thread, reply.fault); return;
    case InvocationOutcome::Error: out = reply.words; break;
    case InvocationOutcome::Success: break;
    }
    // The invocation may have suspended or reconfigured the caller (its own IPC buffer);
    // the reply goes where the buffer is now.
    buffer = ipc_buffer_of(thread);
    u64 length = buffer == nullptr ? kstd::min(reply.info.length, kMessageRegisterCount) : reply.info.length;
    reply.info.length = length;
    frame.set_result(kInfoRegister, reply.info.to_word());
    // An empty slot (or one being deleted) in a0 is no object to invoke: a client that
    // meant an endpoint it has lost must not mistake this reply for its server's, so the
    // IPC status says it too.
    bool invoked_is_invalid = reply.outcome == InvocationOutcome::Error &&
                              reply.info.label == static_cast<u64>(ErrorCode::InvalidCapability) && out[0] == 0;
    frame.set_result(kStatusRegister, static_cast<u64>(invoked_is_invalid ? IpcStatus::InvalidCapability : IpcStatus::Ok));
    for (u64 i = 0; i < length; ++i) {
        if (i < kMessageRegisterCount) frame.set_result(kFirstWordRegister + static_cast<unsigned>(i), out[i]);
        else buffer->message[i] = out[i];
    }
    if (buffer != nullptr) buffer->tag = reply.info.to_word();
}

} // namespace tessera
