#pragma once
// What the interrupt tests (irq_*_test.cpp) share: the console UART (an ns16550a) as a
// device the test drives itself, found in the device tree and mapped from its device
// Untyped; IrqHandlers for its line; and waiting with the timebase (rdtime) as the clock.
//
// The UART raises its transmitter-empty interrupt (IER bit 1) as soon as it is enabled,
// since its transmit register is empty, and holds the line asserted (level-triggered)
// until the interrupt identification register is read. Enabling it again after a 0 raises
// it afresh. The firmware prints through this UART without interrupts, so every test
// restores the interrupt enable register it found (UartUnderTest's destructor).
//
// QEMU's PLIC takes a request when the device's line changes, and a claim clears it: a
// line that stays asserted is not sampled again after its completion, as the
// specification's gateway would. So wherever a test expects another interrupt of a line
// that is still asserted, it raises the UART afresh first (while the line is masked, the
// request waits at the controller); on hardware the line would be pending anyway.
#include <userlib/device_tree.hpp>

#include "ipc_support.hpp"

namespace tessera::roottask::irq_tests {

using namespace ipc_tests;
using sched_tests::invalid_argument;
using sched_tests::invalid_capability;
using sched_tests::range_error;

// The timebase (10 MHz on QEMU virt), as GetStatus reports times.
inline u64 read_time() {
    u64 now;
    asm volatile("rdtime %0" : "=r"(now));
    return now;
}

// Long enough for QEMU on a loaded machine to deliver an interrupt that is due; short
// enough to wait several times per test.
inline constexpr u64 kArrivalLimit = 10'000'000; // 1 s of timebase
// How long a masked line must stay silent to count as held back (two timer ticks).
inline constexpr u64 kQuietPeriod = 200'000;

class UartUnderTest {
public:
    UartUnderTest() = default;
    UartUnderTest(const UartUnderTest&) = delete;
    UartUnderTest& operator=(const UartUnderTest&) = delete;
    // Restores the interrupt enable register and gives the device Untyped back.
    ~UartUnderTest();

    // Finds the UART and its line in the device tree and maps its registers. Notes why
    // and returns false when it cannot.
    bool open(TestContext& t);

    u32 line() const { return line_; }
    // Makes the UART raise its line: transmitter-empty enabled (after a 0, so it is new).
    void raise();
    // Services it as a driver does: reading the identification register clears the
    // transmitter-empty interrupt, and the line falls. Returns the identification.
    u8 service();
    // Turns the UART's interrupts off again (the value found), so the line falls.
    void restore();

private:
    // The UART's page mapped read-write from `device`; returns the registers' address.
    user::Result<u64> map_registers(TestContext& t, const user::UntypedRegion& device, u64 physical);

    TestContext* t_ = nullptr;
    volatile u8* registers_ = nullptr;
    u32 line_ = 0;
    u8 saved_interrupt_enable_ = 0;
    user::CPtr device_untyped_;
};

// An IrqHandler for `line` in a new slot of the test.
user::Result<user::IrqHandler> get_handler(TestContext& t, u32 line, bool shared,
                                           IrqTrigger trigger = IrqTrigger::LevelHigh);
// A new Notification and a copy of it minted with `badge` (the one to bind).
struct BadgedNotification {
    user::Notification object;
    user::Notification badged;
};
user::Result<BadgedNotification> new_badged_notification(TestContext& t, u64 badge);

// Polls until a signal arrives (true, the word in `word`) or kArrivalLimit passes.
bool signal_arrives(const user::Notification& notification, u64& word);
// Polls through kQuietPeriod; true when no signal arrived.
bool stays_quiet(const user::Notification& notification);

// The status, or a noted failure (then all zero).
user::IrqHandlerStatus status_of(TestContext& t, const user::IrqHandler& handler);

} // namespace tessera::roottask::irq_tests
