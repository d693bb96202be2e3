#pragma once
// Opening hours as HSDS schedule rows.
#include "enlace/core/hours.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace enlace::geo::detail::hsds {

constexpr int day_minutes = 24 * 60;

/// A table-schema time (hh:mm:ss); the end of the day is 23:59:59.
std::string hsds_time(int minutes);
/// The days of a bit set (bit 0 Monday) as RFC 5545 BYDAY codes: "MO,TU".
std::string byday(std::uint8_t days);

struct ZoneInfo {
    std::string offset;   // hours, for schedule.timezone; empty for an unknown zone
    std::string valid_to; // the last local day of that offset, when a change is scheduled
};
ZoneInfo zone_info(const std::string& zone, core::instant as_of);

/// One schedule row: days, opening and closing minute (closing 1440 = end of the day).
struct ScheduleRow {
    std::uint8_t days;
    int opens, closes;
    std::string description;
};
std::vector<ScheduleRow> schedule_rows(const core::Shift& shift);

/// Closures as notes ("Cerrado 2026-12-24/2026-12-26: Cierre de fin de año") and as ISO 8601
/// intervals for x_closures.
std::pair<std::string, std::string> closures(const core::OpeningHours& hours,
                                             const std::vector<std::string>& languages);

} // namespace enlace::geo::detail::hsds
