// Nested faults. The outer thread makes an unknown system call; its handler (a thread)
// emulates it with a value from a table page that is not mapped yet, so the handler
// faults in turn. Its own fault goes to its own handler, the root task, which maps the
// table and answers; the first handler then goes on, answers the outer thread's fault,
// and the outer thread continues with the emulated result. Each handler sees its own
// fault endpoint's badge.
#include <userlib/address_space.hpp>

#include "fault_support.hpp"

using namespace tessera;
using namespace tessera::roottask::fault_tests;

extern "C" {
extern const char flt_h_inner_load[];
}

namespace {

constexpr u64 kOuterBadge = 0xf113'0001;
constexpr u64 kInnerBadge = 0xf113'0002;
constexpr u64 kNumber = 0x7e57;
constexpr u64 kArgument = 5;
constexpr u64 kRegisters[kSyscallArgumentWords] = {kArgument, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, kNumber};
constexpr u64 kTableValue = 37; // what the root task puts in the table

// Priorities: the outer thread above its handler, which is above the root task.
constexpr u64 kOuterPriority = kRoot + 3;
constexpr u64 kInnerPriority = kRoot + 2;

EventLog g_events;
HandlerThread g_inner;
u64 g_table; // the table page's address, unmapped until the root task maps it

SyscallRun g_outer;

void outer_thread(u64) {
    g_events.add('a');
    make_system_call(kRegisters, g_outer);
    g_events.add('A');
}

// The first handler's emulation: a0 plus the table's first word. The load faults the
// first time (the table is not mapped) and runs again once the root task has answered.
[[gnu::noinline]] u64 load_table(u64 address) {
    u64 value;
    asm volatile(".option push\n"
                 ".option norvc\n"
                 ".globl flt_h_inner_load\n"
                 "flt_h_inner_load:\n"
                 "  ld %0, 0(%1)\n"
                 ".option pop\n"
                 : "=r"(value)
                 : "r"(address)
                 : "memory");
    return value;
}

user::FaultAnswer emulate(const FaultRecord& fault) {
    u64 argument = fault.words[static_cast<u64>(UnknownSyscallWord::FirstArgument)];
    u64 value = load_table(g_table);
    g_events.add('f');
    return user::FaultAnswer()
        .set_program_counter(fault.words[static_cast<u64>(UnknownSyscallWord::ProgramCounter)] + kInstructionBytes)
        .set_argument(0, argument + value);
}

} // namespace

ROOTTASK_TEST(FLT0113, "nested faults: a handler that faults is handled by its own handler, then answers the first fault") {
    g_events.clear();
    g_outer.after[0] = 0;
    g_outer.done = false;
    FaultChannel root_channel = REQUIRE_OK(t, make_fault_channel(t, kInnerBadge));
    g_inner = HandlerThread{};
    g_inner.channel = REQUIRE_OK(t, make_fault_channel(t, kOuterBadge));
    g_inner.decide = emulate;
    g_inner.events = &g_events;
    g_table = REQUIRE_OK(t, t.root().addresses.reserve(1));

    // The handler thread's own faults go to the root task.
    user::Tcb inner =
        REQUIRE_OK(t, start_handler(t, "fault-h-inner", g_inner, kInnerPriority, root_channel.handler_cap));
    user::Tcb outer = REQUIRE_OK(
        t, make_handled_thread(t, "fault-h-outer", outer_thread, 0, kOuterPriority, g_inner.channel.handler_cap));
    REQUIRE_OK(t, outer.resume());

    // The outer thread faulted; its handler received the fault and faulted itself: the
    // outer thread waits for its answer, the handler for the root task.
    t.expect(g_events.equals("ah"), "events {} (expected ah: the outer fault, its handler)", g_events.view());
    expect_state(t, "the outer thread", outer, ThreadStatus::BlockedOnReply);
    expect_state(t, "its handler", inner, ThreadStatus::BlockedOnSend);
    arch::UserContext outer_registers = REQUIRE_OK(t, outer.read_registers());
    expect_fault(t, "the outer fault, as its handler received it", g_inner.records[0],
                 unknown_syscall(kOuterBadge, reinterpret_cast<u64>(flt_h_unknown_ecall), outer_registers.reg(2),
                                 outer_registers.reg(1), kRegisters));
    g_events.add('r');
    expect_fault(t, "the handler's own fault", take_fault(root_channel),
                 vm_fault(kInnerBadge, g_table, VmAccess::Read, reinterpret_cast<u64>(flt_h_inner_load),
                          kCauseLoadPageFault));

    REQUIRE_OK(t, user::map_new_frame(t.objects(), t.root().objects, t.own_vspace(), g_table, VmRights::kReadWrite));
    reinterpret_cast<volatile u64*>(g_table)[0] = kTableValue;
    IpcStatus answered = answer(root_channel, user::FaultAnswer());
    g_events.add('R');
    t.expect(answered == IpcStatus::Ok, "the root task's Reply: {}", answered);
    // Answered, the handler loaded the table (f) and answered the outer thread, which ran
    // at once (A); then the handler's Reply returned (d), and only then the root task's.
    t.expect(g_events.equals("ahrfAdR"), "events {} (expected ahrfAdR)", g_events.view());
    t.expect(g_inner.handled == 1 && g_inner.answered[0] == IpcStatus::Ok, "the handler answered {} faults ({})",
             g_inner.handled, g_inner.answered[0]);
    t.expect(g_outer.done, "the outer thread did not continue after its ecall");
    t.expect(g_outer.after[0] == kArgument + kTableValue, "the outer thread's a0 is {}, expected {}", g_outer.after[0],
             kArgument + kTableValue);
    t.expect(g_outer.sp == outer_registers.reg(2) && g_outer.ra == outer_registers.reg(1),
             "the outer thread's sp and ra were {} {}, the kernel had {} {}", kstd::Hex{g_outer.sp},
             kstd::Hex{g_outer.ra}, kstd::Hex{outer_registers.reg(2)}, kstd::Hex{outer_registers.reg(1)});
    t.expect(take_fault(root_channel).status == IpcStatus::NothingPending, "the handler faulted again");
    stop(t, outer, inner);
}
