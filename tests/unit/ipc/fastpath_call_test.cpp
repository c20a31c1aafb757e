// The Call fastpath against the general path. Each scenario is built twice, in two
// fixtures: once the caller's Call runs through fastpath_call, once through the kernel's
// trap path (handle_endpoint_call, kernel/sched/ipc_syscalls.cpp) followed by the
// scheduler's choice, as kernel_entry.cpp runs them. When the fastpath's conditions hold
// (kernel/ipc/fastpath.cpp) the two must leave the same picture (ipc_snapshot.hpp) and
// the same scheduler behaviour; when one fails, the fastpath must decline having changed
// nothing.
#include "fastpath_support.hpp"

using namespace ipctest;

namespace {

constexpr u64 kEndpoint = 20;
constexpr u64 kNotification = 21;
constexpr u64 kReply = 22;
constexpr u64 kSecondReply = 23;
constexpr u64 kElsewhere = 24;    // an endpoint where a receiver can wait out of the way
constexpr u64 kCallerCap = 30;    // what the caller names in a0
constexpr u64 kReceiverCap = 31;  // what the receiver received with
constexpr u64 kCallerBadge = 0xb4d9e;
constexpr u64 kReceiverRunTime = 1;
constexpr u64 kDispatchTime = 30;
constexpr u64 kCallTime = 1000;

// Who waits on the endpoint when the Call comes.
enum class Waiting : u8 { Receiver, Nobody, Sender };

struct CallScenario {
    u64 length = 2;
    u64 label = 0x33;
    u64 extra_caps = 0;
    u64 unwrapped = 0; // bits user space left in the info word's receive-only field
    u8 rights = Rights::kMask; // of the caller's capability
    Target target = Target::Endpoint;
    Waiting waiting = Waiting::Receiver;
    bool receiver_has_reply = true;
    bool receiver_can_grant = true; // the receiver's capability has grant
    bool second_receiver = false;   // another receiver queued behind the first
    bool buffers = false;
    u8 caller_priority = 10;
    u8 receiver_priority = 20;
    std::vector<u8> others; // runnable threads in the ready queues

    // The conditions kernel/ipc/fastpath.cpp and docs/ipc.md list for Call.
    bool fastpath_applies() const {
        Rights r{rights};
        return length <= kMessageRegisterCount && extra_caps == 0 && target == Target::Endpoint && r.can_write() &&
               (r.can_grant() || r.can_grant_reply()) && waiting == Waiting::Receiver && receiver_has_reply &&
               outranks(receiver_priority, others);
    }

    std::string describe() const {
        return "length " + std::to_string(length) + " label " + std::to_string(label) + " extra " +
               std::to_string(extra_caps) + " unwrapped " + std::to_string(unwrapped) + " rights " + std::to_string(rights) + " target " + target_name(target) +
               " waiting " + std::to_string(static_cast<int>(waiting)) + " reply " +
               std::to_string(receiver_has_reply) + " grant " + std::to_string(receiver_can_grant) + " second " +
               std::to_string(second_receiver) + " buffers " + std::to_string(buffers) + " priorities caller " +
               std::to_string(caller_priority) + " receiver " + std::to_string(receiver_priority) + " others " +
               priorities(others);
    }
};

// The scenario up to the moment the caller, the scheduler's current thread, makes its Call.
struct CallWorld {
    IpcKernel k;
    IpcSnapshot picture{k};
    Tcb* caller = nullptr;
    Tcb* receiver = nullptr;

    explicit CallWorld(const CallScenario& s) {
        k.make_endpoint(kEndpoint);
        k.make_notification(kNotification);
        k.make_reply(kReply);
        k.make_reply(kSecondReply);
        k.make_endpoint(kElsewhere);
        u64 target = s.target == Target::Notification ? kNotification : kEndpoint;
        REQUIRE(k.mint(kCallerCap, target, s.rights, kCallerBadge) == success());
        REQUIRE(k.copy(kReceiverCap, kEndpoint, Rights::kRead | (s.receiver_can_grant ? Rights::kGrant : 0)) ==
                success());
        picture.endpoint("endpoint", kEndpoint).endpoint("elsewhere", kElsewhere);
        picture.notification("notification", kNotification).reply("reply", kReply).reply("second", kSecondReply);

        // The receiver ran for a while before it waited, and so did the caller: what is
        // left of their time slices must come out the same both ways.
        receiver = &k.thread(101, s.receiver_priority);
        picture.thread("receiver", *receiver);
        k.dispatch(*receiver, kReceiverRunTime);
        k.scheduler.tick(kReceiverRunTime + 25);
        u64 reply_slot = s.receiver_has_reply ? kReply : kNoReplyObject;
        load_syscall(*receiver, kReceiverCap, MessageInfo{}, 0x7ec0, reply_slot, Syscall::Recv);
        if (s.buffers) fill_buffer(k, *receiver, 0xb0f0);
        u64 waits_on = s.waiting == Waiting::Receiver ? kReceiverCap : kElsewhere;
        REQUIRE(k.receive(*receiver, waits_on, Blocking::Yes, reply_slot) == ReceiveOutcome::Blocked);
        if (s.waiting == Waiting::Sender) {
            Tcb& sender = k.thread(102, 10);
            picture.thread("sender", sender);
            REQUIRE(k.send(sender, kEndpoint, {0x5e}) == SendOutcome::Blocked);
        }
        if (s.second_receiver) {
            Tcb& second = k.thread(103, 10);
            picture.thread("second receiver", second);
            REQUIRE(k.receive(second, kReceiverCap, Blocking::Yes, kSecondReply) == ReceiveOutcome::Blocked);
        }

        caller = &k.thread(100, s.caller_priority);
        picture.thread("caller", *caller);
        if (s.buffers) fill_buffer(k, *caller, 0xcaf0);
        u64 pointer = s.target == Target::Unresolved ? kUnresolvedPointer : kCallerCap;
        MessageInfo info = info_of(s.length, s.label, s.extra_caps);
        info.caps_unwrapped = s.unwrapped;
        load_syscall(*caller, pointer, info, 0xca110, 0x6666, Syscall::Call);
        k.dispatch(*caller, kDispatchTime);
        k.scheduler.tick(kDispatchTime + 40);
        for (u64 i = 0; i < s.others.size(); ++i)
            picture.thread("other" + std::to_string(i), k.thread(110 + i, s.others[i]));
    }
};

// Runs the scenario both ways (or checks that the fastpath declines, changing nothing).
// True when the fastpath took it.
bool check_call(const CallScenario& s) {
    INFO(s.describe());
    return compare_with_general_path<CallWorld>(
        s, s.fastpath_applies(), kCallTime,
        [](CallWorld& world) { return fastpath_call(*world.caller, world.k.scheduler, kCallTime); },
        [](CallWorld& world) { REQUIRE(handle_endpoint_call(*world.caller)); },
        [](CallWorld& world) { return world.receiver; });
}

} // namespace

TEST_CASE("Fastpath Call: the general path's state, for receivers above, at and below the caller") {
    u64 taken = 0;
    u64 declined = 0;
    for (u8 caller_priority : {5, 10, 30})
        for (u8 receiver_priority : {5, 10, 20})
            for (const std::vector<u8>& others : std::vector<std::vector<u8>>{
                     {}, {3}, {4, 9}, {10}, {10, 10}, {19}, {20}, {25}, {3, 20, 7}}) {
                CallScenario s;
                s.caller_priority = caller_priority;
                s.receiver_priority = receiver_priority;
                s.others = others;
                (check_call(s) ? taken : declined)++;
            }
    // Both kinds occur, so neither half of the comparison is vacuous.
    CHECK(taken > 0);
    CHECK(declined > 0);
}

TEST_CASE("Fastpath Call: the general path's state for every short message, right and buffer") {
    for (u64 length = 0; length <= kMessageRegisterCount; ++length)
        for (u8 rights : {Rights::kMask, u8(Rights::kWrite | Rights::kGrant), u8(Rights::kWrite | Rights::kGrantReply)})
            for (bool receiver_can_grant : {true, false})
                for (bool buffers : {false, true})
                    for (bool second_receiver : {false, true}) {
                        CallScenario s;
                        s.length = length;
                        s.label = length == 3 ? u64{1} << 51 : 0x10 + length; // the widest label too
                        s.unwrapped = length % 2 == 1 ? 0b101 : 0;
                        s.rights = rights;
                        s.receiver_can_grant = receiver_can_grant;
                        s.buffers = buffers;
                        s.second_receiver = second_receiver;
                        s.others = {3, 10};
                        CHECK(check_call(s));
                    }
}

TEST_CASE("Fastpath Call: declines, changing nothing, when any condition fails") {
    auto failing = [](auto change) {
        CallScenario s;
        s.others = {3, 10};
        change(s);
        REQUIRE_FALSE(s.fastpath_applies());
        CHECK_FALSE(check_call(s));
    };
    failing([](CallScenario& s) { s.length = kMessageRegisterCount + 1; });
    failing([](CallScenario& s) { s.length = MessageInfo::kMaxMessageLength; });
    failing([](CallScenario& s) { s.extra_caps = 1; });
    failing([](CallScenario& s) { s.extra_caps = MessageInfo::kMaxExtraCaps; });
    failing([](CallScenario& s) { s.target = Target::Notification; });
    failing([](CallScenario& s) { s.target = Target::Unresolved; });
    failing([](CallScenario& s) { s.rights = Rights::kWrite; });
    failing([](CallScenario& s) { s.rights = Rights::kWrite | Rights::kRead; });
    failing([](CallScenario& s) { s.rights = Rights::kRead | Rights::kGrant | Rights::kGrantReply; });
    failing([](CallScenario& s) { s.waiting = Waiting::Nobody; });
    failing([](CallScenario& s) { s.waiting = Waiting::Sender; });
    failing([](CallScenario& s) { s.receiver_has_reply = false; });
    failing([](CallScenario& s) {
        s.receiver_has_reply = false;
        s.second_receiver = true; // the second one has a Reply object, but the first is served
    });
    failing([](CallScenario& s) { s.others = {20}; }); // queued first at the receiver's level
    failing([](CallScenario& s) { s.others = {3, 21}; });
    {
        FastpathOff off;
        CallScenario s;
        CallWorld world(s);
        std::vector<std::string> before = world.picture.take(true);
        CHECK_FALSE(fastpath_call(*world.caller, world.k.scheduler, kCallTime));
        CHECK(first_difference(before, world.picture.take(true)) == "");
    }
}

TEST_CASE("Fastpath Call: the receiver runs with the message, the caller waits on the Reply object") {
    CallScenario s;
    s.length = 3;
    s.label = 0x77;
    s.others = {10};
    CallWorld world(s);
    Tcb& caller = *world.caller;
    Tcb& receiver = *world.receiver;
    REQUIRE(fastpath_call(caller, world.k.scheduler, kCallTime));
    ReplyObject& reply = world.k.reply_object(kReply);
    CHECK(world.k.scheduler.current() == &receiver);
    CHECK(receiver.state == ThreadState::Running);
    CHECK(receiver.registers.argument(kBadgeRegister) == kCallerBadge);
    CHECK(MessageInfo::from_word(receiver.registers.argument(kInfoRegister)) == info_of(3, 0x77));
    CHECK(IpcKernel::status_register(receiver) == IpcStatus::Ok);
    CHECK(world.k.words(receiver, 3) == std::vector<u64>{0xca110, 0xca111, 0xca112});
    CHECK(receiver.registers.argument(kFirstWordRegister + 3) == 0x7ec0 + 3); // beyond the message
    CHECK(caller.state == ThreadState::BlockedOnReply);
    CHECK(caller.ipc.waiting_on == reinterpret_cast<u64>(&reply));
    CHECK(reply.caller == &caller);
    CHECK(reply.receiver == nullptr);
    CHECK(reply.can_grant == 1);
    CHECK(world.k.endpoint(kEndpoint).state() == EndpointState::Idle);
    // The general path answers it: the fastpath left nothing it would trip over.
    load_syscall(receiver, kReply, info_of(1, 0x99), 0xa45, 0, Syscall::Reply);
    handle_ipc_syscall(receiver, Syscall::Reply);
    CHECK(IpcKernel::status_register(receiver) == IpcStatus::Ok);
    CHECK(caller.state == ThreadState::Running);
    CHECK(world.k.last_received(caller) == ReceivedMessage{info_of(1, 0x99), 0, IpcStatus::Ok});
    CHECK(world.k.words(caller, 1) == std::vector<u64>{0xa45});
}
