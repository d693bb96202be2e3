// Opening hours as HSDS schedules: weekly rows in local time, the zone's UTC offset on the
// export date, closures as notes.
#include "hsds_schedules.hpp"

#include "export_detail.hpp"
#include "hsds_values.hpp"

#include "enlace/core/hours.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"

#include <chrono>
#include <cstdio>

namespace enlace::geo::detail::hsds {
namespace {

const core::LocalizedText closed_word{{"es", "Cerrado"}, {"en", "Closed"}, {"fr", "Fermé"}};

/// The days after `days` (Monday -> Tuesday, Sunday -> Monday).
std::uint8_t next_days(std::uint8_t days) {
    return static_cast<std::uint8_t>(((days << 1) & 0x7f) | ((days >> 6) & 1u));
}

/// "-6", "-3.5", "5.75": an offset in hours, as HSDS's schedule.timezone (a number) holds it.
std::string offset_hours(int minutes) {
    if (minutes % 60 == 0) return std::to_string(minutes / 60);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.2f", minutes / 60.0);
    std::string out = buffer;
    while (out.back() == '0')
        out.pop_back();
    return out;
}

} // namespace

/// A table-schema time (hh:mm:ss). The end of the day (24:00) is 23:59:59, the last second HSDS
/// can say (its guidance marks 24-hour opening as 00:00 to 23:59).
std::string hsds_time(int minutes) {
    if (minutes >= day_minutes) return "23:59:59";
    return core::format_clock(minutes) + ":00";
}

std::string byday(std::uint8_t days) {
    std::vector<std::string> codes;
    for (int d = 0; d < 7; ++d)
        if (days & (1u << d)) {
            std::string code(core::weekday_code(d));
            for (auto& ch : code)
                ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            codes.push_back(code);
        }
    return join_list(codes);
}

ZoneInfo zone_info(const std::string& zone, core::instant as_of) {
    ZoneInfo out;
    const auto offset = core::zone_offset(zone, as_of);
    if (!offset) return out;
    out.offset = offset_hours(offset->minutes);
    if (offset->next_change) {
        // The local day of the change, in the offset before it; the day before is the last whole one.
        const auto local = *offset->next_change + std::chrono::minutes(offset->minutes);
        const auto day = std::chrono::floor<std::chrono::days>(local) - std::chrono::days(1);
        const std::chrono::year_month_day ymd{day};
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        out.valid_to = buffer;
    }
    return out;
}

/// HSDS rows of a shift: a shift past midnight becomes its evening (to the end of the day) and
/// its morning on the following days; the description keeps the shift as the registry has it.
std::vector<ScheduleRow> schedule_rows(const core::Shift& shift) {
    const auto original =
        byday(shift.days) + " " + core::format_clock(shift.opens) + "-" + core::format_clock(shift.closes);
    if (shift.closes > shift.opens)
        return {{shift.days, shift.opens, shift.closes, shift.closes >= day_minutes ? original : ""}};
    std::vector<ScheduleRow> rows{{shift.days, shift.opens, day_minutes, original}};
    if (shift.closes > 0) rows.push_back({next_days(shift.days), 0, shift.closes, original});
    return rows;
}

/// Closures as notes ("Cerrado 2026-12-24/2026-12-26: Cierre de fin de año") and as ISO 8601
/// intervals for x_closures.
std::pair<std::string, std::string> closures(const core::OpeningHours& hours,
                                             const std::vector<std::string>& languages) {
    std::vector<std::string> notes, intervals;
    for (const auto& c : hours.closures) {
        const auto interval = c.from == c.to ? c.from : c.from + "/" + c.to;
        intervals.push_back(interval);
        const auto note = first_language(c.note, languages);
        notes.push_back(own_text(closed_word, languages.front()) + " " + interval + (note.empty() ? "" : ": " + note));
    }
    return {join_list(notes, "; "), join_list(intervals)};
}

} // namespace enlace::geo::detail::hsds
