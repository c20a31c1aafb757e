// TCB.SetPriority and SetMCPriority (the MCP rule), the requeue on a priority change,
// Suspend and Resume, SetName, and the labels a TCB does not answer.
#include "tcb_fixture.hpp"

#include <cstring>

using namespace captest;

namespace {

using L = InvocationLabel;

constexpr u64 kSelf = 10, kLow = 11, kOther = 12, kTarget = 13, kCNode = 14;

struct World {
    ThreadKernel k;
    Tcb* self;   // the calling thread: MCP 100
    Tcb* low;    // a thread of MCP 10
    Tcb* target; // the thread being changed
    World() {
        self = &k.make_tcb(kSelf, 50, 100);
        low = &k.make_tcb(kLow, 10, 10);
        k.make_tcb(kOther, 0, 255);
        target = &k.make_tcb(kTarget, 5, 0);
        k.make(ObjectType::CNode, kCNode, 2);
    }
    Reply set_priority(u64 thread, u64 value, u64 authority) {
        CallOptions options;
        options.caller = self;
        return k.call(thread, L::TcbSetPriority, {value}, {authority}, options);
    }
    Reply set_mcp(u64 thread, u64 value, u64 authority) {
        CallOptions options;
        options.caller = self;
        return k.call(thread, L::TcbSetMCPriority, {value}, {authority}, options);
    }
};

} // namespace

TEST_CASE("TCB.SetPriority: up to the authority's MCP, no further") {
    World w;
    CHECK(w.set_priority(kTarget, 100, kSelf) == success());
    CHECK(w.target->schedule.priority == 100);
    CHECK(w.set_priority(kTarget, 0, kSelf) == success());
    CHECK(w.target->schedule.priority == 0);
    CHECK(w.set_priority(kTarget, 101, kSelf) == error(ErrorCode::RangeError, {0, 100}));
    CHECK(w.set_priority(kTarget, u64{1} << 40, kSelf) == error(ErrorCode::RangeError, {0, 100}));
    CHECK(w.target->schedule.priority == 0);
}

TEST_CASE("TCB.SetPriority: a thread cannot raise itself above its own MCP") {
    World w;
    CHECK(w.set_priority(kSelf, 100, kSelf) == success());
    CHECK(w.set_priority(kSelf, 101, kSelf) == error(ErrorCode::RangeError, {0, 100}));
    CHECK(w.set_mcp(kSelf, 101, kSelf) == error(ErrorCode::RangeError, {0, 100}));
    // Lowering its own MCP is for good: it cannot raise it back.
    CHECK(w.set_mcp(kSelf, 60, kSelf) == success());
    CHECK(w.self->max_controlled_priority == 60);
    CHECK(w.set_mcp(kSelf, 100, kSelf) == error(ErrorCode::RangeError, {0, 60}));
    CHECK(w.set_priority(kSelf, 61, kSelf) == error(ErrorCode::RangeError, {0, 60}));
}

TEST_CASE("TCB.SetPriority: an authority of lower MCP cannot help") {
    World w;
    // The caller holds a capability to a thread of MCP 10: that is all the authority it gives.
    CHECK(w.set_priority(kTarget, 50, kLow) == error(ErrorCode::RangeError, {0, 10}));
    CHECK(w.set_mcp(kTarget, 11, kLow) == error(ErrorCode::RangeError, {0, 10}));
    CHECK(w.set_priority(kTarget, 10, kLow) == success());
    CHECK(w.set_mcp(kTarget, 10, kLow) == success());
    CHECK(w.target->max_controlled_priority == 10);
    // A thread's own MCP does not limit what it is given: only the authority's counts.
    CHECK(w.set_mcp(kTarget, 255, kOther) == success());
    CHECK(w.target->max_controlled_priority == 255);
}

TEST_CASE("TCB.SetPriority and SetMCPriority errors") {
    World w;
    Unchanged unchanged(w.k);
    for (L label : {L::TcbSetPriority, L::TcbSetMCPriority}) {
        CHECK(w.k.call(kTarget, label, {}, {kSelf}) == error(ErrorCode::TruncatedMessage));
        CHECK(w.k.call(kTarget, label, {1}) == error(ErrorCode::TruncatedMessage));
        CHECK(w.k.call(kTarget, label, {1}, {kCNode}) == error(ErrorCode::InvalidCapability, {1}));
        CHECK(w.k.call(kTarget, label, {1}, {30}) == error(ErrorCode::InvalidCapability, {1})); // empty slot
    }
    CHECK(w.target->schedule.priority == 5);
    CHECK(w.target->max_controlled_priority == 0);
}

TEST_CASE("TCB.SetPriority requeues a queued thread and lets the scheduler compare the running one") {
    World w;
    Scheduler& s = w.k.scheduler;
    Tcb& a = *w.low;    // priority 10
    Tcb& b = *w.target; // priority 5
    Tcb& c = w.k.tcb(kOther);
    c.schedule.priority = 10;
    REQUIRE(w.k.call(kLow, L::TcbResume, {}) == success());
    REQUIRE(w.k.call(kTarget, L::TcbResume, {}) == success());
    REQUIRE(w.k.call(kOther, L::TcbResume, {}) == success());
    REQUIRE(s.choose(0) == &a); // a runs; c waits at 10, b at 5

    // A queued thread raised above the running one moves to its new level: it runs next.
    REQUIRE(w.set_priority(kTarget, 20, kSelf) == success());
    CHECK(s.queues().highest_priority() == 20);
    CHECK(s.choose(1) == &b);
    // Lowered below the waiting ones, the running thread gives way at the next decision.
    REQUIRE(w.set_priority(kTarget, 1, kSelf) == success());
    CHECK(b.schedule.priority == 1);
    CHECK_FALSE(b.schedule.queued()); // still current until the scheduler decides
    CHECK(s.choose(2) == &a);         // a was preempted earlier: it kept its turn before c
    // A queued thread moved to a level joins it at the back.
    REQUIRE(w.set_priority(kOther, 1, kSelf) == success());
    REQUIRE(w.k.call(kLow, L::TcbSuspend, {}) == success());
    CHECK(s.choose(3) == &b);
    REQUIRE(w.k.call(kTarget, L::TcbSuspend, {}) == success());
    CHECK(s.choose(4) == &c);
    // A stopped thread only changes its number.
    REQUIRE(w.set_priority(kLow, 7, kSelf) == success());
    CHECK(a.schedule.priority == 7);
    CHECK_FALSE(a.schedule.queued());
}

TEST_CASE("TCB.Resume and Suspend change the thread state") {
    World w;
    Scheduler& s = w.k.scheduler;
    Tcb& t = *w.target;
    REQUIRE(t.state == ThreadState::Inactive);
    REQUIRE(w.k.call(kTarget, L::TcbResume, {}) == success());
    CHECK(t.state == ThreadState::Running);
    CHECK(t.schedule.queued());
    // Resuming a runnable thread changes nothing (it is queued once; Restart stays Restart).
    t.state = ThreadState::Restart;
    REQUIRE(w.k.call(kTarget, L::TcbResume, {}) == success());
    CHECK(t.state == ThreadState::Restart);
    CHECK(s.choose(0) == &t);
    CHECK(s.choose(1) == &t);
    REQUIRE(w.k.call(kTarget, L::TcbResume, {}) == success()); // the running thread
    CHECK(s.current() == &t);
    CHECK_FALSE(t.schedule.queued());

    // Suspend: off the CPU and the queues, Inactive; twice is harmless.
    REQUIRE(w.k.call(kTarget, L::TcbSuspend, {}) == success());
    CHECK(t.state == ThreadState::Inactive);
    CHECK(s.current() == nullptr);
    CHECK(s.choose(2) == nullptr);
    REQUIRE(w.k.call(kTarget, L::TcbSuspend, {}) == success());
    CHECK(t.state == ThreadState::Inactive);

    // A thread the kernel stopped after a fault can be resumed.
    t.state = ThreadState::Suspended;
    REQUIRE(w.k.call(kTarget, L::TcbResume, {}) == success());
    CHECK(t.state == ThreadState::Running);
    CHECK(s.choose(3) == &t);
}

TEST_CASE("TCB.Suspend of the calling thread itself") {
    World w;
    Scheduler& s = w.k.scheduler;
    REQUIRE(w.k.call(kSelf, L::TcbResume, {}) == success());
    REQUIRE(s.choose(0) == w.self);
    CallOptions options;
    options.caller = w.self;
    REQUIRE(w.k.call(kSelf, L::TcbSuspend, {}, {}, options) == success());
    CHECK(w.self->state == ThreadState::Inactive);
    CHECK(s.current() == nullptr);
    CHECK(s.choose(1) == nullptr);
}

TEST_CASE("TCB: without the scheduler hooks, the operations that need them are refused") {
    World w;
    thread_control() = ThreadControl{};
    Unchanged unchanged(w.k);
    CHECK(w.k.call(kTarget, L::TcbResume, {}) == error(ErrorCode::IllegalOperation));
    CHECK(w.k.call(kTarget, L::TcbSuspend, {}) == error(ErrorCode::IllegalOperation));
    CHECK(w.set_priority(kTarget, 1, kSelf) == error(ErrorCode::IllegalOperation));
    CHECK(w.target->schedule.priority == 5);
    CHECK(w.target->state == ThreadState::Inactive);
    // SetMCPriority needs no scheduler.
    CHECK(w.set_mcp(kTarget, 1, kSelf) == success());
}

TEST_CASE("TCB.SetName: up to 15 bytes, always terminated") {
    World w;
    auto pack = [](const char* text) {
        std::vector<u64> words(2, 0);
        std::memcpy(words.data(), text, std::strlen(text));
        return words;
    };
    REQUIRE(w.k.call(kTarget, L::TcbSetName, pack("worker")) == success());
    CHECK(std::string(w.target->name) == "worker");
    REQUIRE(w.k.call(kTarget, L::TcbSetName, {~u64{0}, ~u64{0}}) == success());
    CHECK(std::strlen(w.target->name) == 15);
    REQUIRE(w.k.call(kTarget, L::TcbSetName, pack("0123456789abcde")) == success());
    CHECK(std::string(w.target->name) == "0123456789abcde");
    CHECK(w.k.call(kTarget, L::TcbSetName, {0x41}) == error(ErrorCode::TruncatedMessage));
    CHECK(std::string(w.target->name) == "0123456789abcde");
}

TEST_CASE("TCB: labels that are no TCB operation are refused") {
    World w;
    Unchanged unchanged(w.k);
    for (u64 label : {u64{0}, u64{2}, u64{15}, u64{30}, u64{32}, u64{40}, ~u64{0} >> 12})
        CHECK(w.k.call(kTarget, static_cast<L>(label), {0, 0, 0, 0}, {kSelf}) == error(ErrorCode::IllegalOperation));
}
