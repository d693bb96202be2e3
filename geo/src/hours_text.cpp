#include "hours_text.hpp"

#include "import_values.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/hours.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/reference.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <map>
#include <vector>

namespace enlace::geo::detail {
namespace {

constexpr std::array<std::string_view, 7> day_codes = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
constexpr const char* example = "e.g. \"Mo-Fr 08:00-12:30,14:00-17:00; Sa 09:00-12:00\" or \"24/7\"";
constexpr const char* days_hint = "Mo, Tu, We, Th, Fr, Sa, Su (or lu, ma, mi, ju, vi, sá, do)";

[[noreturn]] void fail(std::string_view part, std::string_view rule, const std::string& expected) {
    std::string message = "cannot read '" + std::string(part) + "'";
    if (part != rule) message += " in '" + std::string(rule) + "'";
    throw HoursTextError(message + ": " + expected + " (" + example + ")");
}

// ---- writing ---------------------------------------------------------------------------------

std::string days_text(std::uint8_t days) {
    std::string out;
    auto add = [&out](int day) {
        if (!out.empty()) out += ',';
        out += day_codes[static_cast<std::size_t>(day)];
    };
    for (int d = 0; d < 7;) {
        if (!(days & (1u << d))) {
            ++d;
            continue;
        }
        int end = d;
        while (end + 1 < 7 && (days & (1u << (end + 1))))
            ++end;
        if (end - d >= 2) {
            add(d);
            out += '-';
            out += day_codes[static_cast<std::size_t>(end)];
        } else {
            for (int i = d; i <= end; ++i)
                add(i);
        }
        d = end + 1;
    }
    return out;
}

std::string quoted(const std::string& language, const std::string& text) {
    std::string out = "\"" + language + ": ";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

std::vector<std::string> weekly_rules(const core::OpeningHours& hours) {
    std::vector<std::string> rules;
    if (hours.always_open) rules.emplace_back("24/7");
    // Consecutive shifts on the same days share a rule; the shifts keep their order.
    for (std::size_t i = 0; i < hours.weekly.size();) {
        const auto days = hours.weekly[i].days;
        std::string rule = days_text(days) + ' ';
        for (; i < hours.weekly.size() && hours.weekly[i].days == days; ++i) {
            if (rule.back() != ' ') rule += ',';
            rule += core::format_clock(hours.weekly[i].opens) + '-' + core::format_clock(hours.weekly[i].closes);
        }
        rules.push_back(std::move(rule));
    }
    return rules;
}

std::string closure_rule(const core::Closure& closure, bool notes) {
    std::string rule = closure.from;
    if (!closure.to.empty() && closure.to != closure.from) rule += "/" + closure.to;
    rule += " off";
    if (notes)
        for (const auto& [language, text] : closure.note)
            rule += ' ' + quoted(language, text);
    return rule;
}

std::string joined(const core::OpeningHours& hours, bool closures, bool notes) {
    auto rules = weekly_rules(hours);
    if (closures)
        for (const auto& c : hours.closures)
            rules.push_back(closure_rule(c, notes));
    std::string out;
    for (const auto& r : rules)
        out += (out.empty() ? "" : "; ") + r;
    return out;
}

// ---- reading ---------------------------------------------------------------------------------

// Folded day names (English, Spanish, French) -> 0 (Monday) .. 6.
const std::map<std::string, int>& day_names() {
    static const std::map<std::string, int> names = [] {
        std::map<std::string, int> m;
        const std::array<std::vector<const char*>, 7> words = {{
            {"mo", "mon", "monday", "lu", "lun", "lunes", "lundi"},
            {"tu", "tue", "tues", "tuesday", "ma", "mar", "martes", "mardi"},
            {"we", "wed", "wednesday", "mi", "mie", "miercoles", "me", "mer", "mercredi"},
            {"th", "thu", "thur", "thurs", "thursday", "ju", "jue", "jueves", "je", "jeu", "jeudi"},
            {"fr", "fri", "friday", "vi", "vie", "viernes", "ve", "ven", "vendredi"},
            {"sa", "sat", "saturday", "sab", "sabado", "sam", "samedi"},
            {"su", "sun", "sunday", "do", "dom", "domingo", "di", "dim", "dimanche"},
        }};
        for (int d = 0; d < 7; ++d)
            for (const char* w : words[static_cast<std::size_t>(d)])
                m.emplace(w, d);
        return m;
    }();
    return names;
}

bool is_closed_word(const std::string& folded) {
    return folded == "off" || folded == "closed" || folded == "cerrado" || folded == "cerrada" || folded == "ferme";
}

// A dash between days or clock times: '-', en dash or em dash (spreadsheets turn one into the other).
std::vector<std::string> split_dash(const std::string& text) {
    std::string normal;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "\xE2\x80\x93") == 0 || text.compare(i, 3, "\xE2\x80\x94") == 0) {
            normal += '-';
            i += 2;
        } else {
            normal += text[i];
        }
    }
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t at; (at = normal.find('-', start)) != std::string::npos; start = at + 1)
        parts.push_back(trim(normal.substr(start, at - start)));
    parts.push_back(trim(normal.substr(start)));
    return parts;
}

int day_of(const std::string& word, std::string_view rule) {
    std::string folded = core::fold(word);
    while (!folded.empty() && folded.back() == '.')
        folded.pop_back();
    const auto it = day_names().find(folded);
    if (it == day_names().end()) fail(word, rule, "expected a day: " + std::string(days_hint));
    return it->second;
}

std::uint8_t parse_days(const std::string& text, std::string_view rule) {
    if (text.empty()) return 0x7f; // times alone: every day
    std::uint8_t days = 0;
    for (const auto& item : split(text, ",")) {
        const auto range = split_dash(item);
        if (range.size() > 2 || range[0].empty()) fail(item, rule, "expected a day or a range of days such as Mo-Fr");
        const int first = day_of(range[0], rule);
        const int last = range.size() == 2 ? day_of(range[1], rule) : first;
        for (int d = first;; d = (d + 1) % 7) { // Sa-Mo runs over the weekend
            days = static_cast<std::uint8_t>(days | (1u << d));
            if (d == last) break;
        }
    }
    if (days == 0) fail(text, rule, "expected a day: " + std::string(days_hint));
    return days;
}

int parse_time(const std::string& text, std::string_view rule, bool closing) {
    std::string t = text;
    if (t.size() == 4 && t[1] == ':') t = "0" + t; // 8:00
    auto minutes = core::parse_clock(t);
    if (!minutes) fail(text, rule, "expected a time HH:MM (00:00 to 24:00)");
    if (closing && *minutes == 0) return 1440; // closing at 00:00 is closing at midnight
    if (!closing && *minutes == 1440) fail(text, rule, "a shift cannot open at 24:00 (use 00:00)");
    return *minutes;
}

void parse_shifts(const std::string& rule, core::OpeningHours& hours) {
    const auto digit = rule.find_first_of("0123456789");
    std::string days_part = trim(rule.substr(0, digit));
    if (digit == std::string::npos) {
        // "Su off": days without shifts add nothing (days not listed are closed anyway).
        const auto space = days_part.find_last_of(" \t");
        if (space != std::string::npos && is_closed_word(core::fold(days_part.substr(space + 1)))) {
            parse_days(trim(days_part.substr(0, space)), rule);
            return;
        }
        fail(rule, rule, "expected days and shifts such as Mo-Fr 08:00-17:00");
    }
    const std::uint8_t days = parse_days(days_part, rule);
    for (const auto& shift_text : split(rule.substr(digit), ",")) {
        const auto times = split_dash(shift_text);
        if (times.size() != 2) fail(shift_text, rule, "expected a shift HH:MM-HH:MM");
        core::Shift shift;
        shift.days = days;
        shift.opens = parse_time(times[0], rule, false);
        shift.closes = parse_time(times[1], rule, true);
        if (shift.opens == shift.closes) fail(shift_text, rule, "a shift must close at another time than it opens");
        hours.weekly.push_back(shift);
    }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A closure starts with a year: "2026-12-24 off".
bool looks_like_date(std::string_view s) {
    return s.size() >= 5 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) && s[4] == '-';
}

// A BCP 47 language tag such as es, quc or es-MX, as the prefix of a note.
bool language_tag(std::string_view tag) {
    const auto primary = tag.substr(0, tag.find('-'));
    if (primary.size() < 2 || primary.size() > 3) return false;
    for (char c : primary)
        if (c < 'a' || c > 'z') return false;
    for (char c : tag.substr(primary.size()))
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    return tag.size() <= 11;
}

// `es: Cierre` or plain text: one note, in its language or `note_language`.
void add_note(std::string text, const std::string& note_language, core::LocalizedText& note) {
    std::string language = note_language;
    if (const auto colon = text.find(':'); colon != std::string::npos && language_tag(text.substr(0, colon))) {
        language = text.substr(0, colon);
        text = trim(text.substr(colon + 1));
    }
    if (!text.empty()) note[language] = text;
}

// The date that starts at `at` (digits and dashes), and where it ends.
std::string date_at(const std::string& rule, std::size_t& at) {
    const std::size_t start = at;
    while (at < rule.size() && (is_digit(rule[at]) || rule[at] == '-'))
        ++at;
    return rule.substr(start, at - start);
}

void parse_closure(const std::string& rule, const std::string& note_language, core::OpeningHours& hours) {
    core::Closure closure;
    std::size_t at = 0;
    closure.from = date_at(rule, at);
    closure.to = closure.from;
    if (rule.compare(at, 1, "/") == 0 || rule.compare(at, 2, "..") == 0) {
        at += rule[at] == '/' ? 1 : 2;
        closure.to = date_at(rule, at);
    }
    for (const auto* date : {&closure.from, &closure.to})
        if (!core::valid_date(*date)) fail(*date, rule, "expected a date YYYY-MM-DD (a range as FROM/TO)");
    std::string rest = trim(rule.substr(at));
    if (const auto space = rest.find_first_of(" \t\""); is_closed_word(core::fold(rest.substr(0, space))))
        rest = trim(rest.substr(std::min(space, rest.size())));
    while (!rest.empty()) {
        if (rest.front() != '"') { // a note typed without quotes: the rest of the rule
            add_note(rest, note_language, closure.note);
            break;
        }
        std::string text;
        std::size_t i = 1;
        for (; i < rest.size() && rest[i] != '"'; ++i) {
            if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
            text += rest[i];
        }
        if (i >= rest.size()) fail(rest, rule, "a note's closing quote is missing");
        add_note(trim(text), note_language, closure.note);
        rest = trim(rest.substr(i + 1));
    }
    hours.closures.push_back(std::move(closure));
}

// Rules separated by ';' or line breaks, outside quoted notes.
std::vector<std::string> split_rules(std::string_view text) {
    std::vector<std::string> rules;
    std::string current;
    bool quoted_text = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted_text && c == '\\' && i + 1 < text.size()) {
            current += c;
            current += text[++i];
            continue;
        }
        if (c == '"') quoted_text = !quoted_text;
        if (!quoted_text && (c == ';' || c == '\n' || c == '\r')) {
            if (auto r = trim(current); !r.empty()) rules.push_back(std::move(r));
            current.clear();
        } else {
            current += c;
        }
    }
    if (auto r = trim(current); !r.empty()) rules.push_back(std::move(r));
    return rules;
}

core::OpeningHours parse_json_hours(std::string_view text) {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw HoursTextError("starts with '{' but is not a JSON object");
    try {
        auto service = core::service_from_json(nlohmann::json{{"hours", doc}});
        return service.hours.value_or(core::OpeningHours{});
    } catch (const core::validation_error& e) {
        std::string reasons;
        for (const auto& issue : e.issues())
            reasons += (reasons.empty() ? "" : "; ") + issue.field + ": " + issue.reason;
        throw HoursTextError(reasons);
    }
}

} // namespace

std::string format_hours(const core::OpeningHours& hours, std::size_t max_bytes) {
    std::string text = joined(hours, true, true);
    if (text.size() > max_bytes) text = joined(hours, true, false);
    if (text.size() > max_bytes) text = joined(hours, false, false);
    return text;
}

core::OpeningHours parse_hours(std::string_view text, const std::string& note_language) {
    const std::string trimmed = trim(std::string(text));
    if (!trimmed.empty() && trimmed.front() == '{') return parse_json_hours(trimmed);
    core::OpeningHours hours;
    for (const auto& rule : split_rules(trimmed)) {
        const std::string folded = core::fold(rule);
        if (folded == "24/7") {
            hours.always_open = true;
        } else if (folded == "ph off" || folded.rfind("ph ", 0) == 0 || folded == "ph") {
            fail(rule, rule, "public holidays (PH) are not known here: list the closed dates (2026-12-25 off)");
        } else if (looks_like_date(rule)) {
            parse_closure(rule, note_language, hours);
        } else {
            parse_shifts(rule, hours);
        }
    }
    return hours;
}

} // namespace enlace::geo::detail
