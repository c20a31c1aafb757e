#include "goldfish_rtc.hpp"

namespace tessera::rtc_goldfish {

void GoldfishRtc::reset() {
    registers_.write(RtcRegister::ClearAlarm, 1);
    registers_.write(RtcRegister::ClearInterrupt, 1);
    registers_.write(RtcRegister::IrqEnabled, 1);
}

u64 GoldfishRtc::now() {
    u64 low = registers_.read(RtcRegister::TimeLow);
    u64 high = registers_.read(RtcRegister::TimeHigh);
    return high << 32 | low;
}

void GoldfishRtc::arm_alarm(u64 deadline) {
    registers_.write(RtcRegister::AlarmHigh, static_cast<u32>(deadline >> 32));
    registers_.write(RtcRegister::AlarmLow, static_cast<u32>(deadline));
}

void GoldfishRtc::disarm_alarm() { registers_.write(RtcRegister::ClearAlarm, 1); }

void GoldfishRtc::clear_interrupt() { registers_.write(RtcRegister::ClearInterrupt, 1); }

bool GoldfishRtc::alarm_armed() { return (registers_.read(RtcRegister::AlarmStatus) & 1) != 0; }

} // namespace tessera::rtc_goldfish
