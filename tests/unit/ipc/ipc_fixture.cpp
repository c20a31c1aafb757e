#include "ipc_fixture.hpp"

#include <object/derivation.hpp>
#include <sched/invocation_syscall.hpp>

namespace ipctest {

namespace {

IpcKernel* g_ipc = nullptr;

} // namespace

IpcKernel::IpcKernel() {
    REQUIRE(g_ipc == nullptr);
    g_ipc = this;
    IpcThreadAccess& access = ipc_thread_access();
    access.message_register = [](const Tcb& thread, u64 index) {
        return thread.registers.argument(kFirstWordRegister + static_cast<unsigned>(index));
    };
    access.set_message_register = [](Tcb& thread, u64 index, u64 value) {
        thread.registers.set_result(kFirstWordRegister + static_cast<unsigned>(index), value);
    };
    access.ipc_buffer = [](Tcb& thread) -> IpcBuffer* {
        auto found = g_ipc->buffers.find(&thread);
        return found == g_ipc->buffers.end() ? nullptr : found->second.get();
    };
    access.deliver = [](Tcb& thread, const ReceivedMessage& message) {
        thread.registers.set_result(kBadgeRegister, message.badge);
        thread.registers.set_result(kInfoRegister, message.info.to_word());
        thread.registers.set_result(kStatusRegister, static_cast<u64>(message.status));
        g_ipc->received[&thread].push_back(message);
    };
    access.set_status = [](Tcb& thread, IpcStatus status, u64 detail) {
        thread.registers.set_result(kStatusRegister, static_cast<u64>(status));
        thread.registers.set_result(kBadgeRegister, detail);
        g_ipc->statuses[&thread].push_back(StatusRecord{status, detail});
    };
    // As the kernel's: a ReplyRecv made again must not answer twice, so it becomes a Recv.
    access.restart_system_call = [](Tcb& thread) {
        thread.registers.restart_syscall();
        if (thread.registers.syscall_number() == static_cast<u64>(Syscall::ReplyRecv))
            thread.registers.set_syscall_number(static_cast<u64>(Syscall::Recv));
        ++g_ipc->restart_counts[&thread];
    };
    // The fault hooks as the kernel's behave for the IPC core: an answered fault runs
    // again, an abandoned one is suspended.
    access.answer_fault = [](Tcb& faulter, Tcb&, MessageInfo info) {
        g_ipc->fault_answers[&faulter].push_back(info);
        faulter.fault = PendingFault{};
        thread_control().resume(faulter);
    };
    access.abandon_fault = [](Tcb& faulter, IpcStatus why) {
        g_ipc->abandoned_faults[&faulter].push_back(why);
        faulter.fault = PendingFault{};
        thread_control().suspend(faulter);
        faulter.state = ThreadState::Suspended;
    };
    install_ipc_finalisers();
}

IpcKernel::~IpcKernel() {
    ipc_thread_access() = IpcThreadAccess{};
    g_ipc = nullptr;
}

Tcb& IpcKernel::thread(u64 slot, u8 priority) {
    Tcb& made = make_tcb(slot, priority, priority);
    insert_child(cspace_root().cap, cspace_root(), made.slot(TcbSlot::CSpaceRoot), false);
    made.registers.sepc = kStartPc;
    thread_control().resume(made);
    return made;
}

void IpcKernel::dispatch(Tcb& thread, u64 now) { REQUIRE(scheduler.choose(now) == &thread); }

IpcBuffer& IpcKernel::give_buffer(Tcb& thread) {
    auto& buffer = buffers[&thread];
    buffer = std::make_unique<IpcBuffer>();
    *buffer = IpcBuffer{};
    return *buffer;
}

void IpcKernel::set_receive_slot(Tcb& thread, u64 index) {
    IpcBuffer& buffer = *buffers.at(&thread);
    buffer.receive_cnode = kRootCNodeSlot;
    buffer.receive_index = index;
    buffer.receive_depth = 64;
}

void IpcKernel::set_message(Tcb& thread, const std::vector<u64>& message) {
    for (u64 i = 0; i < message.size(); ++i) {
        if (i < kMessageRegisterCount)
            thread.registers.set_result(kFirstWordRegister + static_cast<unsigned>(i), message[i]);
        else
            buffers.at(&thread)->message[i] = message[i];
    }
}

std::vector<u64> IpcKernel::words(Tcb& thread, u64 count) {
    std::vector<u64> out;
    for (u64 i = 0; i < count; ++i)
        out.push_back(i < kMessageRegisterCount ? thread.registers.argument(kFirstWordRegister + static_cast<unsigned>(i))
                                                : buffers.at(&thread)->message[i]);
    return out;
}

void IpcKernel::set_extra_caps(Tcb& thread, const std::vector<u64>& pointers) {
    for (u64 i = 0; i < pointers.size(); ++i) buffers.at(&thread)->caps_or_badges[i] = pointers[i];
}

std::optional<ReceivedMessage> IpcKernel::last_received(Tcb& thread) const {
    auto found = received.find(&thread);
    if (found == received.end() || found->second.empty()) return std::nullopt;
    return found->second.back();
}

u64 IpcKernel::deliveries(Tcb& thread) const {
    auto found = received.find(&thread);
    return found == received.end() ? 0 : found->second.size();
}

std::optional<StatusRecord> IpcKernel::last_status(Tcb& thread) const {
    auto found = statuses.find(&thread);
    if (found == statuses.end() || found->second.empty()) return std::nullopt;
    return found->second.back();
}

u64 IpcKernel::status_count(Tcb& thread) const {
    auto found = statuses.find(&thread);
    return found == statuses.end() ? 0 : found->second.size();
}

IpcStatus IpcKernel::status_register(const Tcb& thread) {
    return static_cast<IpcStatus>(thread.registers.argument(kStatusRegister));
}

u64 IpcKernel::restarts(Tcb& thread) const {
    auto found = restart_counts.find(&thread);
    return found == restart_counts.end() ? 0 : found->second;
}

std::vector<Tcb*> IpcKernel::queue_of(const WaitQueue& queue) {
    std::vector<Tcb*> threads;
    Tcb* previous = nullptr;
    for (Tcb* t = queue.front(); t != nullptr; t = t->ipc.next) {
        REQUIRE(t->ipc.prev == previous);
        threads.push_back(t);
        previous = t;
        REQUIRE(threads.size() < 1000);
    }
    REQUIRE(queue.back() == previous);
    return threads;
}

MessageInfo info_of(u64 length, u64 label, u64 extra_caps) {
    MessageInfo info;
    info.label = label;
    info.length = length;
    info.extra_caps = extra_caps;
    return info;
}

SendOutcome IpcKernel::send(Tcb& sender, u64 cap_slot, const std::vector<u64>& message, u64 label, u64 extra_caps,
                            Blocking blocking) {
    set_message(sender, message);
    auto result = send_ipc(sender, cap(cap_slot), info_of(message.size(), label, extra_caps), blocking);
    REQUIRE(result.ok());
    return result.value();
}

SendOutcome IpcKernel::call_endpoint(Tcb& caller, u64 cap_slot, const std::vector<u64>& message, u64 label,
                                     u64 extra_caps) {
    set_message(caller, message);
    auto result = send_ipc(caller, cap(cap_slot), info_of(message.size(), label, extra_caps), Blocking::Yes, true);
    REQUIRE(result.ok());
    return result.value();
}

ReplyObject* IpcKernel::reply_in(u64 reply_slot) {
    return reply_slot == kNoReplyObject ? nullptr : &reply_object(reply_slot);
}

ReceiveOutcome IpcKernel::receive(Tcb& receiver, u64 cap_slot, Blocking blocking, u64 reply_slot) {
    auto result = receive_ipc(receiver, cap(cap_slot), reply_in(reply_slot), blocking);
    REQUIRE(result.ok());
    return result.value();
}

void IpcKernel::reply(Tcb& replier, u64 reply_slot, const std::vector<u64>& message, u64 label, u64 extra_caps) {
    set_message(replier, message);
    reply_ipc(replier, reply_object(reply_slot), info_of(message.size(), label, extra_caps));
}

ReceiveOutcome IpcKernel::wait(Tcb& waiter, u64 cap_slot, Blocking blocking) {
    auto result = wait_notification(waiter, cap(cap_slot), blocking);
    REQUIRE(result.ok());
    return result.value();
}

void IpcKernel::signal(u64 cap_slot) { REQUIRE(signal_notification(cap(cap_slot)).ok()); }

} // namespace ipctest

// The kernel's version (kernel/sched/invocation_syscall.cpp) also logs; here the fixture
// records the fault.
void tessera::take_capability_fault(Tcb& thread, const CapabilityFault& fault) {
    REQUIRE(ipctest::g_ipc != nullptr);
    thread.registers.restart_syscall();
    thread_control().suspend(thread);
    ipctest::g_ipc->faults.emplace_back(&thread, fault);
}
