#include "ipc_snapshot.hpp"

#include <algorithm>
#include <cstdio>

namespace ipctest {

namespace {

std::string hex(u64 value) {
    char text[24];
    std::snprintf(text, sizeof(text), "%llx", static_cast<unsigned long long>(value));
    return text;
}

std::string words_line(const u64* words, u64 count) {
    std::string line;
    for (u64 i = 0; i < count; ++i) line += (i == 0 ? "" : ",") + hex(words[i]);
    return line;
}

// The TCB a ready-queue neighbour belongs to: "end" for a list's sentinel.
const void* queue_neighbour(const kstd::ListHook* hook) {
    if (hook == nullptr || hook->owner == nullptr) return nullptr;
    return static_cast<const Schedulable*>(hook->owner)->owner;
}

} // namespace

IpcSnapshot& IpcSnapshot::thread(std::string name, Tcb& thread) {
    threads_.emplace_back(name, &thread);
    objects_.emplace_back(std::move(name), &thread);
    return *this;
}

IpcSnapshot& IpcSnapshot::endpoint(std::string name, u64 slot) {
    objects_.emplace_back(name, &kernel_.endpoint(slot));
    endpoints_.emplace_back(std::move(name), slot);
    return *this;
}

IpcSnapshot& IpcSnapshot::notification(std::string name, u64 slot) {
    objects_.emplace_back(name, &kernel_.notification(slot));
    notifications_.emplace_back(std::move(name), slot);
    return *this;
}

IpcSnapshot& IpcSnapshot::reply(std::string name, u64 slot) {
    objects_.emplace_back(name, &kernel_.reply_object(slot));
    replies_.emplace_back(std::move(name), slot);
    return *this;
}

std::string IpcSnapshot::name_of(const void* object) const {
    if (object == nullptr) return "null";
    for (const auto& [name, address] : objects_)
        if (address == object) return name;
    return "?" + normalised(kernel_, reinterpret_cast<u64>(object));
}

std::string IpcSnapshot::thread_line(const std::string& name, Tcb& thread) const {
    const IpcWait& ipc = thread.ipc;
    std::string line = "thread " + name + ": " + thread_state_name(thread.state);
    line += " x=" + words_line(thread.registers.x, 32) + " pc=" + hex(thread.registers.sepc);
    line += " waiting_on=" + name_of(reinterpret_cast<const void*>(ipc.waiting_on)) + " badge=" + hex(ipc.badge) +
            " info=" + hex(ipc.message_info) + " call=" + std::to_string(ipc.is_call) +
            " grant=" + std::to_string(ipc.can_grant) + " reply=" + name_of(ipc.reply) +
            " links=" + name_of(ipc.prev) + "<>" + name_of(ipc.next);
    const Schedulable& entry = thread.schedule;
    line += " priority=" + std::to_string(entry.priority) + " owner=" + name_of(entry.owner) +
            " queued=" + std::to_string(entry.queued());
    if (entry.queued())
        line += " ready=" + name_of(queue_neighbour(entry.run_queue_hook.prev)) + "<>" +
                name_of(queue_neighbour(entry.run_queue_hook.next));
    line += " slice=" + std::to_string(thread.time_slice_left) + " bound=" + name_of(thread.bound_notification);
    auto buffer = kernel_.buffers.find(&thread);
    if (buffer != kernel_.buffers.end()) {
        const IpcBuffer& b = *buffer->second;
        line += " buffer=" + words_line(b.message, 8) + " caps=" + words_line(b.caps_or_badges, 3) +
                " receive=" + hex(b.receive_cnode) + "," + hex(b.receive_index) + "," + hex(b.receive_depth);
    }
    return line;
}

void IpcSnapshot::add_ready_queues(std::vector<std::string>& lines) const {
    // Each level's list starts at the thread whose predecessor is the sentinel.
    std::vector<std::pair<u8, std::string>> levels;
    for (const auto& [name, thread] : threads_) {
        const Schedulable& entry = thread->schedule;
        if (!entry.queued() || entry.run_queue_hook.prev->owner != nullptr) continue;
        std::string level;
        for (const kstd::ListHook* hook = &entry.run_queue_hook; hook->owner != nullptr; hook = hook->next)
            level += " " + name_of(queue_neighbour(hook));
        levels.emplace_back(entry.priority, level);
    }
    std::sort(levels.begin(), levels.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [priority, level] : levels) lines.push_back("ready " + std::to_string(priority) + ":" + level);
}

std::vector<std::string> IpcSnapshot::take(bool with_hook_logs) const {
    std::vector<std::string> lines;
    for (const auto& [name, thread] : threads_) lines.push_back(thread_line(name, *thread));
    for (const auto& [name, slot] : endpoints_) {
        Endpoint& endpoint = kernel_.endpoint(slot);
        std::string line = "endpoint " + name + ": state=" + std::to_string(static_cast<int>(endpoint.state())) + " queue";
        for (Tcb* waiter : IpcKernel::queue_of(endpoint.queue)) line += " " + name_of(waiter);
        lines.push_back(line);
    }
    for (const auto& [name, slot] : notifications_) {
        Notification& notification = kernel_.notification(slot);
        std::string line = "notification " + name + ": state=" +
                           std::to_string(static_cast<int>(notification.state())) +
                           " pending=" + hex(notification.pending) + " bound=" + name_of(notification.bound) + " waiters";
        for (Tcb* waiter : IpcKernel::queue_of(notification.waiters)) line += " " + name_of(waiter);
        lines.push_back(line);
    }
    for (const auto& [name, slot] : replies_) {
        ReplyObject& reply = kernel_.reply_object(slot);
        lines.push_back("reply " + name + ": caller=" + name_of(reply.caller) + " receiver=" + name_of(reply.receiver) +
                        " grant=" + hex(reply.can_grant) + " reserved=" + hex(reply.reserved));
    }
    const Scheduler& scheduler = kernel_.scheduler;
    lines.push_back("current " + name_of(scheduler.current()) + " slice " + std::to_string(scheduler.time_slice()));
    add_ready_queues(lines);
    for (std::string& line : picture(kernel_)) lines.push_back("cap " + line);
    if (with_hook_logs)
        for (const auto& [name, thread] : threads_)
            lines.push_back("told " + name + ": deliveries=" + std::to_string(kernel_.deliveries(*thread)) +
                            " statuses=" + std::to_string(kernel_.status_count(*thread)) +
                            " restarts=" + std::to_string(kernel_.restarts(*thread)));
    return lines;
}

std::vector<std::string> IpcSnapshot::drain_scheduler(u64 now) const {
    Scheduler& scheduler = kernel_.scheduler;
    std::vector<std::string> order;
    bool slice_over = scheduler.tick(now);
    Tcb* current = scheduler.current();
    order.push_back("tick " + std::to_string(slice_over) + " left " +
                    (current != nullptr ? std::to_string(current->time_slice_left) : "-"));
    while (Tcb* next = scheduler.choose(now)) {
        order.push_back(name_of(next));
        scheduler.make_unrunnable(*next);
        REQUIRE(order.size() < 1000);
    }
    return order;
}

std::string first_difference(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
    for (u64 i = 0; i < expected.size() || i < actual.size(); ++i) {
        std::string want = i < expected.size() ? expected[i] : "(nothing)";
        std::string got = i < actual.size() ? actual[i] : "(nothing)";
        if (want != got) return "line " + std::to_string(i) + "\n  expected: " + want + "\n  actual:   " + got;
    }
    return "";
}

} // namespace ipctest
