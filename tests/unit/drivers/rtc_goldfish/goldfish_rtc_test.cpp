// The goldfish RTC's register protocol (drivers/rtc_goldfish/goldfish_rtc.cpp) against the
// fake device: which registers, in which order, with which values.
#include <catch2/catch.hpp>

#include "fake_goldfish_rtc.hpp"

using namespace tessera_test;
using tessera::rtc_goldfish::GoldfishRtc;

TEST_CASE("goldfish rtc: the register offsets are the device's") {
    CHECK(static_cast<u32>(RtcRegister::TimeLow) == 0x00);
    CHECK(static_cast<u32>(RtcRegister::TimeHigh) == 0x04);
    CHECK(static_cast<u32>(RtcRegister::AlarmLow) == 0x08);
    CHECK(static_cast<u32>(RtcRegister::AlarmHigh) == 0x0c);
    CHECK(static_cast<u32>(RtcRegister::IrqEnabled) == 0x10);
    CHECK(static_cast<u32>(RtcRegister::ClearAlarm) == 0x14);
    CHECK(static_cast<u32>(RtcRegister::AlarmStatus) == 0x18);
    CHECK(static_cast<u32>(RtcRegister::ClearInterrupt) == 0x1c);
}

TEST_CASE("goldfish rtc: the time is TIME_LOW then the TIME_HIGH it latched") {
    FakeGoldfishRtc device(0x1234'5678'9abc'def0);
    GoldfishRtc rtc(device);
    CHECK(rtc.now() == 0x1234'5678'9abc'def0);
    CHECK(device.accesses() == std::vector<RtcAccess>{rtc_read(RtcRegister::TimeLow, 0x9abc'def0),
                                                      rtc_read(RtcRegister::TimeHigh, 0x1234'5678)});
}

TEST_CASE("goldfish rtc: a carry between the two reads does not tear the time") {
    FakeGoldfishRtc device(0x1'ffff'ffff);
    GoldfishRtc rtc(device);
    device.after_access = [&](const RtcAccess& access) {
        if (!access.write && access.which == RtcRegister::TimeLow) device.advance(1);
    };
    CHECK(rtc.now() == 0x1'ffff'ffff);
    CHECK(rtc.now() == 0x2'0000'0000);
}

TEST_CASE("goldfish rtc: reset disarms, lowers the line and enables the interrupt") {
    FakeGoldfishRtc device(1'000);
    device.leave_stale_state(2'000);
    GoldfishRtc rtc(device);
    rtc.reset();
    CHECK(device.writes() == std::vector<RtcAccess>{rtc_write(RtcRegister::ClearAlarm, 1),
                                                    rtc_write(RtcRegister::ClearInterrupt, 1),
                                                    rtc_write(RtcRegister::IrqEnabled, 1)});
    CHECK_FALSE(device.alarm_armed());
    CHECK_FALSE(device.interrupt_pending());
    CHECK(device.interrupt_enabled());
    device.advance(5'000);
    CHECK_FALSE(device.line());
}

TEST_CASE("goldfish rtc: arming writes ALARM_HIGH first, ALARM_LOW arms") {
    FakeGoldfishRtc device(0x1'0000'0000);
    GoldfishRtc rtc(device);
    rtc.reset();
    device.forget_accesses();
    rtc.arm_alarm(0x3'0000'0010);
    CHECK(device.writes() == std::vector<RtcAccess>{rtc_write(RtcRegister::AlarmHigh, 3),
                                                    rtc_write(RtcRegister::AlarmLow, 0x10)});
    CHECK(device.alarm() == 0x3'0000'0010);
    CHECK(rtc.alarm_armed());
    device.advance_to(0x3'0000'000f);
    CHECK_FALSE(device.line());
    device.advance(1);
    CHECK(device.line());
    CHECK_FALSE(rtc.alarm_armed());
}

TEST_CASE("goldfish rtc: clearing the interrupt lowers the line; disarming stops the alarm") {
    FakeGoldfishRtc device(100);
    GoldfishRtc rtc(device);
    rtc.reset();
    rtc.arm_alarm(200);
    device.advance(100);
    REQUIRE(device.line());
    rtc.clear_interrupt();
    CHECK_FALSE(device.line());

    rtc.arm_alarm(300);
    rtc.disarm_alarm();
    CHECK_FALSE(rtc.alarm_armed());
    device.advance(1'000);
    CHECK_FALSE(device.line());
}
