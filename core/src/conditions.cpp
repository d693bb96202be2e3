// The filters' one definition (conditions.hpp): checking a query into conditions, and their
// meaning on a record.
#include "enlace/core/conditions.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/validation.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace enlace::core {
namespace {

std::string number_text(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.10g", v);
    return buffer;
}

void check_bbox(const BBox& b) {
    for (const auto& [value, name] : {std::pair{b.west, "west"}, {b.east, "east"}})
        if (!geodesy::valid_lon(value))
            throw query_error("bbox",
                              std::string(name) + " (" + number_text(value) +
                                  ") is not a longitude between -180 and 180 (the order is west,south,east,north)");
    for (const auto& [value, name] : {std::pair{b.south, "south"}, {b.north, "north"}})
        if (!geodesy::valid_lat(value))
            throw query_error("bbox",
                              std::string(name) + " (" + number_text(value) +
                                  ") is not a latitude between -90 and 90 (the order is west,south,east,north)");
    if (b.south > b.north)
        throw query_error("bbox", "south (" + number_text(b.south) + ") is north of north (" + number_text(b.north) +
                                      "): the order is west,south,east,north");
}

void check_countries(const std::vector<std::string>& codes, const ReferenceData& ref, const char* parameter) {
    for (const auto& code : codes)
        if (!ref.country(code))
            throw query_error(parameter, "unknown country '" + code + "' (alpha-2 code of a member country)");
}

bool utc_second(const std::string& text) {
    const auto at = text.size() == 20 ? parse_rfc3339(text) : std::nullopt;
    return at && format_utc(*at) == text;
}

bool lower_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

template <class T> bool among(const std::vector<T>& list, const T& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

template <class T> bool meets(const std::vector<T>& wanted, const std::vector<T>& have) {
    return std::any_of(have.begin(), have.end(), [&](const T& v) { return among(wanted, v); });
}

bool speaks(const std::vector<std::string>& wanted, const std::vector<std::string>& spoken) {
    for (const auto& want : wanted)
        for (const auto& tag : spoken)
            if (lower_equal(tag, want) || (tag.size() > want.size() && tag[want.size()] == '-' &&
                                           lower_equal(std::string_view(tag).substr(0, want.size()), want)))
                return true;
    return false;
}

} // namespace

std::vector<std::string> search_words(std::string_view text, const std::string& parameter) {
    if (text.size() > 500) throw query_error(parameter, "is longer than 500 characters");
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        // Bytes of multi-byte UTF-8 characters (accented letters) belong to words; ASCII
        // punctuation and spaces separate them, as the store's tokenizer does.
        if (u >= 0x80 || std::isalnum(u)) {
            word += c;
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    if (words.empty()) throw query_error(parameter, "has no words to search for");
    return words;
}

ServiceConditions conditions_of(const ServiceQuery& q, const ReferenceData& ref) {
    ServiceConditions c;
    c.audience = q.audience;
    check_countries(q.countries, ref, "country");
    check_countries(q.available_in, ref, "available_in");
    c.countries = q.countries;
    c.available_in = q.available_in;
    c.types = ref.expand(q.types, "type");
    for (const auto& p : q.populations)
        if (!ref.has_population(p)) throw query_error("population", "unknown population '" + p + "'");
    c.populations = q.populations;
    for (const auto& l : q.languages)
        if (!valid_language_tag(l)) throw query_error("language", "'" + l + "' is not a language tag such as es or en");
    c.languages = q.languages;
    if (q.age && (*q.age < 0 || *q.age > 120)) throw query_error("age", "must be between 0 and 120");
    c.age = q.age;
    if (!q.gender.empty() && q.gender != "female" && q.gender != "male")
        throw query_error("gender", "must be female or male (services for that gender or for any)");
    c.gender = q.gender;
    if (q.bbox) check_bbox(*q.bbox);
    c.bbox = q.bbox;
    for (const auto& [value, name] :
         {std::pair{&q.verified_since, "verified_since"}, {&q.verified_before, "verified_before"}})
        if (!value->empty() && !valid_date(*value)) throw query_error(name, "must be a date YYYY-MM-DD");
    for (const auto& [value, name] :
         {std::pair{&q.updated_since, "updated_since"}, {&q.updated_until, "updated_until"}})
        if (!value->empty() && !valid_date(*value) && !utc_second(*value))
            throw query_error(name, "must be a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ");
    c.updated_since = q.updated_since;
    c.updated_until = q.updated_until;
    c.verified_since = q.verified_since;
    c.verified_before = q.verified_before;
    c.statuses =
        q.statuses.empty() ? std::vector{ServiceStatus::active, ServiceStatus::temporarily_closed} : q.statuses;
    if (!q.text.empty()) c.words = search_words(q.text, "q");
    c.open_at = q.open_at;
    return c;
}

bool holds(const ServiceConditions& c, const ServiceFields& s, const std::optional<GeoPoint>& point) {
    if (c.audience == Audience::public_ && s.visibility != Visibility::public_) return false;
    if (!c.countries.empty() && !among(c.countries, s.country)) return false;
    if (!c.available_in.empty()) {
        const bool by_area = !point && !s.area.countries.empty();
        if (by_area ? !meets(c.available_in, s.area.countries) : !among(c.available_in, s.country)) return false;
    }
    if (!c.types.empty() && !meets(c.types, s.types)) return false;
    if (!c.populations.empty() && !s.populations.empty() && !meets(c.populations, s.populations)) return false;
    if (!c.languages.empty() && !speaks(c.languages, s.languages)) return false;
    if (!among(c.statuses, s.status)) return false;
    if (c.age && ((s.age.min && *s.age.min > *c.age) || (s.age.max && *s.age.max < *c.age))) return false;
    if (!c.gender.empty() && s.gender != c.gender && s.gender != "any") return false;
    if (c.sited && !point) return false;
    if (c.bbox && !(point && c.bbox->contains(*point))) return false;
    if (!c.updated_since.empty() && s.updated_at < c.updated_since) return false;
    if (!c.updated_until.empty() && s.updated_at.compare(0, c.updated_until.size(), c.updated_until) > 0) return false;
    if (!c.verified_since.empty() && (s.last_verified.empty() || s.last_verified < c.verified_since)) return false;
    if (!c.verified_before.empty() && !s.last_verified.empty() && s.last_verified >= c.verified_before) return false;
    if (c.open_at && !(s.hours && is_open(*s.hours, *c.open_at))) return false;
    return true;
}

bool holds(const ServiceConditions& c, const Service& s) {
    std::optional<GeoPoint> point;
    if (s.site) point = c.audience == Audience::public_ && s.public_point ? *s.public_point : s.site->point;
    return holds(c, s, point);
}

} // namespace enlace::core
