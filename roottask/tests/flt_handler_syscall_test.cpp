// An unknown system call emulated by the fault handler: the message carries the ecall's
// pc, sp and ra, a0..a7 as they were and the number; the handler answers pc + 4 with
// results in a0 and a1, and the thread continues after its ecall seeing them, its other
// argument registers untouched.
#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

namespace {

constexpr u64 kBadge = 0xf109;
constexpr u64 kNumber = 0x7e56; // no system call of the kernel
constexpr u64 kArguments[kSyscallArgumentWords] = {0xa0a0, 0xa1a1, 0xa2a2, 0xa3a3, 0xa4a4, 0xa5a5, 0xa6a6, kNumber};
constexpr u64 kResult0 = 0x600d'0000'0000'0109;
constexpr u64 kResult1 = 0x5ca1'ab1e;

SyscallRun g_syscall;

void unknown_syscall_thread(u64) { make_system_call(kArguments, g_syscall); }

} // namespace

ROOTTASK_TEST(FLT0109, "an unknown system call arrives with pc, sp, ra, a0..a7 and its number; answered pc + 4 and a0, a1, the thread sees them") {
    for (auto& word : g_syscall.after) word = 0;
    g_syscall.done = false;
    FaultChannel channel = REQUIRE_OK(t, make_fault_channel(t, kBadge));
    user::Tcb thread = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-syscall", unknown_syscall_thread, 0, kRoot + 1, channel.handler_cap));
    REQUIRE_OK(t, thread.resume());
    t.expect(!g_syscall.done, "the unknown system call returned unanswered");

    const u64 ecall = reinterpret_cast<u64>(flt_h_unknown_ecall);
    arch::UserContext registers = REQUIRE_OK(t, thread.read_registers());
    expect_fault(t, "the fault", take_fault(channel),
                 unknown_syscall(kBadge, ecall, registers.reg(2), registers.reg(1), kArguments));

    user::FaultAnswer emulated = skip_instruction(ecall).set_argument(0, kResult0).set_argument(1, kResult1);
    t.expect(emulated.mask() == (fault_reply_bit(FaultReplyRegister::ProgramCounter) | fault_reply_argument_bit(0) |
                                 fault_reply_argument_bit(1)),
             "the answer's mask is {}", kstd::Hex{emulated.mask()});
    IpcStatus answered = answer(channel, emulated);
    t.expect(answered == IpcStatus::Ok, "the handler's Reply: {}", answered);

    t.expect(g_syscall.done, "answered, the thread did not continue after its ecall");
    const u64 expected[kSyscallArgumentWords] = {kResult0,     kResult1,     kArguments[2], kArguments[3],
                                                 kArguments[4], kArguments[5], kArguments[6], kArguments[7]};
    for (u64 i = 0; i < kSyscallArgumentWords; ++i)
        t.expect(g_syscall.after[i] == expected[i], "after the ecall a{} is {}, expected {}", i,
                 kstd::Hex{g_syscall.after[i]}, kstd::Hex{expected[i]});
    t.expect(g_syscall.sp == registers.reg(2) && g_syscall.ra == registers.reg(1),
             "the thread saw sp {} ra {} at its ecall; the kernel had {} and {}", kstd::Hex{g_syscall.sp},
             kstd::Hex{g_syscall.ra}, kstd::Hex{registers.reg(2)}, kstd::Hex{registers.reg(1)});
    t.expect(take_fault(channel).status == IpcStatus::NothingPending, "a second fault arrived");
    stop(t, thread);
}
