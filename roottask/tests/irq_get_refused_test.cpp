// IrqControl.Get refuses, each with its documented error, and leaves the destination empty:
// a line the controller lacks, one no device node names, bad trigger and shared words, a
// bad destination, a line in use (dedicated or shared), a trigger mode other than the
// shared line's, a full handler table, another label.
#include "irq_support.hpp"

using namespace tessera;
using namespace tessera::roottask::irq_tests;

namespace {

const user::IrqControl kControl(user::CPtr{static_cast<u64>(RootSlot::IrqControl)});

// Get with raw words, so values the typed wrapper cannot express reach the kernel.
user::Result<void> raw_get(TestContext& t, u64 line, u64 trigger, u64 shared, user::SlotPath destination,
                           InvocationLabel label = InvocationLabel::IrqControlGet) {
    user::Request request(label);
    request.word(line).word(trigger).word(shared).word(destination.index).word(destination.depth);
    request.cap(t.own_cnode().cap());
    return user::invoke(kControl.cap(), request);
}

void expect_refused(TestContext& t, kstd::StringView what, const user::Result<void>& result,
                    const user::Error& expected, user::CPtr destination) {
    t.expect(failed_with(result, expected), "{}: {} (expected {})", what, outcome(result), expected);
    t.expect(slot_is_empty(t, destination), "{}: the destination is not empty", what);
}

user::Error not_enough_memory(u64 bytes) {
    user::Error e = kernel_error(ErrorCode::NotEnoughMemory);
    e.memory_available = bytes;
    return e;
}

// The RTC's line: a device nothing in the tests makes interrupt.
constexpr u32 kRtcLine = 11;

} // namespace

ROOTTASK_TEST(IRQ0101, "IrqControl.Get refuses bad lines, values, destinations, lines in use and a full table") {
    UartUnderTest uart;
    if (!uart.open(t)) return;
    user::CPtr slot = REQUIRE_OK(t, empty_slot(t));
    const user::SlotPath destination = user::SlotPath::at(slot);

    auto beyond = kControl.get(0, IrqTrigger::LevelHigh, false, t.own_cnode(), destination);
    t.expect(!beyond.ok() && beyond.error().code == ErrorCode::RangeError && beyond.error().range_min == 1 &&
                 beyond.error().range_max >= uart.line(),
             "line 0: {} (expected RangeError from 1)", outcome(beyond));
    const u64 last = beyond.ok() ? 0 : beyond.error().range_max;
    expect_refused(t, "the line after the last",
                   kControl.get(last + 1, IrqTrigger::LevelHigh, false, t.own_cnode(), destination),
                   range_error(1, last), slot);
    // QEMU virt wires nothing to line 9, nor to the last line.
    expect_refused(t, "line 9", kControl.get(9, IrqTrigger::LevelHigh, false, t.own_cnode(), destination),
                   invalid_argument(0), slot);
    expect_refused(t, "the last line", kControl.get(last, IrqTrigger::LevelHigh, false, t.own_cnode(), destination),
                   invalid_argument(0), slot);
    expect_refused(t, "trigger 3", raw_get(t, uart.line(), 3, 0, destination), invalid_argument(1), slot);
    expect_refused(t, "shared 2", raw_get(t, uart.line(), 1, 2, destination), invalid_argument(2), slot);
    expect_refused(t, "depth 0", raw_get(t, uart.line(), 1, 0, user::SlotPath{slot.value, 0}), range_error(1, 64),
                   slot);
    expect_refused(t, "another label", raw_get(t, uart.line(), 1, 0, destination, InvocationLabel::IrqHandlerAck),
                   kernel_error(ErrorCode::IllegalOperation), slot);
    user::CPtr occupied = REQUIRE_OK(t, new_notification(t)).cap();
    auto taken_slot =
        kControl.get(uart.line(), IrqTrigger::LevelHigh, false, t.own_cnode(), user::SlotPath::at(occupied));
    t.expect(failed_with(taken_slot, kernel_error(ErrorCode::DeleteFirst)), "an occupied destination: {}",
             outcome(taken_slot));

    // A dedicated handler holds its line against everybody.
    user::IrqHandler dedicated = REQUIRE_OK(t, get_handler(t, uart.line(), false));
    expect_refused(t, "a second dedicated handler",
                   kControl.get(uart.line(), IrqTrigger::LevelHigh, false, t.own_cnode(), destination),
                   kernel_error(ErrorCode::RevokeFirst), slot);
    expect_refused(t, "a shared handler of a dedicated line",
                   kControl.get(uart.line(), IrqTrigger::LevelHigh, true, t.own_cnode(), destination),
                   kernel_error(ErrorCode::RevokeFirst), slot);
    REQUIRE_OK(t, delete_cap(t, dedicated.cap()));

    // Shared handlers: all of one trigger mode, and no dedicated one besides.
    user::IrqHandler shared = REQUIRE_OK(t, get_handler(t, kRtcLine, true));
    expect_refused(t, "a dedicated handler of a shared line",
                   kControl.get(kRtcLine, IrqTrigger::LevelHigh, false, t.own_cnode(), destination),
                   kernel_error(ErrorCode::RevokeFirst), slot);
    expect_refused(t, "a shared edge handler of a level line",
                   kControl.get(kRtcLine, IrqTrigger::Edge, true, t.own_cnode(), destination), invalid_argument(1),
                   slot);
    // The table holds 64 handlers; one exists, 63 more fill it.
    constexpr u64 kTableCapacity = 64;
    u64 made = 1;
    for (; made < kTableCapacity; ++made)
        if (!get_handler(t, kRtcLine, true).ok()) break;
    t.expect(made == kTableCapacity, "only {} handlers could be made", made);
    expect_refused(t, "a 65th handler", kControl.get(kRtcLine, IrqTrigger::LevelHigh, true, t.own_cnode(), destination),
                   not_enough_memory(0), slot);
    t.expect(status_of(t, shared).shared, "the first shared handler does not say shared");
}
