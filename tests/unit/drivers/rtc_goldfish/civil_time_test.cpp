// userlib's civil_from_unix_nanoseconds (userlib/src/civil_time.cpp): known instants, every
// day the u64 range reaches against a calendar counted forward one day at a time, and
// random instants against the C library's gmtime_r.
#include <catch2/catch.hpp>

#include <ctime>
#include <ostream>

#include <userlib/services/clock.hpp>

#include "../../test_support.hpp"

using tessera::user::CivilTime;
using tessera::user::civil_from_unix_nanoseconds;

namespace tessera::user {

std::ostream& operator<<(std::ostream& out, const CivilTime& t) {
    return out << t.year << '-' << t.month << '-' << t.day << ' ' << t.hour << ':' << t.minute << ':' << t.second
               << '.' << t.nanosecond;
}

} // namespace tessera::user

namespace {

constexpr u64 kSecond = 1'000'000'000;
constexpr u64 kDay = 86'400 * kSecond;

CivilTime civil(i64 year, u32 month, u32 day, u32 hour = 0, u32 minute = 0, u32 second = 0, u32 nanosecond = 0) {
    return CivilTime{year, month, day, hour, minute, second, nanosecond};
}

bool is_leap(i64 year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

u32 days_in_month(i64 year, u32 month) {
    constexpr u32 kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

} // namespace

TEST_CASE("civil time: the epoch and the instants just around it") {
    CHECK(civil_from_unix_nanoseconds(0) == civil(1970, 1, 1));
    CHECK(civil_from_unix_nanoseconds(kSecond - 1) == civil(1970, 1, 1, 0, 0, 0, 999'999'999));
    CHECK(civil_from_unix_nanoseconds(kDay - 1) == civil(1970, 1, 1, 23, 59, 59, 999'999'999));
    CHECK(civil_from_unix_nanoseconds(kDay) == civil(1970, 1, 2));
    CHECK(civil_from_unix_nanoseconds(31 * kDay) == civil(1970, 2, 1));
    CHECK(civil_from_unix_nanoseconds(365 * kDay) == civil(1971, 1, 1));
}

TEST_CASE("civil time: leap days of ordinary leap years, of 2000, and none in 2100") {
    CHECK(civil_from_unix_nanoseconds(68'169'600 * kSecond) == civil(1972, 2, 29));
    CHECK(civil_from_unix_nanoseconds(68'169'600 * kSecond - 1) == civil(1972, 2, 28, 23, 59, 59, 999'999'999));
    // 2000 is divisible by 400, so it keeps its leap day.
    CHECK(civil_from_unix_nanoseconds(951'782'400 * kSecond) == civil(2000, 2, 29));
    CHECK(civil_from_unix_nanoseconds(951'868'800 * kSecond - 1) == civil(2000, 2, 29, 23, 59, 59, 999'999'999));
    CHECK(civil_from_unix_nanoseconds(951'868'800 * kSecond) == civil(2000, 3, 1));
    // 2100 is a century not divisible by 400: February ends on the 28th.
    CHECK(civil_from_unix_nanoseconds(4'107'542'399 * kSecond) == civil(2100, 2, 28, 23, 59, 59));
    CHECK(civil_from_unix_nanoseconds(4'107'542'400 * kSecond) == civil(2100, 3, 1));
    CHECK(civil_from_unix_nanoseconds(13'574'606'400 * kSecond) == civil(2400, 2, 29, 12));
}

TEST_CASE("civil time: ends of months and years, and well-known instants") {
    CHECK(civil_from_unix_nanoseconds(946'684'799 * kSecond) == civil(1999, 12, 31, 23, 59, 59));
    CHECK(civil_from_unix_nanoseconds(946'684'800 * kSecond) == civil(2000, 1, 1));
    CHECK(civil_from_unix_nanoseconds(2'147'483'648 * kSecond) == civil(2038, 1, 19, 3, 14, 8));
    CHECK(civil_from_unix_nanoseconds(1'795'297'205 * kSecond) == civil(2026, 11, 21, 21, 40, 5));
    // 2026-04-30 23:59:59 and 2026-05-01 00:00:00.
    CHECK(civil_from_unix_nanoseconds(1'777'593'599 * kSecond) == civil(2026, 4, 30, 23, 59, 59));
    CHECK(civil_from_unix_nanoseconds(1'777'593'600 * kSecond) == civil(2026, 5, 1));
}

TEST_CASE("civil time: the far end of the u64 range (2554)") {
    CHECK(civil_from_unix_nanoseconds(~u64{0}) == civil(2554, 7, 21, 23, 34, 33, 709'551'615));
}

TEST_CASE("civil time: every day from 1970 to the end of the range, first and last nanosecond") {
    CivilTime expected = civil(1970, 1, 1);
    u64 days = 0;
    u64 mismatches = 0;
    for (; days <= ~u64{0} / kDay - 1; ++days) {
        CivilTime first = civil_from_unix_nanoseconds(days * kDay);
        CivilTime last = civil_from_unix_nanoseconds((days + 1) * kDay - 1);
        CivilTime expected_last = expected;
        expected_last.hour = 23;
        expected_last.minute = 59;
        expected_last.second = 59;
        expected_last.nanosecond = 999'999'999;
        if (first != expected || last != expected_last) {
            // One report per failing day would flood the log; the first few say enough.
            if (++mismatches <= 5) {
                CHECK(first == expected);
                CHECK(last == expected_last);
            }
        }
        if (++expected.day > days_in_month(expected.year, expected.month)) {
            expected.day = 1;
            if (++expected.month > 12) {
                expected.month = 1;
                ++expected.year;
            }
        }
    }
    CHECK(mismatches == 0);
    CHECK(days > 213'000);
}

TEST_CASE("civil time: random instants agree with gmtime_r") {
    std::uint64_t seed = tessera_test::test_seed();
    INFO("TESSERA_TEST_SEED=" << seed);
    auto rng = tessera_test::make_rng(0xc1c1);
    for (int i = 0; i < 100'000; ++i) {
        // Half from the whole range, half near today, where the clock mostly reads.
        u64 nanoseconds = i % 2 == 0 ? rng() : 1'700'000'000 * kSecond + rng() % (100 * 365 * kDay);
        std::time_t seconds = static_cast<std::time_t>(nanoseconds / kSecond);
        std::tm reference{};
        REQUIRE(gmtime_r(&seconds, &reference) != nullptr);
        CivilTime expected = civil(reference.tm_year + i64{1900}, static_cast<u32>(reference.tm_mon + 1),
                                   static_cast<u32>(reference.tm_mday), static_cast<u32>(reference.tm_hour),
                                   static_cast<u32>(reference.tm_min), static_cast<u32>(reference.tm_sec),
                                   static_cast<u32>(nanoseconds % kSecond));
        INFO("nanoseconds " << nanoseconds);
        REQUIRE(civil_from_unix_nanoseconds(nanoseconds) == expected);
    }
}
