#include "enlace/core/validation.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/hours.hpp"
#include "enlace/core/json_text.hpp"

#include <algorithm>
#include <cctype>

namespace enlace::core {
namespace {

using issues = std::vector<validation_issue>;

std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

void unique_sorted(std::vector<std::string>& values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
}

std::string upper(std::string text) {
    for (auto& c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

void check_key(const std::string& source, const std::string& source_id, issues& out) {
    if (source.empty() != source_id.empty())
        out.push_back({source.empty() ? "source" : "source_id", "source and source_id go together"});
}

void check_name(const LocalizedText& name, const char* field, issues& out) {
    if (name.empty()) out.push_back({field, "is required (at least one language)"});
    for (const auto& [language, text] : name)
        if (!valid_language_tag(language))
            out.push_back({std::string(field) + "." + language, "is not a language tag such as es, en or fr"});
}

void check_countries(std::vector<std::string>& codes, const ReferenceData& ref, const std::string& field, issues& out) {
    for (std::size_t i = 0; i < codes.size(); ++i) {
        codes[i] = upper(codes[i]);
        if (!ref.country(codes[i]))
            out.push_back({at(field, i), "unknown country '" + codes[i] + "' (use a member country's alpha-2 code)"});
    }
    unique_sorted(codes);
}

void check_types(std::vector<std::string>& types, const ReferenceData& ref, const std::string& field, issues& out) {
    for (std::size_t i = 0; i < types.size(); ++i) {
        types[i] = upper(types[i]);
        if (!ref.term(types[i])) out.push_back({at(field, i), "unknown service type '" + types[i] + "'"});
    }
    unique_sorted(types);
}

void check_contacts(const std::vector<Contact>& contacts, const std::string& field, issues& out) {
    for (std::size_t i = 0; i < contacts.size(); ++i) {
        const auto& c = contacts[i];
        if (c.value.empty()) out.push_back({at(field, i) + ".value", "is required"});
        if (c.kind == ContactKind::email && c.value.find('@') == std::string::npos)
            out.push_back({at(field, i) + ".value", "is not an e-mail address"});
    }
}

/// The longest text of one field (a description of several pages): a record is one document,
/// read whole by every reader.
constexpr std::size_t max_text_bytes = 20000;

/// Every free text must be UTF-8: records are stored and served as JSON, which cannot carry
/// anything else, and one bad byte would make the record unreadable later.
void check_utf8(const Service& s, issues& out) {
    // Field names are built only for a bad value (`path` makes one): this runs for every imported row.
    auto text = [&](auto&& path, const std::string& value) {
        if (value.size() > max_text_bytes)
            out.push_back({path(), "is longer than " + std::to_string(max_text_bytes) + " bytes"});
        else if (!valid_utf8(value))
            out.push_back({path(), "is not valid UTF-8 text"});
    };
    auto field = [](const char* name) { return [name] { return std::string(name); }; };
    auto localized = [&](auto&& path, const LocalizedText& value) {
        // Not a structured binding: clang 14 cannot capture one in a lambda.
        for (const auto& entry : value) {
            const std::string& language = entry.first;
            text([&] { return path() + "." + language; }, entry.second);
        }
    };
    auto list = [&](const char* path, const std::vector<std::string>& values) {
        for (std::size_t i = 0; i < values.size(); ++i)
            text([&] { return at(path, i); }, values[i]);
    };
    text(field("source"), s.source);
    text(field("source_id"), s.source_id);
    localized(field("name"), s.name);
    localized(field("description"), s.description);
    list("types", s.types);
    list("service_area.admin1", s.area.admin1);
    for (const auto& field_value : {std::pair{"street", &s.address.street},
                                    {"locality", &s.address.locality},
                                    {"admin1_name", &s.address.admin1_name},
                                    {"admin1_code", &s.address.admin1_code},
                                    {"admin2_name", &s.address.admin2_name},
                                    {"admin2_code", &s.address.admin2_code},
                                    {"postal_code", &s.address.postal_code}}) {
        const char* name = field_value.first;
        text([&] { return std::string("address.") + name; }, *field_value.second);
    }
    for (std::size_t i = 0; i < s.contacts.size(); ++i) {
        text([&] { return at("contacts", i) + ".value"; }, s.contacts[i].value);
        localized([&] { return at("contacts", i) + ".label"; }, s.contacts[i].label);
    }
    if (s.hours)
        for (std::size_t i = 0; i < s.hours->closures.size(); ++i)
            localized([&] { return at("hours.closures", i) + ".note"; }, s.hours->closures[i].note);
    list("languages", s.languages);
    list("populations", s.populations);
    text(field("gender"), s.gender);
    text(field("cost"), s.cost);
    text(field("last_verified"), s.last_verified);
}

void check_hours(OpeningHours& hours, const Country* country, issues& out) {
    if (hours.timezone.empty() && country) hours.timezone = country->timezone;
    if (!known_timezone(hours.timezone))
        out.push_back({"hours.timezone", "unknown IANA time zone '" + hours.timezone + "'"});
    if (!hours.always_open && hours.weekly.empty())
        out.push_back({"hours.weekly", "needs at least one shift, or always_open: true"});
    for (std::size_t i = 0; i < hours.closures.size(); ++i) {
        const auto& c = hours.closures[i];
        const std::string path = at("hours.closures", i);
        if (!valid_date(c.from)) out.push_back({path + ".from", "must be a date YYYY-MM-DD, got '" + c.from + "'"});
        if (!valid_date(c.to)) out.push_back({path + ".to", "must be a date YYYY-MM-DD, got '" + c.to + "'"});
        if (valid_date(c.from) && valid_date(c.to) && c.to < c.from) out.push_back({path + ".to", "is before from"});
    }
}

} // namespace

bool valid_language_tag(std::string_view tag) {
    // language (2-3 letters) followed by subtags of 2-8 letters or digits
    std::size_t start = 0, index = 0;
    while (start <= tag.size()) {
        const std::size_t end = std::min(tag.find('-', start), tag.size());
        const std::size_t length = end - start;
        const auto part = tag.substr(start, length);
        if (index == 0) {
            if (length < 2 || length > 3 || !std::all_of(part.begin(), part.end(), [](char c) {
                    return std::isalpha(static_cast<unsigned char>(c));
                }))
                return false;
        } else if (length < 2 || length > 8 || !std::all_of(part.begin(), part.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c));
                   })) {
            return false;
        }
        ++index;
        start = end + 1;
    }
    return index > 0;
}

void validate(Service& s, const ReferenceData& ref) {
    issues out;
    check_utf8(s, out);
    check_key(s.source, s.source_id, out);
    check_name(s.name, "name", out);
    if (s.types.empty()) out.push_back({"types", "needs at least one service type"});
    check_types(s.types, ref, "types", out);

    s.country = upper(s.country);
    const Country* country = ref.country(s.country);
    if (s.country.empty())
        out.push_back({"country", "is required"});
    else if (!country)
        out.push_back({"country", "unknown country '" + s.country + "' (use a member country's alpha-2 code)"});

    if (s.site) {
        const GeoPoint& p = s.site->point;
        const bool lon_ok = geodesy::valid_lon(p.lon), lat_ok = geodesy::valid_lat(p.lat);
        if (!lon_ok) out.push_back({"location.lon", "must be a longitude between -180 and 180"});
        if (!lat_ok) out.push_back({"location.lat", "must be a latitude between -90 and 90"});
        if (lon_ok && lat_ok && country && !ref.in_country(*country, p)) {
            const char* shape = country->outline.empty() ? "'s bounding box" : "'s outline";
            std::string reason = "point (" + std::to_string(p.lon) + ", " + std::to_string(p.lat) + ") lies outside " +
                                 country->alpha2 + shape;
            std::string inside;
            for (const auto* other : ref.countries_at(p))
                inside += (inside.empty() ? "" : ", ") + other->alpha2;
            if (!inside.empty()) reason += "; it falls in " + inside;
            if (ref.in_country(*country, GeoPoint{p.lat, p.lon})) reason += "; latitude and longitude look swapped";
            out.push_back({"location", reason});
        }
    } else if (s.area.empty()) {
        out.push_back({"location", "is required, or a service_area (countries / admin1) for a service without a site"});
    }
    check_countries(s.area.countries, ref, "service_area.countries", out);
    unique_sorted(s.area.admin1);

    if (s.age.min && (*s.age.min < 0 || *s.age.min > 120)) out.push_back({"age.min", "must be between 0 and 120"});
    if (s.age.max && (*s.age.max < 0 || *s.age.max > 120)) out.push_back({"age.max", "must be between 0 and 120"});
    if (s.age.min && s.age.max && *s.age.min > *s.age.max)
        out.push_back({"age", "min (" + std::to_string(*s.age.min) + ") is greater than max (" +
                                  std::to_string(*s.age.max) + ")"});

    for (std::size_t i = 0; i < s.populations.size(); ++i)
        if (!ref.has_population(s.populations[i]))
            out.push_back({at("populations", i), "unknown population '" + s.populations[i] + "'"});
    unique_sorted(s.populations);
    for (std::size_t i = 0; i < s.languages.size(); ++i)
        if (!valid_language_tag(s.languages[i]))
            out.push_back({at("languages", i), "'" + s.languages[i] + "' is not a BCP-47 language tag"});
    unique_sorted(s.languages);
    if (s.gender != "any" && s.gender != "female" && s.gender != "male")
        out.push_back({"gender", "must be any, female or male"});
    if (s.capacity && *s.capacity < 0) out.push_back({"capacity", "must not be negative"});
    if (!s.last_verified.empty() && !valid_date(s.last_verified))
        out.push_back({"last_verified", "must be a date YYYY-MM-DD, got '" + s.last_verified + "'"});
    check_contacts(s.contacts, "contacts", out);
    if (s.hours) check_hours(*s.hours, country, out);
    if (!out.empty()) throw validation_error(std::move(out));
}

void validate(Actor& a, const ReferenceData& ref) {
    issues out;
    check_key(a.source, a.source_id, out);
    check_name(a.name, "name", out);
    if (a.actor_type.empty())
        out.push_back({"actor_type", "is required"});
    else if (!ref.has_actor_type(a.actor_type))
        out.push_back({"actor_type", "unknown actor type '" + a.actor_type + "'"});
    check_countries(a.countries, ref, "countries", out);
    if (!a.email.empty() && a.email.find('@') == std::string::npos)
        out.push_back({"email", "is not an e-mail address"});
    check_contacts(a.contacts, "contacts", out);
    if (!out.empty()) throw validation_error(std::move(out));
}

void validate(Practice& p, const ReferenceData& ref) {
    issues out;
    check_key(p.source, p.source_id, out);
    check_name(p.title, "title", out);
    if (p.countries.empty()) out.push_back({"countries", "needs at least one country"});
    check_countries(p.countries, ref, "countries", out);
    check_types(p.service_types, ref, "service_types", out);
    for (std::size_t i = 0; i < p.axes.size(); ++i)
        if (p.axes[i] < 1 || p.axes[i] > 5) out.push_back({at("axes", i), "must be an RCM axis from 1 to 5"});
    for (std::size_t i = 0; i < p.gcm_objectives.size(); ++i)
        if (p.gcm_objectives[i] < 1 || p.gcm_objectives[i] > 23)
            out.push_back({at("gcm_objectives", i), "must be a Global Compact objective from 1 to 23"});
    for (std::size_t i = 0; i < p.target_population.size(); ++i)
        if (!ref.has_population(p.target_population[i]))
            out.push_back({at("target_population", i), "unknown population '" + p.target_population[i] + "'"});
    static const std::vector<std::string> scopes{"national", "admin1", "admin2", "cross_border", "regional"};
    if (!p.scope.empty() && std::find(scopes.begin(), scopes.end(), p.scope) == scopes.end())
        out.push_back({"scope", "must be national, admin1, admin2, cross_border or regional"});
    static const std::vector<std::string> evidence{"anecdotal", "monitoring_data", "external_evaluation"};
    if (!p.evidence_level.empty() && std::find(evidence.begin(), evidence.end(), p.evidence_level) == evidence.end())
        out.push_back({"evidence_level", "must be anecdotal, monitoring_data or external_evaluation"});
    static const std::vector<std::string> principles{"best_interests", "non_detention", "family_unity",
                                                     "participation"};
    for (std::size_t i = 0; i < p.principles.size(); ++i)
        if (std::find(principles.begin(), principles.end(), p.principles[i]) == principles.end())
            out.push_back(
                {at("principles", i), "must be best_interests, non_detention, family_unity or participation"});
    if (p.year_start && p.year_end && *p.year_end < *p.year_start)
        out.push_back({"period.end", "is before period.start"});
    if (!p.contact_email.empty() && p.contact_email.find('@') == std::string::npos)
        out.push_back({"contact_email", "is not an e-mail address"});
    if (!p.original_language.empty() && !valid_language_tag(p.original_language))
        out.push_back({"original_language", "is not a language tag"});
    if (!out.empty()) throw validation_error(std::move(out));
}

} // namespace enlace::core
