// Faults as IPC. The kernel sends the fault as a Call on the thread's behalf, through the
// endpoint capability its TCB keeps in the FaultHandler slot (TCB.Configure); the message
// is built from the TCB's PendingFault when a handler receives (kernel/ipc/transfer.cpp),
// so a fault queued behind others is described as it happened. The thread is then
// BlockedOnSend or BlockedOnReply like any caller, and everything that cancels a Call
// (deletion of the endpoint or the Reply object, a handler that receives again without
// answering, TCB.Suspend) has a defined end for a fault too: it is logged and the thread
// is suspended, except that TCB.Suspend followed by Resume runs the faulting instruction
// again.
#include <console/console.hpp>
#include <ipc/fault_messages.hpp>
#include <ipc/ipc.hpp>
#include <sched/faults.hpp>
#include <sched/kernel_entry.hpp>

namespace tessera {

namespace {

// seL4's rule for fault endpoints: the kernel makes a Call, so the capability must allow
// one (write, and grant or grant-reply).
bool can_take_faults(const Capability& handler) {
    Rights rights = handler.rights();
    return handler.type() == CapType::Endpoint && rights.can_write() && (rights.can_grant() || rights.can_grant_reply());
}

const char* abandon_reason(IpcStatus why) {
    switch (why) {
    case IpcStatus::ObjectDeleted: return "its fault handler's endpoint was deleted";
    case IpcStatus::NoReply: return "the handler received it without a Reply object";
    case IpcStatus::Cancelled: return "the handler let go of it without answering";
    default: return "the handler cannot answer it";
    }
}

// The handler's answer as words: the registers, then the IPC buffer (words 4.. exist only
// when the handler has one; otherwise the answer is cut to what arrived, as a message is).
u64 answer_words(Tcb& replier, MessageInfo info, u64 (&words)[MessageInfo::kMaxMessageLength]) {
    IpcThreadAccess& access = ipc_thread_access();
    IpcBuffer* buffer = access.ipc_buffer(replier);
    u64 count = kstd::min(info.length, buffer == nullptr ? kMessageRegisterCount : MessageInfo::kMaxMessageLength);
    for (u64 i = 0; i < count; ++i) words[i] = i < kMessageRegisterCount ? access.message_register(replier, i) : buffer->message[i];
    return count;
}

void apply_fault_reply(Tcb& faulter, const FaultReply& reply) {
    arch::TrapFrame& registers = faulter.registers;
    if ((reply.mask & fault_reply_bit(FaultReplyRegister::ProgramCounter)) != 0)
        registers.set_program_counter(reply.values[static_cast<u64>(FaultReplyRegister::ProgramCounter)]);
    if ((reply.mask & fault_reply_bit(FaultReplyRegister::StackPointer)) != 0)
        registers.set_stack_pointer(reply.values[static_cast<u64>(FaultReplyRegister::StackPointer)]);
    for (u64 i = 0; i < kSyscallArgumentWords; ++i)
        if ((reply.mask & fault_reply_argument_bit(i)) != 0)
            registers.set_argument(static_cast<unsigned>(i),
                                   reply.values[static_cast<u64>(FaultReplyRegister::FirstArgument) + i]);
}

void answer_fault(Tcb& faulter, Tcb& replier, MessageInfo info) {
    u64 words[MessageInfo::kMaxMessageLength]; // only the first `count` are read
    u64 count = answer_words(replier, info, words);
    FaultReply reply = decode_fault_reply(MessageInfo{info.label, count, 0, 0}, kstd::Span<const u64>(words, count));
    u64 label = faulter.fault.label;
    faulter.fault = PendingFault{};
    if (reply.problem != FaultReplyProblem::None) {
        kprintln("thread {}: the answer to its {} is malformed ({}: label {}, {} words); suspended", faulter.name,
                 fault_label_name(label), fault_reply_problem_name(reply.problem), info.label, count);
        suspend_thread(faulter);
        return;
    }
    apply_fault_reply(faulter, reply);
    resume_thread(faulter);
}

void abandon_fault(Tcb& faulter, IpcStatus why) {
    u64 label = faulter.fault.label;
    faulter.fault = PendingFault{};
    kprintln("thread {}: its {} will get no answer ({}); suspended", faulter.name, fault_label_name(label),
             abandon_reason(why));
    suspend_thread(faulter); // it may be the faulting thread itself, still current
}

} // namespace

FaultRouting raise_fault(Tcb& thread, const PendingFault& fault) {
    const Capability& handler = thread.slot(TcbSlot::FaultHandler).cap;
    if (handler.is_null()) return FaultRouting::NoHandler;
    if (!can_take_faults(handler)) {
        kprintln("thread {}: {}; its fault handler capability cannot take it (an Endpoint with write and grant "
                 "or grant-reply); suspended",
                 thread.name, fault_label_name(fault.label));
        suspend_thread(thread);
        return FaultRouting::Refused;
    }
    thread.fault = fault;
    auto sent = send_ipc(thread, handler, MessageInfo{fault.label, fault.length, 0, 0}, Blocking::Yes, true);
    KASSERT(sent.ok()); // the rights were checked above
    return FaultRouting::Sent;
}

void install_fault_delivery() {
    IpcThreadAccess& access = ipc_thread_access();
    access.answer_fault = answer_fault;
    access.abandon_fault = abandon_fault;
}

} // namespace tessera
