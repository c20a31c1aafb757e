#pragma once
// The IPC tests' kernel: the TCB fixture (real Scheduler behind the thread-control hooks,
// objects made by Retype) plus the IPC hooks a trap path would register. Message words
// 0..3 live in a2..a5 of the thread's saved registers, a receive's badge lands in a0 and
// its message info in a1 (the convention the trap path is expected to use); IPC buffers
// are test-owned memory. Every deliver and restart is recorded, so a test sees exactly
// what each thread was told.
#include "../capabilities/tcb_fixture.hpp"

#include <map>
#include <memory>
#include <optional>

#include <abi/syscalls.hpp>
#include <ipc/ipc.hpp>

namespace ipctest {

using namespace captest;

class IpcKernel : public ThreadKernel {
public:
    IpcKernel();
    ~IpcKernel();

    // A runnable thread in `slot` whose CSpace is the fixture's root CNode.
    Tcb& thread(u64 slot, u8 priority = 10);
    // Gives the thread an IPC buffer (zeroed) and returns it.
    IpcBuffer& give_buffer(Tcb& thread);
    // Where the thread's received capability should go: root-CNode slot `index`.
    void set_receive_slot(Tcb& thread, u64 index);
    // Writes `words` as the thread's outgoing message (registers, then its IPC buffer).
    void set_message(Tcb& thread, const std::vector<u64>& words);
    // The first `count` words of the thread's message area (registers, then buffer).
    std::vector<u64> words(Tcb& thread, u64 count);
    // Extra capability pointers in the thread's IPC buffer.
    void set_extra_caps(Tcb& thread, const std::vector<u64>& pointers);

    // What the thread was last told by a receive, and how often it was.
    std::optional<ReceivedMessage> last_received(Tcb& thread) const;
    u64 deliveries(Tcb& thread) const;
    u64 restarts(Tcb& thread) const;

    void make_endpoint(u64 slot) { make(ObjectType::Endpoint, slot); }
    void make_notification(u64 slot) { make(ObjectType::Notification, slot); }
    Endpoint& endpoint(u64 slot) { return endpoint_of(cap(slot)); }
    Notification& notification(u64 slot) { return notification_of(cap(slot)); }

    // The threads in an endpoint's or notification's queue, front first (checks links).
    static std::vector<Tcb*> queue_of(const WaitQueue& queue);
    // True when the thread is in a ready queue (or would run now).
    bool runnable_in_scheduler(Tcb& thread) const { return thread.schedule.queued(); }

    // Shorthands for the operations, with the capability in root slot `cap_slot`.
    SendOutcome send(Tcb& sender, u64 cap_slot, const std::vector<u64>& message, u64 label = 0,
                     u64 extra_caps = 0, Blocking blocking = Blocking::Yes);
    ReceiveOutcome receive(Tcb& receiver, u64 cap_slot, Blocking blocking = Blocking::Yes);
    ReceiveOutcome wait(Tcb& waiter, u64 cap_slot, Blocking blocking = Blocking::Yes);
    void signal(u64 cap_slot);

    std::map<Tcb*, std::unique_ptr<IpcBuffer>> buffers;
    std::map<Tcb*, std::vector<ReceivedMessage>> received;
    std::map<Tcb*, u64> restart_counts;
};

} // namespace ipctest

namespace Catch {
template <> struct StringMaker<tessera::ReceivedMessage> {
    static std::string convert(const tessera::ReceivedMessage& m) {
        return "{label " + std::to_string(m.info.label) + ", length " + std::to_string(m.info.length) +
               ", extra " + std::to_string(m.info.extra_caps) + ", unwrapped " +
               std::to_string(m.info.caps_unwrapped) + ", badge " + std::to_string(m.badge) +
               (m.from_notification ? ", notification}" : "}");
    }
};
} // namespace Catch
