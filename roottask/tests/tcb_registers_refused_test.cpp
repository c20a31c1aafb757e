// The register invocations' refusals, each with its exact error, and that a refused one
// changed nothing: counts out of range, flags that are not 0 or 1, too few words, a
// source that is no TCB, an unknown label, and the caller's own registers.
#include "sch_support.hpp"

using namespace tessera;
using namespace tessera::roottask::sched_tests;

namespace {

user::Result<void> send(user::Tcb tcb, const user::Request& request) {
    user::Reply reply;
    return user::invoke(tcb.cap(), request, reply);
}

} // namespace

ROOTTASK_TEST(TCB0005, "Read/Write/CopyRegisters refuse bad counts, flags and the caller itself, changing nothing") {
    user::Tcb tcb(REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb)));
    arch::UserContext written{};
    written.pc = 0x10000;
    for (unsigned i = 1; i <= 31; ++i) written.reg(i) = 0x100 + i;
    REQUIRE_OK(t, tcb.write_registers(written, false));

    auto none = tcb.read_registers(0);
    t.expect(failed_with(none, range_error(1, 32)), "ReadRegisters(0): {}", outcome(none));
    auto too_many_read = send(tcb, user::Request(InvocationLabel::TcbReadRegisters).word(33));
    t.expect(failed_with(too_many_read, range_error(1, 32)), "ReadRegisters(33): {}", outcome(too_many_read));

    user::Request too_many_written(InvocationLabel::TcbWriteRegisters);
    too_many_written.word(0).word(33);
    for (int i = 0; i < 33; ++i) too_many_written.word(0xbad);
    auto refused_count = send(tcb, too_many_written);
    t.expect(failed_with(refused_count, range_error(0, 32)), "WriteRegisters of 33: {}", outcome(refused_count));
    auto short_message = send(tcb, user::Request(InvocationLabel::TcbWriteRegisters).word(0).word(5).word(0xbad));
    t.expect(failed_with(short_message, kernel_error(ErrorCode::TruncatedMessage)),
             "WriteRegisters of 5 with 1 word: {}", outcome(short_message));
    auto bad_flag = send(tcb, user::Request(InvocationLabel::TcbWriteRegisters).word(2).word(1).word(0xbad));
    t.expect(failed_with(bad_flag, invalid_argument(0)), "WriteRegisters with resume 2: {}", outcome(bad_flag));

    user::Tcb other(REQUIRE_OK(t, t.objects().allocate(ObjectType::Tcb)));
    for (u64 flag = 0; flag < 4; ++flag) {
        user::Request copy(InvocationLabel::TcbCopyRegisters);
        for (u64 word = 0; word < 4; ++word) copy.word(word == flag ? 2 : 1);
        copy.cap(other.cap());
        auto refused = send(tcb, copy);
        t.expect(failed_with(refused, invalid_argument(flag)), "CopyRegisters with flag {} = 2: {}", flag,
                 outcome(refused));
    }
    auto not_a_tcb = tcb.copy_registers(user::Tcb(t.own_cnode().cap()), user::TcbCopyRegisterSets{});
    t.expect(failed_with(not_a_tcb, invalid_capability(1)), "CopyRegisters from a CNode: {}", outcome(not_a_tcb));
    auto unknown = send(tcb, user::Request(InvocationLabel::FrameGetAddress));
    t.expect(failed_with(unknown, kernel_error(ErrorCode::IllegalOperation)), "a Frame label on a TCB: {}",
             outcome(unknown));

    // The caller's own registers are those of the call in progress.
    user::Tcb self = root_tcb();
    auto read_self = self.read_registers();
    t.expect(failed_with(read_self, kernel_error(ErrorCode::IllegalOperation)), "ReadRegisters of itself: {}",
             outcome(read_self));
    auto write_self = self.write_registers(written, false);
    t.expect(failed_with(write_self, kernel_error(ErrorCode::IllegalOperation)), "WriteRegisters of itself: {}",
             outcome(write_self));
    auto copy_from_self = tcb.copy_registers(self, user::TcbCopyRegisterSets{});
    auto copy_to_self = self.copy_registers(tcb, user::TcbCopyRegisterSets{});
    t.expect(failed_with(copy_from_self, kernel_error(ErrorCode::IllegalOperation)) &&
                 failed_with(copy_to_self, kernel_error(ErrorCode::IllegalOperation)),
             "CopyRegisters from itself: {}, to itself: {}", outcome(copy_from_self), outcome(copy_to_self));

    // None of that touched the target.
    arch::UserContext read = REQUIRE_OK(t, tcb.read_registers());
    bool unchanged = read.pc == written.pc;
    for (unsigned i = 1; i <= 31; ++i) unchanged = unchanged && read.reg(i) == written.reg(i);
    t.expect(unchanged, "a refused invocation changed the registers (pc {}, ra {})", kstd::Hex{read.pc},
             kstd::Hex{read.reg(1)});
}
