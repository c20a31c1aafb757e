// The ReplyRecv fastpath against the general path, as fastpath_call_test.cpp does for
// Call: a server answers the caller parked on its Reply object and waits again, either
// through fastpath_reply_recv or through the kernel's trap path (handle_ipc_syscall,
// kernel/sched/ipc_syscalls.cpp) followed by the scheduler's choice. Same picture when the
// fastpath's conditions hold; no change at all when one fails.
#include "fastpath_support.hpp"

using namespace ipctest;

namespace {

constexpr u64 kEndpoint = 20;
constexpr u64 kNotification = 21; // bound to the server in some scenarios
constexpr u64 kReply = 22;
constexpr u64 kSecondReply = 23;
constexpr u64 kServerCap = 30;       // what the server names in a0 of its ReplyRecv
constexpr u64 kFirstReceiveCap = 31; // what it received the Call with
constexpr u64 kOtherNotification = 32;
constexpr u64 kServerRunTime = 1;
constexpr u64 kCallTime = 100;
constexpr u64 kReplyTime = 2000;

// What the server names in a6.
enum class ReplyArgument : u8 { Reply, None, Endpoint, Unresolved };
// The server's bound notification.
enum class Bound : u8 { None, Idle, Pending };

struct ReplyRecvScenario {
    u64 length = 2;
    u64 label = 0x44;
    u64 extra_caps = 0;
    u64 unwrapped = 0; // bits user space left in the info word's receive-only field
    ReplyArgument reply_argument = ReplyArgument::Reply;
    bool caller_parked = true; // else the caller was suspended: the Reply object is empty
    Target target = Target::Endpoint;
    u8 rights = Rights::kMask;          // of the capability in a0
    bool first_receive_granted = true;  // the Call came through a receive with grant
    bool sender_queued = false;
    bool receiver_queued = false; // another receiver waits: the server queues behind it
    Bound bound = Bound::None;
    bool buffers = false;
    u8 server_priority = 10;
    u8 caller_priority = 20;
    std::vector<u8> others; // runnable threads in the ready queues

    // The conditions kernel/ipc/fastpath.cpp and docs/ipc.md list for ReplyRecv.
    bool fastpath_applies() const {
        return length <= kMessageRegisterCount && extra_caps == 0 && reply_argument == ReplyArgument::Reply &&
               caller_parked && target == Target::Endpoint && Rights{rights}.can_read() && !sender_queued &&
               bound != Bound::Pending && outranks(caller_priority, others);
    }

    std::string describe() const {
        return "length " + std::to_string(length) + " label " + std::to_string(label) + " extra " +
               std::to_string(extra_caps) + " unwrapped " + std::to_string(unwrapped) + " a6 " + std::to_string(static_cast<int>(reply_argument)) +
               " parked " + std::to_string(caller_parked) + " target " + target_name(target) + " rights " +
               std::to_string(rights) + " granted " + std::to_string(first_receive_granted) + " sender " +
               std::to_string(sender_queued) + " receiver " + std::to_string(receiver_queued) + " bound " +
               std::to_string(static_cast<int>(bound)) + " buffers " + std::to_string(buffers) +
               " priorities server " + std::to_string(server_priority) + " caller " +
               std::to_string(caller_priority) + " others " + priorities(others);
    }
};

u64 reply_pointer(ReplyArgument argument) {
    switch (argument) {
    case ReplyArgument::Reply: return kReply;
    case ReplyArgument::None: return kNoReplyObject;
    case ReplyArgument::Endpoint: return kEndpoint;
    case ReplyArgument::Unresolved: return kUnresolvedPointer;
    }
    return 0;
}

// The scenario up to the moment the server, the scheduler's current thread, makes its
// ReplyRecv: the caller's Call went through the general path and waits on kReply.
struct ReplyRecvWorld {
    IpcKernel k;
    IpcSnapshot picture{k};
    Tcb* server = nullptr;
    Tcb* caller = nullptr;

    explicit ReplyRecvWorld(const ReplyRecvScenario& s) {
        k.make_endpoint(kEndpoint);
        k.make_notification(kNotification);
        k.make_reply(kReply);
        k.make_reply(kSecondReply);
        k.make_notification(kOtherNotification);
        u64 target = s.target == Target::Notification ? kOtherNotification : kEndpoint;
        REQUIRE(k.copy(kServerCap, target, s.rights) == success());
        REQUIRE(k.copy(kFirstReceiveCap, kEndpoint, Rights::kRead | (s.first_receive_granted ? Rights::kGrant : 0)) ==
                success());
        picture.endpoint("endpoint", kEndpoint).notification("notification", kNotification);
        picture.notification("other notification", kOtherNotification);
        picture.reply("reply", kReply).reply("second", kSecondReply);

        // Each thread runs for a while before it waits: what is left of their time
        // slices must come out the same both ways.
        server = &k.thread(101, s.server_priority);
        picture.thread("server", *server);
        if (s.buffers) fill_buffer(k, *server, 0x5e0f0);
        if (s.bound != Bound::None) REQUIRE(bind_notification(*server, k.cap(kNotification)).ok());
        k.dispatch(*server, kServerRunTime);
        k.scheduler.tick(kServerRunTime + 15);
        load_syscall(*server, kFirstReceiveCap, MessageInfo{}, 0x7ec0, kReply, Syscall::Recv);
        REQUIRE(k.receive(*server, kFirstReceiveCap, Blocking::Yes, kReply) == ReceiveOutcome::Blocked);

        caller = &k.thread(100, s.caller_priority);
        picture.thread("caller", *caller);
        if (s.buffers) fill_buffer(k, *caller, 0xca0f0);
        k.dispatch(*caller, kCallTime);
        k.scheduler.tick(kCallTime + 35);
        load_syscall(*caller, kEndpoint, info_of(2, 0xca11), 0xca110, 0x6666, Syscall::Call);
        REQUIRE(handle_endpoint_call(*caller));
        REQUIRE(caller->state == ThreadState::BlockedOnReply);
        k.dispatch(*server, kCallTime + 40);
        k.scheduler.tick(kCallTime + 50);
        if (!s.caller_parked) REQUIRE(k.call(100, InvocationLabel::TcbSuspend, {}) == success());

        if (s.sender_queued) {
            Tcb& sender = k.thread(102, 1);
            picture.thread("sender", sender);
            REQUIRE(k.send(sender, kEndpoint, {0x5e}) == SendOutcome::Blocked);
        }
        if (s.receiver_queued) {
            Tcb& receiver = k.thread(103, 1);
            picture.thread("receiver", receiver);
            REQUIRE(k.receive(receiver, kFirstReceiveCap, Blocking::Yes, kSecondReply) == ReceiveOutcome::Blocked);
        }
        if (s.bound == Bound::Pending) k.signal(kNotification);
        for (u64 i = 0; i < s.others.size(); ++i)
            picture.thread("other" + std::to_string(i), k.thread(110 + i, s.others[i]));

        u64 pointer = s.target == Target::Unresolved ? kUnresolvedPointer : kServerCap;
        MessageInfo info = info_of(s.length, s.label, s.extra_caps);
        info.caps_unwrapped = s.unwrapped;
        load_syscall(*server, pointer, info, 0xa45, reply_pointer(s.reply_argument), Syscall::ReplyRecv);
    }
};

// True when the fastpath took it.
bool check_reply_recv(const ReplyRecvScenario& s) {
    INFO(s.describe());
    return compare_with_general_path<ReplyRecvWorld>(
        s, s.fastpath_applies(), kReplyTime,
        [](ReplyRecvWorld& world) { return fastpath_reply_recv(*world.server, world.k.scheduler, kReplyTime); },
        [](ReplyRecvWorld& world) { handle_ipc_syscall(*world.server, Syscall::ReplyRecv); },
        [](ReplyRecvWorld& world) { return world.caller; });
}

} // namespace

TEST_CASE("Fastpath ReplyRecv: the general path's state, for callers above, at and below the server") {
    u64 taken = 0;
    u64 declined = 0;
    for (u8 server_priority : {5, 10, 30})
        for (u8 caller_priority : {5, 10, 20})
            for (const std::vector<u8>& others : std::vector<std::vector<u8>>{
                     {}, {3}, {4, 9}, {10}, {10, 10}, {19}, {20}, {25}, {3, 20, 7}}) {
                ReplyRecvScenario s;
                s.server_priority = server_priority;
                s.caller_priority = caller_priority;
                s.others = others;
                (check_reply_recv(s) ? taken : declined)++;
            }
    // Both kinds occur, so neither half of the comparison is vacuous.
    CHECK(taken > 0);
    CHECK(declined > 0);
}

TEST_CASE("Fastpath ReplyRecv: the general path's state for every short answer, right, queue and binding") {
    for (u64 length = 0; length <= kMessageRegisterCount; ++length)
        for (bool granted : {true, false})
            for (bool buffers : {false, true})
                for (bool receiver_queued : {false, true})
                    for (Bound bound : {Bound::None, Bound::Idle})
                        for (u8 rights : {Rights::kMask, Rights::kRead}) {
                            ReplyRecvScenario s;
                            s.length = length;
                            s.label = length == 3 ? u64{1} << 51 : 0x20 + length;
                            s.unwrapped = length % 2 == 1 ? 0b110 : 0;
                            s.first_receive_granted = granted;
                            s.buffers = buffers;
                            s.receiver_queued = receiver_queued;
                            s.bound = bound;
                            s.rights = rights;
                            s.others = {3, 19};
                            CHECK(check_reply_recv(s));
                        }
}

TEST_CASE("Fastpath ReplyRecv: declines, changing nothing, when any condition fails") {
    auto failing = [](auto change) {
        ReplyRecvScenario s;
        s.others = {3, 19};
        change(s);
        REQUIRE_FALSE(s.fastpath_applies());
        CHECK_FALSE(check_reply_recv(s));
    };
    failing([](ReplyRecvScenario& s) { s.length = kMessageRegisterCount + 1; });
    failing([](ReplyRecvScenario& s) { s.length = MessageInfo::kMaxMessageLength; });
    failing([](ReplyRecvScenario& s) { s.extra_caps = 1; });
    failing([](ReplyRecvScenario& s) { s.reply_argument = ReplyArgument::None; });
    failing([](ReplyRecvScenario& s) { s.reply_argument = ReplyArgument::Endpoint; });
    failing([](ReplyRecvScenario& s) { s.reply_argument = ReplyArgument::Unresolved; });
    failing([](ReplyRecvScenario& s) { s.caller_parked = false; });
    failing([](ReplyRecvScenario& s) { s.target = Target::Notification; });
    failing([](ReplyRecvScenario& s) { s.target = Target::Unresolved; });
    failing([](ReplyRecvScenario& s) { s.rights = Rights::kWrite | Rights::kGrant | Rights::kGrantReply; });
    failing([](ReplyRecvScenario& s) { s.sender_queued = true; });
    failing([](ReplyRecvScenario& s) { s.bound = Bound::Pending; });
    failing([](ReplyRecvScenario& s) { s.others = {20}; }); // queued first at the caller's level
    failing([](ReplyRecvScenario& s) { s.others = {3, 40}; });
    {
        FastpathOff off;
        ReplyRecvScenario s;
        ReplyRecvWorld world(s);
        std::vector<std::string> before = world.picture.take(true);
        CHECK_FALSE(fastpath_reply_recv(*world.server, world.k.scheduler, kReplyTime));
        CHECK(first_difference(before, world.picture.take(true)) == "");
    }
}

TEST_CASE("Fastpath ReplyRecv: the caller runs with the answer, the server waits with the Reply object") {
    ReplyRecvScenario s;
    s.length = 4;
    s.label = 0x99;
    ReplyRecvWorld world(s);
    Tcb& server = *world.server;
    Tcb& caller = *world.caller;
    REQUIRE(fastpath_reply_recv(server, world.k.scheduler, kReplyTime));
    ReplyObject& reply = world.k.reply_object(kReply);
    CHECK(world.k.scheduler.current() == &caller);
    CHECK(caller.state == ThreadState::Running);
    CHECK(caller.ipc.waiting_on == 0);
    CHECK(caller.registers.argument(kBadgeRegister) == 0);
    CHECK(MessageInfo::from_word(caller.registers.argument(kInfoRegister)) == info_of(4, 0x99));
    CHECK(IpcKernel::status_register(caller) == IpcStatus::Ok);
    CHECK(world.k.words(caller, 4) == std::vector<u64>{0xa45, 0xa46, 0xa47, 0xa48});
    CHECK(server.state == ThreadState::BlockedOnReceive);
    CHECK(server.ipc.reply == &reply);
    CHECK(reply.caller == nullptr);
    CHECK(reply.receiver == &server);
    CHECK(IpcKernel::queue_of(world.k.endpoint(kEndpoint).queue) == std::vector<Tcb*>{&server});
    // The next Call, through the general path, finds the server as the fastpath left it.
    Tcb& next = world.k.thread(104, 50);
    world.k.dispatch(next, kReplyTime + 1);
    load_syscall(next, kEndpoint, info_of(1, 5), 0x1e0, 0, Syscall::Call);
    REQUIRE(handle_endpoint_call(next));
    CHECK(next.state == ThreadState::BlockedOnReply);
    CHECK(reply.caller == &next);
    CHECK(server.state == ThreadState::Running);
    CHECK(world.k.words(server, 1) == std::vector<u64>{0x1e0});
}
