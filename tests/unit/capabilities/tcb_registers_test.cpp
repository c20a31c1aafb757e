// TCB.ReadRegisters, WriteRegisters and CopyRegisters: round trips in the UserContext
// order (word 0 the pc, word i the register x[i]), the frame/integer split of CopyRegisters,
// the state changes they may ask for, self-invocation, and every error.
#include "tcb_fixture.hpp"

#include <arch/user_context.hpp>

using namespace captest;

namespace {

using L = InvocationLabel;

constexpr u64 kCaller = 10, kTarget = 11, kSource = 12, kCNode = 13;
constexpr u64 kWords = arch::kUserContextWords;

struct World {
    ThreadKernel k;
    Tcb* caller;
    Tcb* target;
    Tcb* source;
    World() {
        caller = &k.make_tcb(kCaller, 10, 10);
        target = &k.make_tcb(kTarget, 5, 0);
        source = &k.make_tcb(kSource, 5, 0);
        k.make(ObjectType::CNode, kCNode, 2);
    }
    CallOptions as_caller(std::vector<u64>* reply = nullptr) {
        CallOptions options;
        options.caller = caller;
        options.reply_words = reply;
        return options;
    }
    Reply read(u64 thread, u64 count, std::vector<u64>* reply) {
        return k.call(thread, L::TcbReadRegisters, {count}, {}, as_caller(reply));
    }
    Reply write(u64 thread, u64 resume, const std::vector<u64>& registers) {
        std::vector<u64> words{resume, registers.size()};
        words.insert(words.end(), registers.begin(), registers.end());
        return k.call(thread, L::TcbWriteRegisters, words, {}, as_caller());
    }
    Reply copy(u64 thread, u64 suspend_source, u64 resume_target, u64 frame, u64 integer, u64 from = kSource) {
        return k.call(thread, L::TcbCopyRegisters, {suspend_source, resume_target, frame, integer}, {from},
                      as_caller());
    }
};

std::vector<u64> pattern(u64 base) {
    std::vector<u64> words(kWords);
    for (u64 i = 0; i < kWords; ++i) words[i] = base + i;
    return words;
}

// The frame words: the pc and ra, sp, gp, tp, s0..s11 (arch/user_context.hpp).
bool is_frame_word(u64 index) {
    return index == 0 || index == 1 || index == 2 || index == 3 || index == 4 || index == 8 || index == 9 ||
           (index >= 18 && index <= 27);
}

} // namespace

TEST_CASE("TCB.WriteRegisters and ReadRegisters round trip in UserContext order") {
    World w;
    w.target->registers.sstatus = 0x1234;
    w.target->registers.scause = 8;
    REQUIRE(w.write(kTarget, 0, pattern(0x1000)) == success());
    CHECK(w.target->registers.sepc == 0x1000); // word 0 is the pc
    for (u64 i = 1; i < kWords; ++i) CHECK(w.target->registers.x[i] == 0x1000 + i);
    CHECK(w.target->registers.x[0] == 0); // x0 is never written
    // Not user registers: the status word and the trap details stay as they were.
    CHECK(w.target->registers.sstatus == 0x1234);
    CHECK(w.target->registers.scause == 8);
    CHECK(w.target->state == ThreadState::Inactive);

    std::vector<u64> reply;
    REQUIRE(w.read(kTarget, kWords, &reply) == success());
    CHECK(reply == pattern(0x1000));
    REQUIRE(w.read(kTarget, 3, &reply) == success());
    CHECK(reply == std::vector<u64>{0x1000, 0x1001, 0x1002});

    // A partial write changes the first `count` words only.
    REQUIRE(w.write(kTarget, 0, {0x7777, 0x8888}) == success());
    REQUIRE(w.read(kTarget, 4, &reply) == success());
    CHECK(reply == std::vector<u64>{0x7777, 0x8888, 0x1002, 0x1003});
    REQUIRE(w.write(kTarget, 0, {}) == success());
}

TEST_CASE("TCB.ReadRegisters: words beyond the reply's room are dropped") {
    World w;
    REQUIRE(w.write(kTarget, 0, pattern(50)) == success());
    std::vector<u64> reply;
    CallOptions options = w.as_caller(&reply);
    options.reply_room = 4; // no IPC buffer: the message registers only
    REQUIRE(w.k.call(kTarget, L::TcbReadRegisters, {kWords}, {}, options) == success());
    CHECK(reply == std::vector<u64>{50, 51, 52, 53});
}

TEST_CASE("TCB.WriteRegisters with resume starts a stopped thread; a running one just gets the registers") {
    World w;
    REQUIRE(w.write(kTarget, 1, pattern(0x400)) == success());
    CHECK(w.target->state == ThreadState::Running);
    CHECK(w.k.scheduler.choose(0) == w.target);
    REQUIRE(w.write(kTarget, 1, {0x500}) == success());
    CHECK(w.target->registers.sepc == 0x500);
    CHECK(w.k.scheduler.current() == w.target);
    CHECK_FALSE(w.target->schedule.queued());
}

TEST_CASE("TCB.CopyRegisters: the frame and the integer registers are separate choices") {
    World w;
    REQUIRE(w.write(kSource, 0, pattern(0x100)) == success());
    auto reset_target = [&] { REQUIRE(w.write(kTarget, 0, pattern(0x900)) == success()); };
    std::vector<u64> reply;

    reset_target();
    REQUIRE(w.copy(kTarget, 0, 0, 1, 0) == success());
    REQUIRE(w.read(kTarget, kWords, &reply) == success());
    for (u64 i = 0; i < kWords; ++i) CHECK(reply[i] == (is_frame_word(i) ? 0x100 : 0x900) + i);

    reset_target();
    REQUIRE(w.copy(kTarget, 0, 0, 0, 1) == success());
    REQUIRE(w.read(kTarget, kWords, &reply) == success());
    for (u64 i = 0; i < kWords; ++i) CHECK(reply[i] == (is_frame_word(i) ? 0x900 : 0x100) + i);

    reset_target();
    REQUIRE(w.copy(kTarget, 0, 0, 1, 1) == success());
    REQUIRE(w.read(kTarget, kWords, &reply) == success());
    CHECK(reply == pattern(0x100));

    reset_target();
    REQUIRE(w.copy(kTarget, 0, 0, 0, 0) == success());
    REQUIRE(w.read(kTarget, kWords, &reply) == success());
    CHECK(reply == pattern(0x900));
    // The frame set is the one arch/user_context.hpp names.
    for (unsigned number = 1; number < kWords; ++number) CHECK(arch::is_frame_register(number) == is_frame_word(number));
}

TEST_CASE("TCB.CopyRegisters suspends the source and resumes the target when asked") {
    World w;
    REQUIRE(w.k.call(kSource, L::TcbResume, {}) == success());
    REQUIRE(w.copy(kTarget, 1, 0, 1, 1) == success());
    CHECK(w.source->state == ThreadState::Inactive);
    CHECK_FALSE(w.source->schedule.queued());
    CHECK(w.target->state == ThreadState::Inactive);
    REQUIRE(w.copy(kTarget, 0, 1, 1, 1) == success());
    CHECK(w.target->state == ThreadState::Running);
    CHECK(w.target->schedule.queued());
    CHECK(w.source->state == ThreadState::Inactive);
}

TEST_CASE("TCB register operations on the calling thread itself are refused") {
    World w;
    Unchanged unchanged(w.k);
    std::vector<u64> reply;
    CHECK(w.read(kCaller, 1, &reply) == error(ErrorCode::IllegalOperation));
    CHECK(w.write(kCaller, 0, {1, 2}) == error(ErrorCode::IllegalOperation));
    CHECK(w.copy(kCaller, 0, 0, 1, 1) == error(ErrorCode::IllegalOperation));               // as target
    CHECK(w.copy(kTarget, 0, 0, 1, 1, kCaller) == error(ErrorCode::IllegalOperation));      // as source
    CHECK(w.caller->registers.sepc == 0);
    CHECK(w.target->registers.sepc == 0);
}

TEST_CASE("TCB register operation errors") {
    World w;
    REQUIRE(w.write(kTarget, 0, pattern(0x300)) == success());
    Unchanged unchanged(w.k);
    std::vector<u64> reply;
    SECTION("ReadRegisters") {
        CHECK(w.k.call(kTarget, L::TcbReadRegisters, {}, {}, w.as_caller(&reply)) == error(ErrorCode::TruncatedMessage));
        CHECK(w.read(kTarget, 0, &reply) == error(ErrorCode::RangeError, {1, kWords}));
        CHECK(w.read(kTarget, kWords + 1, &reply) == error(ErrorCode::RangeError, {1, kWords}));
        CallOptions nowhere = w.as_caller();
        nowhere.no_reply = true;
        CHECK(w.k.call(kTarget, L::TcbReadRegisters, {1}, {}, nowhere) == error(ErrorCode::IllegalOperation));
    }
    SECTION("WriteRegisters") {
        CHECK(w.k.call(kTarget, L::TcbWriteRegisters, {0}, {}, w.as_caller()) == error(ErrorCode::TruncatedMessage));
        CHECK(w.k.call(kTarget, L::TcbWriteRegisters, {0, 3, 1, 2}, {}, w.as_caller()) ==
              error(ErrorCode::TruncatedMessage));
        std::vector<u64> too_many{0, kWords + 1};
        too_many.resize(2 + kWords + 1, 9);
        CHECK(w.k.call(kTarget, L::TcbWriteRegisters, too_many, {}, w.as_caller()) ==
              error(ErrorCode::RangeError, {0, kWords}));
        CHECK(w.write(kTarget, 2, {1}) == error(ErrorCode::InvalidArgument, {0}));
        thread_control() = ThreadControl{};
        CHECK(w.write(kTarget, 1, {1}) == error(ErrorCode::IllegalOperation));
    }
    SECTION("CopyRegisters") {
        CHECK(w.k.call(kTarget, L::TcbCopyRegisters, {0, 0, 1}, {kSource}, w.as_caller()) ==
              error(ErrorCode::TruncatedMessage));
        CHECK(w.k.call(kTarget, L::TcbCopyRegisters, {0, 0, 1, 1}, {}, w.as_caller()) ==
              error(ErrorCode::TruncatedMessage));
        for (u64 flag = 0; flag < 4; ++flag) {
            std::vector<u64> words{0, 0, 0, 0};
            words[flag] = 2;
            CHECK(w.k.call(kTarget, L::TcbCopyRegisters, words, {kSource}, w.as_caller()) ==
                  error(ErrorCode::InvalidArgument, {flag}));
        }
        CHECK(w.copy(kTarget, 0, 0, 1, 1, kCNode) == error(ErrorCode::InvalidCapability, {1}));
        CHECK(w.copy(kTarget, 0, 0, 1, 1, 30) == error(ErrorCode::InvalidCapability, {1})); // empty slot
        thread_control() = ThreadControl{};
        CHECK(w.copy(kTarget, 1, 0, 1, 1) == error(ErrorCode::IllegalOperation));
        CHECK(w.copy(kTarget, 0, 1, 1, 1) == error(ErrorCode::IllegalOperation));
    }
    CHECK(w.k.call(kTarget, L::TcbReadRegisters, {kWords}, {}, w.as_caller(&reply)) == success());
    CHECK(reply == pattern(0x300));
    CHECK(w.target->state == ThreadState::Inactive);
}
