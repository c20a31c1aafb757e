// The IPC system calls: registers in, capability lookups, the portable core
// (kernel/ipc/), and the result in the caller's registers. A pointer that resolves to no
// slot is a capability fault; a slot holding the wrong kind of capability, or one missing
// a right, is the status InvalidCapability (a0 says which of a0 and a6 it was).
#include <ipc/ipc.hpp>
#include <object/cspace.hpp>
#include <sched/invocation_syscall.hpp>
#include <sched/ipc_syscalls.hpp>

namespace tessera {

namespace {

constexpr u64 kNoReplyObject = 0;

enum class Phase : u8 { Send, Receive };

// The capability `pointer` names in the thread's CSpace, or null after a capability fault.
const Capability* look_up(Tcb& thread, u64 pointer, Phase phase) {
    auto slot = lookup_slot(thread.slot(TcbSlot::CSpaceRoot).cap, pointer);
    if (!slot) {
        take_capability_fault(thread, CapabilityFault{pointer, phase == Phase::Receive, slot.error()});
        return nullptr;
    }
    return &slot.value()->cap;
}

void end_with(Tcb& thread, IpcStatus status, u64 detail = 0) {
    thread.registers.set_result(kStatusRegister, static_cast<u64>(status));
    thread.registers.set_result(kCapabilityRegister, detail);
}

// A refused receive: ReplyInUse is about the Reply object in a6, the rest about a0.
void end_receive_with(Tcb& thread, IpcStatus status) {
    end_with(thread, status, status == IpcStatus::ReplyInUse ? 1 : 0);
}

// The Reply object named in a6 for a receive: `found` false after a fault or an error
// (already reported), else `reply` (null for 0: the receiver takes no Call's answer).
struct ReplyArgument {
    bool found = false;
    ReplyObject* reply = nullptr;
};

ReplyArgument reply_argument(Tcb& thread) {
    u64 pointer = thread.registers.argument(kReplyRegister);
    if (pointer == kNoReplyObject) return ReplyArgument{true, nullptr};
    const Capability* cap = look_up(thread, pointer, Phase::Receive);
    if (cap == nullptr) return {};
    if (cap->type() != CapType::Reply) {
        end_with(thread, IpcStatus::InvalidCapability, 1);
        return {};
    }
    return ReplyArgument{true, &reply_object_of(*cap)};
}

MessageInfo sent_info(const Tcb& thread) { return MessageInfo::from_word(thread.registers.argument(kInfoRegister)); }

void send(Tcb& thread, Blocking blocking, bool is_call) {
    const Capability* endpoint = look_up(thread, thread.registers.argument(kCapabilityRegister), Phase::Send);
    if (endpoint == nullptr) return;
    auto sent = send_ipc(thread, *endpoint, sent_info(thread), blocking, is_call);
    if (!sent) end_with(thread, sent.error());
}

void receive(Tcb& thread, Blocking blocking) {
    ReplyArgument reply = reply_argument(thread);
    if (!reply.found) return;
    const Capability* endpoint = look_up(thread, thread.registers.argument(kCapabilityRegister), Phase::Receive);
    if (endpoint == nullptr) return;
    auto received = receive_ipc(thread, *endpoint, reply.reply, blocking);
    if (!received) end_receive_with(thread, received.error());
}

void reply(Tcb& thread) {
    const Capability* cap = look_up(thread, thread.registers.argument(kCapabilityRegister), Phase::Send);
    if (cap == nullptr) return;
    if (cap->type() != CapType::Reply) return end_with(thread, IpcStatus::InvalidCapability, 0);
    reply_ipc(thread, reply_object_of(*cap), sent_info(thread));
    end_with(thread, IpcStatus::Ok);
}

// Both capabilities are checked before the answer goes, so that a refused ReplyRecv has
// changed nothing.
void reply_and_receive(Tcb& thread) {
    ReplyArgument reply = reply_argument(thread);
    if (!reply.found) return;
    if (reply.reply == nullptr) return end_with(thread, IpcStatus::InvalidCapability, 1);
    const Capability* endpoint = look_up(thread, thread.registers.argument(kCapabilityRegister), Phase::Receive);
    if (endpoint == nullptr) return;
    if (endpoint->type() != CapType::Endpoint || !endpoint->rights().can_read())
        return end_with(thread, IpcStatus::InvalidCapability, 0);
    reply_ipc(thread, *reply.reply, sent_info(thread));
    auto received = receive_ipc(thread, *endpoint, reply.reply, Blocking::Yes);
    if (!received) end_receive_with(thread, received.error());
}

void signal(Tcb& thread) {
    const Capability* notification = look_up(thread, thread.registers.argument(kCapabilityRegister), Phase::Send);
    if (notification == nullptr) return;
    auto signalled = signal_notification(*notification);
    end_with(thread, signalled ? IpcStatus::Ok : signalled.error());
}

void wait(Tcb& thread, Blocking blocking) {
    const Capability* notification = look_up(thread, thread.registers.argument(kCapabilityRegister), Phase::Receive);
    if (notification == nullptr) return;
    auto waited = wait_notification(thread, *notification, blocking);
    if (!waited) end_with(thread, waited.error());
}

} // namespace

void handle_ipc_syscall(Tcb& thread, Syscall number) {
    switch (number) {
    case Syscall::Send: return send(thread, Blocking::Yes, false);
    case Syscall::NBSend: return send(thread, Blocking::No, false);
    case Syscall::Recv: return receive(thread, Blocking::Yes);
    case Syscall::NBRecv: return receive(thread, Blocking::No);
    case Syscall::Reply: return reply(thread);
    case Syscall::ReplyRecv: return reply_and_receive(thread);
    case Syscall::Signal: return signal(thread);
    case Syscall::Wait: return wait(thread, Blocking::Yes);
    case Syscall::Poll: return wait(thread, Blocking::No);
    default: KASSERT(false);
    }
}

bool handle_endpoint_call(Tcb& thread) {
    auto slot = lookup_slot(thread.slot(TcbSlot::CSpaceRoot).cap, thread.registers.argument(kCapabilityRegister));
    if (!slot || slot.value()->cap.type() != CapType::Endpoint) return false;
    auto sent = send_ipc(thread, slot.value()->cap, sent_info(thread), Blocking::Yes, true);
    if (!sent) end_with(thread, sent.error());
    return true;
}

void install_ipc_thread_access() {
    IpcThreadAccess& access = ipc_thread_access();
    access.message_register = [](const Tcb& thread, u64 index) {
        return thread.registers.argument(kFirstWordRegister + static_cast<unsigned>(index));
    };
    access.set_message_register = [](Tcb& thread, u64 index, u64 value) {
        thread.registers.set_result(kFirstWordRegister + static_cast<unsigned>(index), value);
    };
    access.ipc_buffer = [](Tcb& thread) { return ipc_buffer_of(thread); };
    access.deliver = [](Tcb& thread, const ReceivedMessage& message) {
        thread.registers.set_result(kCapabilityRegister, message.badge);
        thread.registers.set_result(kInfoRegister, message.info.to_word());
        thread.registers.set_result(kStatusRegister, static_cast<u64>(message.status));
    };
    access.set_status = [](Tcb& thread, IpcStatus status, u64 detail) { end_with(thread, status, detail); };
    access.restart_system_call = [](Tcb& thread) {
        thread.registers.restart_syscall();
        if (thread.registers.syscall_number() == static_cast<u64>(Syscall::ReplyRecv))
            thread.registers.set_syscall_number(static_cast<u64>(Syscall::Recv));
    };
}

} // namespace tessera
