// TCB.ReadRegisters, WriteRegisters and CopyRegisters: a thread's user context, in the
// order <arch/user_context.hpp> fixes (word 0 the pc, word i the register x[i]).
//   ReadRegisters(count)                                  reply: the first `count` words
//   WriteRegisters(resume, count, words...)
//   CopyRegisters(suspend_source, resume_target, transfer_frame, transfer_integer)
//                                                         extra: the source TCB
// Only user registers are reachable: the status word (privilege mode, interrupt enable)
// is not part of the user context, and the return to user mode forces user mode whatever
// the saved frame says. As in seL4, a thread cannot read or write its own registers this
// way: they are those of the system call in progress, and the reply overwrites some.
#include <arch/user_context.hpp>
#include <object/thread_control.hpp>
#include <object/tcb_invocations.hpp>

namespace tessera {

namespace {

constexpr u64 kUserContextWords = arch::kUserContextWords;

// Word `index` (0..31) of the user context in the saved frame. The frame keeps x0 at
// x[0], never read or written: word 0 is the pc there instead.
u64& user_context_word(arch::TrapFrame& frame, u64 index) { return index == 0 ? frame.sepc : frame.x[index]; }

bool is_frame_word(u64 index) { return index == 0 || arch::is_frame_register(static_cast<unsigned>(index)); }

bool is_caller(const Invocation& invocation, const Tcb& thread) { return invocation.context.caller == &thread; }

} // namespace

kstd::Result<void, InvocationError> invoke_tcb_read_registers(const Invocation& invocation) {
    if (invocation.words.empty()) return kstd::fail(truncated_message());
    u64 count = invocation.words[0];
    if (count < 1 || count > kUserContextWords) return kstd::fail(InvocationError::range(1, kUserContextWords));
    Tcb& thread = invoked_tcb(invocation);
    ReplyWords* reply = invocation.context.reply;
    if (is_caller(invocation, thread) || reply == nullptr) return kstd::fail(illegal_operation());
    // Words beyond the reply's room (the registers alone, without an IPC buffer) are
    // dropped, as seL4 drops what does not fit.
    for (u64 i = 0; i < count; ++i)
        if (!reply->push(user_context_word(thread.registers, i))) break;
    return {};
}

kstd::Result<void, InvocationError> invoke_tcb_write_registers(const Invocation& invocation) {
    const kstd::Span<const u64>& words = invocation.words;
    if (words.size() < 2) return kstd::fail(truncated_message());
    bool resume = TRY(decode_flag(invocation, 0));
    u64 count = words[1];
    if (count > kUserContextWords) return kstd::fail(InvocationError::range(0, kUserContextWords));
    if (words.size() - 2 < count) return kstd::fail(truncated_message());
    Tcb& thread = invoked_tcb(invocation);
    if (is_caller(invocation, thread)) return kstd::fail(illegal_operation());
    if (resume && !thread_control().complete()) return kstd::fail(illegal_operation());

    for (u64 i = 0; i < count; ++i) user_context_word(thread.registers, i) = words[2 + i];
    if (resume) resume_if_stopped(thread);
    return {};
}

kstd::Result<void, InvocationError> invoke_tcb_copy_registers(const Invocation& invocation) {
    if (invocation.words.size() < 4 || extra_slot(invocation, 0) == nullptr) return kstd::fail(truncated_message());
    bool suspend_source = TRY(decode_flag(invocation, 0));
    bool resume_target = TRY(decode_flag(invocation, 1));
    bool transfer_frame = TRY(decode_flag(invocation, 2));
    bool transfer_integer = TRY(decode_flag(invocation, 3));
    const Capability& source_cap = extra_slot(invocation, 0)->cap;
    if (source_cap.type() != CapType::Tcb) return kstd::fail(InvocationError::invalid_capability(1));
    Tcb& source = *tcb_of(source_cap);
    Tcb& target = invoked_tcb(invocation);
    if (is_caller(invocation, source) || is_caller(invocation, target)) return kstd::fail(illegal_operation());
    if ((suspend_source || resume_target) && !thread_control().complete()) return kstd::fail(illegal_operation());

    if (suspend_source) suspend_thread_by_request(source);
    for (u64 i = 0; i < kUserContextWords; ++i) {
        bool wanted = is_frame_word(i) ? transfer_frame : transfer_integer;
        if (wanted) user_context_word(target.registers, i) = user_context_word(source.registers, i);
    }
    if (resume_target) resume_if_stopped(target);
    return {};
}

} // namespace tessera
