// UTC calendar conversion for the clock service. Portable: the host tests compare it with
// the C library's gmtime_r over the whole range of a u64 of nanoseconds.
//
// The calendar is counted in years that begin on 1 March. Then the leap day is the last day
// of its year, every month but the last has a fixed length, and the 400-year Gregorian
// cycle splits cleanly: three centuries of 36524 days and a fourth of 36525, each made of
// four-year groups of 1461 days (the last group of an ordinary century one day short).
#include <userlib/services/clock.hpp>

namespace tessera::user {

namespace {

constexpr u64 kSecondsPerDay = 86'400;
constexpr u64 kDaysPer400Years = 146'097;
constexpr u64 kDaysPerCentury = 36'524; // a century whose last year is not leap
constexpr u64 kDaysPer4Years = 1'461;
constexpr u64 kDaysPerYear = 365;
// 1970-01-01 counted from 0000-03-01 (a March-based year 0 that starts a 400-year cycle).
constexpr u64 kEpochFromMarchZero = 719'468;

// March first; February last, so its 28 or 29 days never matter to the months before it.
constexpr u32 kMonthDaysFromMarch[] = {31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 29};

struct MarchDate {
    u64 year;        // the March-based year
    u32 month_index; // 0 = March .. 11 = February
    u32 day_index;   // 0-based day of the month
};

MarchDate march_date_from_days(u64 days_since_march_zero) {
    u64 cycles = days_since_march_zero / kDaysPer400Years;
    u64 day = days_since_march_zero % kDaysPer400Years;
    // The cycle's final day (a leap day closing a leap century) would count as a fifth
    // century, and a group's final leap day as a fifth year: both belong to the fourth.
    u64 centuries = kstd::min<u64>(day / kDaysPerCentury, 3);
    day -= centuries * kDaysPerCentury;
    u64 groups = day / kDaysPer4Years;
    day -= groups * kDaysPer4Years;
    u64 years = kstd::min<u64>(day / kDaysPerYear, 3);
    day -= years * kDaysPerYear;

    MarchDate date{cycles * 400 + centuries * 100 + groups * 4 + years, 0, 0};
    while (day >= kMonthDaysFromMarch[date.month_index]) {
        day -= kMonthDaysFromMarch[date.month_index];
        ++date.month_index;
    }
    date.day_index = static_cast<u32>(day);
    return date;
}

} // namespace

CivilTime civil_from_unix_nanoseconds(u64 nanoseconds) {
    u64 seconds = nanoseconds / kNanosecondsPerSecond;
    u64 second_of_day = seconds % kSecondsPerDay;
    MarchDate date = march_date_from_days(seconds / kSecondsPerDay + kEpochFromMarchZero);

    CivilTime civil;
    // January and February close the March-based year, so they are in the next civil year.
    bool january_or_february = date.month_index >= 10;
    civil.year = static_cast<i64>(date.year + (january_or_february ? 1 : 0));
    civil.month = january_or_february ? date.month_index - 9 : date.month_index + 3;
    civil.day = date.day_index + 1;
    civil.hour = static_cast<u32>(second_of_day / 3600);
    civil.minute = static_cast<u32>(second_of_day % 3600 / 60);
    civil.second = static_cast<u32>(second_of_day % 60);
    civil.nanosecond = static_cast<u32>(nanoseconds % kNanosecondsPerSecond);
    return civil;
}

} // namespace tessera::user
