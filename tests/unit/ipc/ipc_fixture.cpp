#include "ipc_fixture.hpp"

#include <object/derivation.hpp>

namespace ipctest {

namespace {

IpcKernel* g_ipc = nullptr;

} // namespace

IpcKernel::IpcKernel() {
    REQUIRE(g_ipc == nullptr);
    g_ipc = this;
    IpcThreadAccess& access = ipc_thread_access();
    access.message_register = [](const Tcb& thread, u64 index) {
        return thread.registers.argument(2 + static_cast<unsigned>(index));
    };
    access.set_message_register = [](Tcb& thread, u64 index, u64 value) {
        thread.registers.set_result(2 + static_cast<unsigned>(index), value);
    };
    access.ipc_buffer = [](Tcb& thread) -> IpcBuffer* {
        auto found = g_ipc->buffers.find(&thread);
        return found == g_ipc->buffers.end() ? nullptr : found->second.get();
    };
    access.deliver = [](Tcb& thread, const ReceivedMessage& message) {
        thread.registers.set_result(0, message.badge);
        thread.registers.set_result(1, message.info.to_word());
        g_ipc->received[&thread].push_back(message);
    };
    access.restart_system_call = [](Tcb& thread) {
        thread.registers.restart_syscall();
        ++g_ipc->restart_counts[&thread];
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
    made.registers.sepc = 0x1000;
    thread_control().resume(made);
    return made;
}

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
            thread.registers.set_result(2 + static_cast<unsigned>(i), message[i]);
        else
            buffers.at(&thread)->message[i] = message[i];
    }
}

std::vector<u64> IpcKernel::words(Tcb& thread, u64 count) {
    std::vector<u64> out;
    for (u64 i = 0; i < count; ++i)
        out.push_back(i < kMessageRegisterCount ? thread.registers.argument(2 + static_cast<unsigned>(i))
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

SendOutcome IpcKernel::send(Tcb& sender, u64 cap_slot, const std::vector<u64>& message, u64 label, u64 extra_caps,
                            Blocking blocking) {
    set_message(sender, message);
    MessageInfo info;
    info.label = label;
    info.length = message.size();
    info.extra_caps = extra_caps;
    auto result = send_ipc(sender, cap(cap_slot), info, blocking);
    REQUIRE(result.ok());
    return result.value();
}

ReceiveOutcome IpcKernel::receive(Tcb& receiver, u64 cap_slot, Blocking blocking) {
    auto result = receive_ipc(receiver, cap(cap_slot), blocking);
    REQUIRE(result.ok());
    return result.value();
}

ReceiveOutcome IpcKernel::wait(Tcb& waiter, u64 cap_slot, Blocking blocking) {
    auto result = wait_notification(waiter, cap(cap_slot), blocking);
    REQUIRE(result.ok());
    return result.value();
}

void IpcKernel::signal(u64 cap_slot) { REQUIRE(signal_notification(cap(cap_slot)).ok()); }

} // namespace ipctest
