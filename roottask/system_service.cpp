#include <userlib/print.hpp>
#include <userlib/services/system.hpp>
#include <userlib/syscalls.hpp>

#include "system_service.hpp"

namespace tessera::roottask {

namespace {

using user::IpcMessage;
using user::MessageWords;
using user::ServiceStatus;
using user::SystemRequest;

usize bounded_length(const char* text, usize limit) {
    usize length = 0;
    while (length < limit && text[length] != '\0') ++length;
    return length;
}

kstd::Bytes name_bytes(const char* name, usize limit) {
    return kstd::Bytes(reinterpret_cast<const u8*>(name), bounded_length(name, limit));
}

// One thread per task for now: each task the root task starts has a single thread.
IpcMessage list_thread(const TaskRegistry& registry, u64 index, IpcBuffer& buffer) {
    if (index >= registry.tasks().size()) return user::service_answer(ServiceStatus::OutOfRange);
    const TaskRecord& task = registry.tasks()[index];
    auto status = task.tcb.get_status();
    if (!status) return user::service_answer(ServiceStatus::NotPresent);
    IpcMessage answer = user::service_answer(ServiceStatus::Ok, 10);
    MessageWords words(answer, buffer);
    words.set(0, index);
    words.set(1, static_cast<u64>(status.value().state));
    words.set(2, status.value().priority);
    words.set(3, task.restarts);
    for (u64 i = 4; i < 10; ++i) words.set(i, 0);
    words.put_bytes(4, name_bytes(task.name, user::kServiceNameBytes));
    words.put_bytes(8, name_bytes(status.value().name, user::kThreadNameWords * 8));
    return answer;
}

IpcMessage list_irq(const TaskRegistry& registry, u64 index, IpcBuffer& buffer) {
    if (index >= registry.irqs().size()) return user::service_answer(ServiceStatus::OutOfRange);
    const IrqRecord& irq = registry.irqs()[index];
    auto status = irq.handler.status();
    if (!status) return user::service_answer(ServiceStatus::NotPresent);
    IpcMessage answer = user::service_answer(ServiceStatus::Ok, 10);
    MessageWords words(answer, buffer);
    const user::IrqHandlerStatus& s = status.value();
    words.set(0, s.line);
    words.set(1, s.delivered);
    words.set(2, s.masked);
    words.set(3, s.shared);
    words.set(4, s.awaiting_ack);
    words.set(5, s.bound);
    for (u64 i = 6; i < 10; ++i) words.set(i, 0);
    if (irq.owner < registry.tasks().size())
        words.put_bytes(6, name_bytes(registry.tasks()[irq.owner].name, user::kServiceNameBytes));
    return answer;
}

// The task named in words `first`..: NUL-padded, as the client packs it.
kstd::StringView requested_name(const IpcMessage& request, IpcBuffer& buffer, u64 first, char (&name)[user::kServiceNameBytes + 1]) {
    IpcMessage copy = request;
    MessageWords(copy, buffer).get_bytes(first, kstd::Span<u8>(reinterpret_cast<u8*>(name), user::kServiceNameBytes));
    name[user::kServiceNameBytes] = '\0';
    return kstd::StringView(name, bounded_length(name, user::kServiceNameBytes));
}

IpcMessage list_capability(const TaskRegistry& registry, const IpcMessage& request, IpcBuffer& buffer) {
    if (request.length() < 1 + user::kServiceNameWords) return user::service_answer(ServiceStatus::InvalidArgument);
    char name[user::kServiceNameBytes + 1];
    auto found = registry.find(requested_name(request, buffer, 1, name));
    if (!found) return user::service_answer(ServiceStatus::NotPresent);
    const TaskRecord& task = registry.tasks()[*found];
    for (u64 slot = request.words[0]; slot < task.cnode_slots; ++slot) {
        auto described = task.cnode.describe(user::SlotPath{slot, task.cnode_depth});
        if (!described) return user::service_answer(ServiceStatus::InvalidArgument);
        const user::CapabilityReport& cap = described.value();
        if (cap.kind == CapabilityKind::Null) continue;
        IpcMessage answer = user::service_answer(ServiceStatus::Ok, 6);
        MessageWords out(answer, buffer);
        out.set(0, slot);
        out.set(1, static_cast<u64>(cap.kind));
        out.set(2, cap.rights);
        out.set(3, cap.data);
        out.set(4, cap.object);
        out.set(5, cap.size_bits);
        return answer;
    }
    return user::service_answer(ServiceStatus::OutOfRange);
}

IpcMessage make_fault(Supervisor& supervisor, const IpcMessage& request, IpcBuffer& buffer) {
    if (request.length() < user::kServiceNameWords) return user::service_answer(ServiceStatus::InvalidArgument);
    char name[user::kServiceNameBytes + 1];
    return user::service_answer(supervisor.inject_fault(requested_name(request, buffer, 0, name)));
}

} // namespace

IpcMessage answer_system_request(const TaskRegistry& registry, Supervisor& supervisor, const IpcMessage& request,
                                 IpcBuffer& buffer) {
    u64 first = request.length() >= 1 ? request.words[0] : 0;
    switch (static_cast<SystemRequest>(request.label())) {
    case SystemRequest::ListThreads:
        return request.length() < 1 ? user::service_answer(ServiceStatus::InvalidArgument)
                                    : list_thread(registry, first, buffer);
    case SystemRequest::ListIrqs:
        return request.length() < 1 ? user::service_answer(ServiceStatus::InvalidArgument)
                                    : list_irq(registry, first, buffer);
    case SystemRequest::ListCaps: return list_capability(registry, request, buffer);
    case SystemRequest::Fault: return make_fault(supervisor, request, buffer);
    case SystemRequest::Halt:
        user::println("roottask: halt requested (badge {}); powering off", request.badge);
        user::debug_halt(0);
    }
    return user::service_answer(ServiceStatus::UnknownRequest);
}

void serve_system(const TaskRegistry& registry, Supervisor& supervisor, user::Endpoint endpoint,
                  user::ReplyObject reply) {
    IpcBuffer& buffer = *user::current_ipc_buffer();
    IpcMessage request = endpoint.recv(reply);
    for (;;) {
        // A status other than Ok is a notification or a refusal: nobody waits for an answer.
        if (request.status != IpcStatus::Ok) {
            request = endpoint.recv(reply);
            continue;
        }
        // A driver's fault: it is restarted, and its faulting thread, destroyed with it,
        // needs no answer (receiving again lets go of it).
        if ((request.badge & kFaultBadgeBit) != 0) {
            supervisor.handle_fault(request);
            request = endpoint.recv(reply);
            continue;
        }
        request = endpoint.reply_recv(reply, answer_system_request(registry, supervisor, request, buffer));
    }
}

} // namespace tessera::roottask
