#pragma once
// The IPC tests' kernel: the TCB fixture (real Scheduler behind the thread-control hooks,
// objects made by Retype) plus the IPC hooks a trap path registers, writing registers the
// way kernel/sched/ipc_syscalls.cpp does: message words 0..3 in a2..a5, a receive's badge
// in a0, its message info in a1, the IpcStatus in a6; a status without a message puts
// its detail in a0. IPC buffers are test-owned memory. Every deliver, status and restart
// is recorded, so a test sees exactly what each thread was told and how often.
//
// The suite also builds the kernel's IPC system calls (kernel/sched/ipc_syscalls.cpp), so
// the fastpath can be compared with the real general path; their capability faults land
// in `faults` here, the thread stopped at its ecall and suspended as the kernel does.
#include "../capabilities/tcb_fixture.hpp"

#include <map>
#include <memory>
#include <optional>

#include <abi/syscalls.hpp>
#include <ipc/ipc.hpp>

namespace ipctest {

using namespace captest;

// Registers of the IPC convention: abi/syscalls.hpp.
inline constexpr u64 kNoReplyObject = 0; // a6 of a Recv that names no Reply object
// Where thread() starts a thread; a restarted system call moves the pc back to its ecall.
inline constexpr u64 kStartPc = 0x1000;
inline constexpr u64 kEcallPc = kStartPc - 4;

// What set_status told a thread.
struct StatusRecord {
    IpcStatus status;
    u64 detail;
    bool operator==(const StatusRecord&) const = default;
};

class IpcKernel : public ThreadKernel {
public:
    IpcKernel();
    ~IpcKernel();

    // A runnable thread in `slot` whose CSpace is the fixture's root CNode.
    Tcb& thread(u64 slot, u8 priority = 10);
    // Makes `thread` the scheduler's current thread through a real decision at `now`: it
    // must be what Scheduler::choose picks.
    void dispatch(Tcb& thread, u64 now = 0);
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
    // What set_status last told the thread, and how often it did.
    std::optional<StatusRecord> last_status(Tcb& thread) const;
    u64 status_count(Tcb& thread) const;
    u64 restarts(Tcb& thread) const;
    // The IpcStatus in the thread's a6, as user space would read it.
    static IpcStatus status_register(const Tcb& thread);

    void make_endpoint(u64 slot) { make(ObjectType::Endpoint, slot); }
    void make_notification(u64 slot) { make(ObjectType::Notification, slot); }
    void make_reply(u64 slot) { make(ObjectType::Reply, slot); }
    Endpoint& endpoint(u64 slot) { return endpoint_of(cap(slot)); }
    Notification& notification(u64 slot) { return notification_of(cap(slot)); }
    ReplyObject& reply_object(u64 slot) { return reply_object_of(cap(slot)); }

    // The threads in an endpoint's or notification's queue, front first (checks links).
    static std::vector<Tcb*> queue_of(const WaitQueue& queue);
    // True when the thread is in a ready queue (the current thread is in none).
    bool runnable_in_scheduler(Tcb& thread) const { return thread.schedule.queued(); }

    // Shorthands for the operations, with the capability in root slot `cap_slot`; each
    // requires success (errors are tested by calling the core directly).
    SendOutcome send(Tcb& sender, u64 cap_slot, const std::vector<u64>& message, u64 label = 0,
                     u64 extra_caps = 0, Blocking blocking = Blocking::Yes);
    SendOutcome call_endpoint(Tcb& caller, u64 cap_slot, const std::vector<u64>& message, u64 label = 0,
                              u64 extra_caps = 0);
    // `reply_slot`: the root slot of the Reply object to receive with, or kNoReplyObject.
    ReceiveOutcome receive(Tcb& receiver, u64 cap_slot, Blocking blocking = Blocking::Yes,
                           u64 reply_slot = kNoReplyObject);
    void reply(Tcb& replier, u64 reply_slot, const std::vector<u64>& message, u64 label = 0, u64 extra_caps = 0);
    ReceiveOutcome wait(Tcb& waiter, u64 cap_slot, Blocking blocking = Blocking::Yes);
    void signal(u64 cap_slot);

    std::map<Tcb*, std::unique_ptr<IpcBuffer>> buffers;
    std::map<Tcb*, std::vector<ReceivedMessage>> received;
    std::map<Tcb*, std::vector<StatusRecord>> statuses;
    std::map<Tcb*, u64> restart_counts;
    std::vector<std::pair<Tcb*, CapabilityFault>> faults;
    // What the fault hooks were told (the kernel's own are in kernel/sched/faults.cpp):
    // the answers to faults (the replier's info word) and the abandoned faults (why).
    std::map<Tcb*, std::vector<MessageInfo>> fault_answers;
    std::map<Tcb*, std::vector<IpcStatus>> abandoned_faults;

private:
    ReplyObject* reply_in(u64 reply_slot);
};

MessageInfo info_of(u64 length, u64 label = 0, u64 extra_caps = 0);

} // namespace ipctest

namespace Catch {
template <> struct StringMaker<tessera::IpcStatus> {
    static std::string convert(tessera::IpcStatus status) { return tessera::ipc_status_name(status); }
};
template <> struct StringMaker<tessera::ThreadState> {
    static std::string convert(tessera::ThreadState state) { return tessera::thread_state_name(state); }
};
template <> struct StringMaker<tessera::ReceivedMessage> {
    static std::string convert(const tessera::ReceivedMessage& m) {
        return "{label " + std::to_string(m.info.label) + ", length " + std::to_string(m.info.length) +
               ", extra " + std::to_string(m.info.extra_caps) + ", unwrapped " +
               std::to_string(m.info.caps_unwrapped) + ", badge " + std::to_string(m.badge) + ", " +
               tessera::ipc_status_name(m.status) + "}";
    }
};
template <> struct StringMaker<ipctest::StatusRecord> {
    static std::string convert(const ipctest::StatusRecord& r) {
        return std::string("{") + tessera::ipc_status_name(r.status) + ", detail " + std::to_string(r.detail) + "}";
    }
};
} // namespace Catch
