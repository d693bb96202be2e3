#include "enlace/core/hours.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>

namespace enlace::core {
namespace {

std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + count, value);
    if (ec != std::errc() || end != text.data() + pos + count) return std::nullopt;
    return value;
}

std::optional<date::year_month_day> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
    if (!y || !m || !d) return std::nullopt;
    date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                             date::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

bool closed_on(const OpeningHours& hours, const date::year_month_day& day) {
    for (const auto& closure : hours.closures) {
        auto from = parse_date(closure.from), to = parse_date(closure.to);
        if (from && to && *from <= day && day <= *to) return true;
    }
    return false;
}

// Weekday index with Monday = 0, as in Shift::days.
int monday_based(const date::local_days& day) { return static_cast<int>((date::weekday{day}.c_encoding() + 6) % 7); }

} // namespace

bool is_open(const OpeningHours& hours, instant at) {
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(hours.timezone);
    } catch (const std::exception&) {
        return false; // validation refuses unknown zones; an old record with one is never "open now"
    }
    const auto local = zone->to_local(at);
    const auto today = date::floor<date::days>(local);
    const int minute = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - today).count());
    const date::local_days yesterday = today - date::days{1};

    if (closed_on(hours, date::year_month_day{today})) return false;
    if (hours.always_open) return true;
    const int day = monday_based(today), previous = monday_based(yesterday);
    for (const auto& shift : hours.weekly) {
        const bool overnight = shift.closes <= shift.opens;
        if ((shift.days >> day) & 1u) {
            if (minute >= shift.opens && (overnight || minute < shift.closes)) return true;
        }
        // The tail, after midnight, of an overnight shift that began yesterday.
        if (overnight && ((shift.days >> previous) & 1u) && minute < shift.closes) return true;
    }
    return false;
}

std::string format_utc(instant at) { return date::format("%Y-%m-%dT%H:%M:%SZ", at); }

std::optional<instant> parse_rfc3339(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    if (text.size() < 20) return std::nullopt;
    auto day = parse_date(text.substr(0, 10));
    if (!day || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    auto h = digits(text, 11, 2), m = digits(text, 14, 2), s = digits(text, 17, 2);
    if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60) return std::nullopt;
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
            ++pos;
        if (pos == start) return std::nullopt;
    }
    if (pos >= text.size()) return std::nullopt;
    int offset_minutes = 0;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        if (pos + 1 != text.size()) return std::nullopt;
    } else if (text[pos] == '+' || text[pos] == '-') {
        if (pos + 6 != text.size() || text[pos + 3] != ':') return std::nullopt;
        auto oh = digits(text, pos + 1, 2), om = digits(text, pos + 4, 2);
        if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
        offset_minutes = (*oh * 60 + *om) * (text[pos] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    const auto local =
        date::sys_days{*day} + std::chrono::hours{*h} + std::chrono::minutes{*m} + std::chrono::seconds{*s};
    return std::chrono::time_point_cast<std::chrono::seconds>(local - std::chrono::minutes{offset_minutes});
}

bool valid_date(std::string_view text) { return parse_date(text).has_value(); }

bool known_timezone(const std::string& name) {
    try {
        return !name.empty() && date::locate_zone(name) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

std::optional<ZoneOffset> zone_offset(const std::string& name, instant at) {
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(name);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const auto info = zone->get_info(at);
    ZoneOffset out;
    out.minutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
    // A zone without daylight saving time keeps its last offset to the end of the database's range.
    if (info.end < date::sys_days{date::year{9999} / 1 / 1}) out.next_change = info.end;
    return out;
}

} // namespace enlace::core
