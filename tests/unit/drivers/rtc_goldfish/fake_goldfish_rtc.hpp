#pragma once
// A goldfish RTC register file for the host tests. It behaves as QEMU's model of the device
// does where the driver depends on it: TIME_LOW latches TIME_HIGH, ALARM_LOW arms the alarm
// with the ALARM_HIGH written before, an armed alarm sets the pending bit when the time
// reaches it (and, in QEMU, at once when armed in the past), CLEAR_INTERRUPT lowers it, and
// the line is the pending bit while IRQ_ENABLED holds 1. It records every access, and a
// test may run code right after any access (to move the time at the worst moment).
#include <functional>
#include <ostream>
#include <vector>

#include "goldfish_rtc.hpp"

namespace tessera_test {

using tessera::rtc_goldfish::RtcRegister;

struct RtcAccess {
    bool write;
    RtcRegister which;
    u32 value;
    bool operator==(const RtcAccess&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const RtcAccess& access) {
    return out << (access.write ? "write 0x" : "read 0x") << std::hex << static_cast<u32>(access.which)
               << (access.write ? " <- 0x" : " -> 0x") << access.value << std::dec;
}

inline RtcAccess rtc_write(RtcRegister which, u32 value) { return {true, which, value}; }
inline RtcAccess rtc_read(RtcRegister which, u32 value) { return {false, which, value}; }

class FakeGoldfishRtc final : public tessera::rtc_goldfish::RtcRegisters {
public:
    explicit FakeGoldfishRtc(u64 start_time) : time_(start_time) {}

    u32 read(RtcRegister which) override {
        u32 value = 0;
        switch (which) {
        case RtcRegister::TimeLow:
            value = static_cast<u32>(time_);
            latched_high_ = static_cast<u32>(time_ >> 32);
            break;
        case RtcRegister::TimeHigh: value = latched_high_; break;
        case RtcRegister::AlarmLow: value = static_cast<u32>(alarm_); break;
        case RtcRegister::AlarmHigh: value = static_cast<u32>(alarm_ >> 32); break;
        case RtcRegister::IrqEnabled: value = irq_enabled_ ? 1 : 0; break;
        case RtcRegister::AlarmStatus: value = alarm_armed_ ? 1 : 0; break;
        case RtcRegister::ClearAlarm:
        case RtcRegister::ClearInterrupt: break;
        }
        record({false, which, value});
        return value;
    }

    void write(RtcRegister which, u32 value) override {
        switch (which) {
        case RtcRegister::AlarmHigh: alarm_ = (alarm_ & 0xffff'ffffull) | u64{value} << 32; break;
        case RtcRegister::AlarmLow:
            alarm_ = (alarm_ & ~0xffff'ffffull) | value;
            if (alarm_ > time_) {
                alarm_armed_ = true;
            } else {
                alarm_armed_ = false;
                if (raises_past_alarms) irq_pending_ = true;
            }
            break;
        case RtcRegister::IrqEnabled: irq_enabled_ = (value & 1) != 0; break;
        case RtcRegister::ClearAlarm: alarm_armed_ = false; break;
        case RtcRegister::ClearInterrupt: irq_pending_ = false; break;
        case RtcRegister::TimeLow:
        case RtcRegister::TimeHigh:
        case RtcRegister::AlarmStatus: break; // setting the clock is not the driver's business
        }
        record({true, which, value});
    }

    // Moves the time on; an alarm that comes due fires as the device's timer would.
    void advance(u64 nanoseconds) {
        time_ += nanoseconds;
        if (alarm_armed_ && alarm_ <= time_) {
            alarm_armed_ = false;
            irq_pending_ = true;
        }
    }
    void advance_to(u64 time) {
        if (time > time_) advance(time - time_);
    }

    // What an earlier run of a driver might have left behind.
    void leave_stale_state(u64 alarm) {
        alarm_ = alarm;
        alarm_armed_ = true;
        irq_pending_ = true;
        irq_enabled_ = false;
    }

    u64 time() const { return time_; }
    u64 alarm() const { return alarm_; }
    bool alarm_armed() const { return alarm_armed_; }
    bool interrupt_pending() const { return irq_pending_; }
    bool interrupt_enabled() const { return irq_enabled_; }
    // The interrupt line as the controller sees it.
    bool line() const { return irq_pending_ && irq_enabled_; }

    const std::vector<RtcAccess>& accesses() const { return accesses_; }
    void forget_accesses() { accesses_.clear(); }
    // The writes since forget_accesses(), the reads left out.
    std::vector<RtcAccess> writes() const {
        std::vector<RtcAccess> only;
        for (const RtcAccess& access : accesses_)
            if (access.write) only.push_back(access);
        return only;
    }

    // QEMU raises an alarm armed in the past at once; a device that does not is what the
    // driver's second look at the time is for.
    bool raises_past_alarms = true;
    // Runs after every access, with the access.
    std::function<void(const RtcAccess&)> after_access;

private:
    void record(const RtcAccess& access) {
        accesses_.push_back(access);
        if (after_access) after_access(access);
    }

    u64 time_;
    u64 alarm_ = 0;
    bool alarm_armed_ = false;
    bool irq_pending_ = false;
    bool irq_enabled_ = false;
    u32 latched_high_ = 0;
    std::vector<RtcAccess> accesses_;
};

} // namespace tessera_test
