#pragma once
// The clock service: the goldfish RTC driver (drivers/rtc_goldfish) serves it. Times are
// nanoseconds since 1970-01-01 00:00:00 UTC, as the RTC counts them.
//   GetTime:    the answer's w0 is the time now.
//   SleepUntil: w0 the deadline. The answer (w0 = the time when it came) comes when the
//               RTC's alarm interrupt for the deadline fired; a deadline already past is
//               answered at once. At most kClockMaxSleepers wait at once (Busy beyond).
#include <userlib/services/service_message.hpp>

namespace tessera::user {

enum class ClockRequest : u64 { GetTime = 1, SleepUntil = 2 };

inline constexpr u64 kClockMaxSleepers = 3;
inline constexpr u64 kNanosecondsPerSecond = 1'000'000'000;

class ClockClient {
public:
    ClockClient() = default;
    explicit ClockClient(Endpoint endpoint) : endpoint_(endpoint) {}

    bool present() const { return endpoint_.cap().value != 0; }
    Result<u64> now() const;
    // Returns the time at wake-up.
    Result<u64> sleep_until(u64 deadline) const;

private:
    Endpoint endpoint_;
};

// A calendar date and time of day in UTC.
struct CivilTime {
    i64 year = 1970;
    u32 month = 1;  // 1..12
    u32 day = 1;    // 1..31
    u32 hour = 0;
    u32 minute = 0;
    u32 second = 0;
    u32 nanosecond = 0;
    constexpr bool operator==(const CivilTime&) const = default;
};

// Nanoseconds since the epoch to UTC (proleptic Gregorian calendar, no leap seconds).
CivilTime civil_from_unix_nanoseconds(u64 nanoseconds);

} // namespace tessera::user
