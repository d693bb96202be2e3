// Opening hours, evaluated in the service's own IANA time zone, and the time parsing behind
// `open_at`.
#include "enlace/core/hours.hpp"
#include "enlace/core/model.hpp"
#include "enlace/core/record_json.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>

using enlace::core::Closure;
using enlace::core::instant;
using enlace::core::is_open;
using enlace::core::OpeningHours;
using enlace::core::Shift;

namespace {

using namespace std::chrono;

// Weekday bits as in Shift::days: bit 0 = Monday ... bit 6 = Sunday.
constexpr std::uint8_t mon = 1u << 0, tue = 1u << 1, wed = 1u << 2, thu = 1u << 3, fri = 1u << 4, sat = 1u << 5,
                       sun = 1u << 6;
constexpr std::uint8_t weekdays = mon | tue | wed | thu | fri;

constexpr int at_clock(int hours, int minutes = 0) { return hours * 60 + minutes; }

/// An instant given in UTC, built with the standard calendar, independently of the code under test.
instant utc(int y, unsigned m, unsigned d, int h, int min = 0, int s = 0) {
    return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min} + seconds{s};
}

// Guatemala keeps UTC-6 all year (no daylight saving time).
instant guatemala(int y, unsigned m, unsigned d, int h, int min = 0) { return utc(y, m, d, h, min) + hours{6}; }

OpeningHours in_zone(const std::string& zone) {
    OpeningHours hours;
    hours.timezone = zone;
    return hours;
}

// The dates below are checked to be the weekdays the tests assume.
static_assert(weekday{sys_days{year{2026} / November / 30}} == Monday);
static_assert(weekday{sys_days{year{2026} / July / 6}} == Monday);
static_assert(weekday{sys_days{year{2026} / December / 7}} == Monday);

} // namespace

TEST_CASE("two shifts a day with a lunch gap", "[hours]") {
    auto hours = in_zone("America/Guatemala");
    hours.weekly = {Shift{weekdays, at_clock(8), at_clock(12)}, Shift{weekdays, at_clock(14), at_clock(17)}};

    // Monday 30 November 2026, Guatemala time.
    CHECK_FALSE(is_open(hours, guatemala(2026, 11, 30, 7, 59)));
    CHECK(is_open(hours, guatemala(2026, 11, 30, 8, 0))); // opening minute included
    CHECK(is_open(hours, guatemala(2026, 11, 30, 11, 59)));
    CHECK_FALSE(is_open(hours, guatemala(2026, 11, 30, 12, 0))); // closing minute excluded
    CHECK_FALSE(is_open(hours, guatemala(2026, 11, 30, 13, 0))); // lunch
    CHECK(is_open(hours, guatemala(2026, 11, 30, 14, 0)));
    CHECK(is_open(hours, guatemala(2026, 11, 30, 15, 30)));
    CHECK_FALSE(is_open(hours, guatemala(2026, 11, 30, 17, 0)));
    CHECK_FALSE(is_open(hours, guatemala(2026, 11, 30, 23, 0)));
    // Friday open, Saturday and Sunday closed.
    CHECK(is_open(hours, guatemala(2026, 12, 4, 9, 0)));
    CHECK_FALSE(is_open(hours, guatemala(2026, 12, 5, 9, 0)));
    CHECK_FALSE(is_open(hours, guatemala(2026, 12, 6, 15, 0)));
}

TEST_CASE("an overnight shift runs past midnight into the next day", "[hours]") {
    auto hours = in_zone("America/Guatemala");
    hours.weekly = {Shift{mon, at_clock(22), at_clock(6)}}; // Monday 22:00 to Tuesday 06:00

    CHECK_FALSE(is_open(hours, guatemala(2026, 11, 30, 21, 59)));
    CHECK(is_open(hours, guatemala(2026, 11, 30, 22, 0)));
    CHECK(is_open(hours, guatemala(2026, 11, 30, 23, 0)));
    CHECK(is_open(hours, guatemala(2026, 12, 1, 0, 0)));
    CHECK(is_open(hours, guatemala(2026, 12, 1, 2, 0))); // Tuesday 02:00, the tail of Monday's shift
    CHECK(is_open(hours, guatemala(2026, 12, 1, 5, 59)));
    CHECK_FALSE(is_open(hours, guatemala(2026, 12, 1, 6, 0)));
    CHECK_FALSE(is_open(hours, guatemala(2026, 12, 1, 7, 0)));
    // Only Monday night: Tuesday night is closed, and so is early Monday (no Sunday shift).
    CHECK_FALSE(is_open(hours, guatemala(2026, 12, 1, 23, 0)));
    CHECK_FALSE(is_open(hours, guatemala(2026, 11, 30, 2, 0)));

    SECTION("a Sunday night shift carries into Monday, across the week boundary") {
        auto sunday = in_zone("America/Guatemala");
        sunday.weekly = {Shift{sun, at_clock(22), at_clock(6)}};
        CHECK(is_open(sunday, guatemala(2026, 11, 29, 23, 0))); // Sunday
        CHECK(is_open(sunday, guatemala(2026, 11, 30, 2, 0)));  // Monday morning
        CHECK_FALSE(is_open(sunday, guatemala(2026, 11, 30, 7, 0)));
    }
}

TEST_CASE("a shift that closes at 24:00 runs to midnight", "[hours]") {
    REQUIRE(enlace::core::parse_clock("24:00") == 1440);
    auto hours = in_zone("America/Guatemala");
    hours.weekly = {Shift{mon, at_clock(18), *enlace::core::parse_clock("24:00")}};

    CHECK_FALSE(is_open(hours, guatemala(2026, 11, 30, 17, 59)));
    CHECK(is_open(hours, guatemala(2026, 11, 30, 18, 0)));
    CHECK(is_open(hours, guatemala(2026, 11, 30, 23, 59)));
    // Midnight is Tuesday 00:00, outside Monday's shift: not an overnight shift.
    CHECK_FALSE(is_open(hours, guatemala(2026, 12, 1, 0, 0)));
    CHECK_FALSE(is_open(hours, guatemala(2026, 12, 1, 2, 0)));
}

TEST_CASE("always open, and closures that override everything", "[hours]") {
    auto hours = in_zone("America/Guatemala");
    hours.always_open = true;
    CHECK(is_open(hours, guatemala(2026, 11, 30, 3, 17)));
    CHECK(is_open(hours, guatemala(2026, 12, 6, 23, 59)));

    SECTION("a closed date range closes even an always-open service") {
        hours.closures = {Closure{"2026-12-24", "2026-12-26", {{"es", "Navidad"}}}};
        CHECK(is_open(hours, guatemala(2026, 12, 23, 23, 59)));
        CHECK_FALSE(is_open(hours, guatemala(2026, 12, 24, 0, 0)));
        CHECK_FALSE(is_open(hours, guatemala(2026, 12, 25, 12, 0)));
        CHECK_FALSE(is_open(hours, guatemala(2026, 12, 26, 23, 59))); // "to" is inclusive
        CHECK(is_open(hours, guatemala(2026, 12, 27, 0, 0)));
        // The dates are the service's local dates: 03:00 UTC on the 27th is still the 26th in Guatemala.
        CHECK_FALSE(is_open(hours, utc(2026, 12, 27, 3, 0)));
        CHECK(is_open(hours, utc(2026, 12, 27, 7, 0)));
    }
    SECTION("a one-day closure of a service with weekly shifts") {
        auto weekly = in_zone("America/Guatemala");
        weekly.weekly = {Shift{weekdays, at_clock(8), at_clock(17)}};
        weekly.closures = {Closure{"2026-12-01", "2026-12-01", {}}};
        CHECK(is_open(weekly, guatemala(2026, 11, 30, 10, 0)));
        CHECK_FALSE(is_open(weekly, guatemala(2026, 12, 1, 10, 0)));
        CHECK(is_open(weekly, guatemala(2026, 12, 2, 10, 0)));
    }
    SECTION("no shifts and not always open: never open") {
        auto none = in_zone("America/Guatemala");
        CHECK_FALSE(is_open(none, guatemala(2026, 11, 30, 10, 0)));
    }
}

TEST_CASE("hours are evaluated in the service's own time zone", "[hours][tz]") {
    // Weekdays 09:00-17:00 local time, in two zones. In late November Toronto keeps EST (UTC-5).
    auto guatemala_office = in_zone("America/Guatemala");
    auto toronto_office = in_zone("America/Toronto");
    guatemala_office.weekly = toronto_office.weekly = {Shift{weekdays, at_clock(9), at_clock(17)}};

    // 22:30 UTC = 16:30 in Guatemala (open) = 17:30 in Toronto (closed).
    const instant late = utc(2026, 11, 30, 22, 30);
    CHECK(is_open(guatemala_office, late));
    CHECK_FALSE(is_open(toronto_office, late));
    // 14:30 UTC = 08:30 in Guatemala (closed) = 09:30 in Toronto (open).
    const instant early = utc(2026, 11, 30, 14, 30);
    CHECK_FALSE(is_open(guatemala_office, early));
    CHECK(is_open(toronto_office, early));

    SECTION("the weekday is the local one too") {
        // Saturday 03:00 UTC is still Friday 21:00 in Guatemala.
        auto friday_night = in_zone("America/Guatemala");
        friday_night.weekly = {Shift{fri, at_clock(20), at_clock(23)}};
        CHECK(is_open(friday_night, utc(2026, 12, 5, 3, 0)));
        auto utc_friday_night = in_zone("UTC");
        utc_friday_night.weekly = friday_night.weekly;
        CHECK_FALSE(is_open(utc_friday_night, utc(2026, 12, 5, 3, 0)));
    }
    SECTION("daylight saving time in Toronto follows the tz database") {
        // 13:30 UTC is 09:30 EDT (UTC-4) in July, but 08:30 EST (UTC-5) in December.
        CHECK(is_open(toronto_office, utc(2026, 7, 6, 13, 30)));
        CHECK_FALSE(is_open(toronto_office, utc(2026, 12, 7, 13, 30)));
    }
}

TEST_CASE("parse_rfc3339 reads date-times with an offset", "[hours][time]") {
    using enlace::core::parse_rfc3339;

    SECTION("Z, offsets and fractions") {
        CHECK(parse_rfc3339("2026-11-28T14:05:00Z") == utc(2026, 11, 28, 14, 5));
        CHECK(parse_rfc3339("2026-11-28T14:05:00-06:00") == utc(2026, 11, 28, 20, 5));
        CHECK(parse_rfc3339("2026-11-28T14:05:00+05:30") == utc(2026, 11, 28, 8, 35));
        CHECK(parse_rfc3339("2026-11-28T14:05:00+00:00") == utc(2026, 11, 28, 14, 5));
        // Fractions of a second are accepted (whole seconds kept).
        CHECK(parse_rfc3339("2026-11-28T14:05:07.250Z") == utc(2026, 11, 28, 14, 5, 7));
        CHECK(parse_rfc3339("2026-11-28T14:05:07.999999-06:00") == utc(2026, 11, 28, 20, 5, 7));
        // An offset can move the instant to another day, month and year.
        CHECK(parse_rfc3339("2026-01-01T01:00:00+02:00") == utc(2025, 12, 31, 23, 0));
        CHECK(parse_rfc3339("2026-12-31T20:00:00-06:00") == utc(2027, 1, 1, 2, 0));
        // Same instant written two ways.
        CHECK(parse_rfc3339("2026-11-28T08:00:00-06:00") == parse_rfc3339("2026-11-28T14:00:00Z"));
    }
    SECTION("refuses what is not a full RFC 3339 date-time") {
        CHECK_FALSE(parse_rfc3339("2026-11-28T14:05:00").has_value());   // no offset
        CHECK_FALSE(parse_rfc3339("2026-13-01T00:00:00Z").has_value());  // month 13
        CHECK_FALSE(parse_rfc3339("2026-00-10T00:00:00Z").has_value());  // month 0
        CHECK_FALSE(parse_rfc3339("2026-02-30T00:00:00Z").has_value());  // no such day
        CHECK_FALSE(parse_rfc3339("2026-11-28T24:30:00Z").has_value());  // hour 24
        CHECK_FALSE(parse_rfc3339("2026-11-28T14:60:00Z").has_value());  // minute 60
        CHECK_FALSE(parse_rfc3339("2026-11-28").has_value());            // a date only
        CHECK_FALSE(parse_rfc3339("2026-11-28T14:05:00.Z").has_value()); // empty fraction
        CHECK_FALSE(parse_rfc3339("2026-11-28T14:05:00-0600").has_value());
        CHECK_FALSE(parse_rfc3339("2026-11-28T14:05:00Zjunk").has_value());
        CHECK_FALSE(parse_rfc3339("garbage").has_value());
        CHECK_FALSE(parse_rfc3339("not a date at all, really, not at all").has_value());
        CHECK_FALSE(parse_rfc3339("").has_value());
    }
}

TEST_CASE("valid_date accepts calendar dates that exist", "[hours][time]") {
    using enlace::core::valid_date;
    CHECK(valid_date("2026-11-28"));
    CHECK(valid_date("2024-02-29")); // leap year
    CHECK(valid_date("2000-02-29")); // divisible by 400
    CHECK(valid_date("2026-12-31"));
    CHECK_FALSE(valid_date("2026-02-29"));
    CHECK_FALSE(valid_date("1900-02-29")); // divisible by 100, not 400
    CHECK_FALSE(valid_date("2026-04-31"));
    CHECK_FALSE(valid_date("2026-13-01"));
    CHECK_FALSE(valid_date("2026-00-01"));
    CHECK_FALSE(valid_date("2026-1-01"));
    CHECK_FALSE(valid_date("26-11-28"));
    CHECK_FALSE(valid_date("2026/11/28"));
    CHECK_FALSE(valid_date("2026-11-28T00:00:00Z"));
    CHECK_FALSE(valid_date("yesterday"));
    CHECK_FALSE(valid_date(""));
}

TEST_CASE("known_timezone knows the IANA zones of the region", "[hours][tz]") {
    using enlace::core::known_timezone;
    for (const char* zone : {"America/Guatemala", "America/Toronto", "America/Mexico_City", "America/El_Salvador",
                             "America/Santo_Domingo", "America/New_York", "UTC"})
        CHECK(known_timezone(zone));
    CHECK_FALSE(known_timezone(""));
    CHECK_FALSE(known_timezone("Mars/Olympus_Mons"));
    CHECK_FALSE(known_timezone("America/Atlantis"));
    CHECK_FALSE(known_timezone("GMT-6 please"));
}

TEST_CASE("zone_offset gives a zone's UTC offset and when it next changes", "[hours][tz]") {
    using enlace::core::zone_offset;
    // Guatemala keeps UTC-6 all year: no change ahead.
    const auto guatemala = zone_offset("America/Guatemala", utc(2026, 7, 15, 12));
    REQUIRE(guatemala);
    CHECK(guatemala->minutes == -360);
    CHECK_FALSE(guatemala->next_change);
    // Toronto: UTC-5 in January until 2 a.m. local on 8 March 2026 (07:00 UTC), then UTC-4 until
    // 2 a.m. local on 1 November (06:00 UTC).
    const auto winter = zone_offset("America/Toronto", utc(2026, 1, 15, 12));
    REQUIRE(winter);
    CHECK(winter->minutes == -300);
    REQUIRE(winter->next_change);
    CHECK(*winter->next_change == utc(2026, 3, 8, 7));
    const auto summer = zone_offset("America/Toronto", utc(2026, 7, 15, 12));
    REQUIRE(summer);
    CHECK(summer->minutes == -240);
    REQUIRE(summer->next_change);
    CHECK(*summer->next_change == utc(2026, 11, 1, 6));
    // Newfoundland is half an hour off the hour.
    CHECK(zone_offset("America/St_Johns", utc(2026, 1, 15, 12))->minutes == -210);
    CHECK_FALSE(zone_offset("Mars/Olympus_Mons", utc(2026, 1, 15, 12)));
}
