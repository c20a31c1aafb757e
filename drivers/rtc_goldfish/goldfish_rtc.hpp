#pragma once
// The goldfish real-time clock (compatible "google,goldfish-rtc", QEMU's virt machine):
// a 64-bit count of nanoseconds since the Unix epoch and one alarm that raises the
// device's interrupt line. Portable: the registers are reached through RtcRegisters, which
// the driver implements over its mapped page and the host tests over a fake device.
//
// The device's protocol, as this driver relies on it:
//   - a read of TIME_LOW latches the high half, so TIME_HIGH read next belongs to the
//     same instant; reading TIME_HIGH first could pair halves from either side of a carry;
//   - ALARM_HIGH is a plain latch and the write of ALARM_LOW arms the alarm with both
//     halves, so the high half goes first;
//   - the alarm sets the interrupt's pending bit, which stays set (and the line raised
//     while IRQ_ENABLED holds 1) until CLEAR_INTERRUPT is written, whatever the alarm does;
//   - CLEAR_ALARM disarms an alarm that has not fired; ALARM_STATUS says whether one waits.
#include <kstd/types.hpp>

namespace tessera::rtc_goldfish {

enum class RtcRegister : u32 {
    TimeLow = 0x00,
    TimeHigh = 0x04,
    AlarmLow = 0x08,
    AlarmHigh = 0x0c,
    IrqEnabled = 0x10,
    ClearAlarm = 0x14,
    AlarmStatus = 0x18,
    ClearInterrupt = 0x1c,
};

// The device's 32-bit registers, one access each, in program order.
class RtcRegisters {
public:
    virtual u32 read(RtcRegister which) = 0;
    virtual void write(RtcRegister which, u32 value) = 0;

protected:
    // Implementations live as long as the driver and are never deleted through this.
    ~RtcRegisters() = default;
};

class GoldfishRtc {
public:
    explicit GoldfishRtc(RtcRegisters& registers) : registers_(registers) {}

    // Whatever an earlier run of the driver left behind goes: no alarm armed, no interrupt
    // pending; then the alarm's interrupt is enabled.
    void reset();
    // Nanoseconds since the epoch.
    u64 now();
    // Arms the alarm for `deadline`, replacing one armed before. The device may raise its
    // interrupt at once for a deadline it finds already past, or may not: callers check
    // the time again afterwards rather than rely on either.
    void arm_alarm(u64 deadline);
    void disarm_alarm();
    // Lowers the interrupt line (the pending bit), so the controller can take it again.
    void clear_interrupt();
    bool alarm_armed();

private:
    RtcRegisters& registers_;
};

} // namespace tessera::rtc_goldfish
