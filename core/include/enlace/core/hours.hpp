#pragma once
// Opening hours evaluated in the service's own IANA time zone.
#include "enlace/core/model.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace enlace::core {

using instant = std::chrono::sys_seconds;

/// True when the service is open at the instant: always open, or inside a weekly shift (shifts
/// may run past midnight) and not on a closure date, all in hours.timezone.
bool is_open(const OpeningHours& hours, instant at);

/// RFC 3339 date-time with an offset ("2026-11-28T14:05:00-06:00" or "...Z").
std::optional<instant> parse_rfc3339(std::string_view text);

/// The instant as stored in created_at / updated_at: "2026-11-28T22:50:01Z".
std::string format_utc(instant at);

/// A calendar date YYYY-MM-DD that exists.
bool valid_date(std::string_view text);

/// The IANA zone exists in the system's tz database.
bool known_timezone(const std::string& name);

/// A zone's offset from UTC at an instant (minutes east of UTC: -360 for America/Guatemala), and
/// the instant it next changes when the tz database schedules a change (daylight saving time).
struct ZoneOffset {
    int minutes = 0;
    std::optional<instant> next_change;
};
/// Nothing for a zone the tz database does not know.
std::optional<ZoneOffset> zone_offset(const std::string& zone, instant at);

} // namespace enlace::core
