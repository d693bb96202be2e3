#include "geo/hsds_rules.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace enlace::test::hsds {
namespace {

// Shorthands for the transcription below.
Field id() { return {"id", Type::string, Format::uuid, true, true, {}, {}, false, Rule::none}; }
Field text(std::string name, bool required = false) {
    return {std::move(name), Type::string, Format::none, required, false, {}, {}, false, Rule::none};
}
Field typed(std::string name, Type type, Rule rule = Rule::none) {
    return {std::move(name), type, Format::none, false, false, {}, {}, false, rule};
}
Field formatted(std::string name, Format format) {
    return {std::move(name), Type::string, format, false, false, {}, {}, false, Rule::none};
}
/// A uuid field holding the id of `table`; declared: a foreign key of the spec's datapackage.json.
Field key(std::string name, std::string table, bool declared = true, bool required = false) {
    return {std::move(name), Type::string, Format::uuid, required, false, {}, std::move(table), declared, Rule::none};
}
Field one_of(std::string name, std::vector<std::string> values, bool required = false) {
    return {std::move(name), Type::string, Format::none, required, false, std::move(values), {}, false, Rule::none};
}
Field ruled(std::string name, Rule rule, bool required = false) {
    return {std::move(name), Type::string, Format::none, required, false, {}, {}, false, rule};
}

const std::vector<std::string> location_types{"physical", "postal", "virtual"};
const std::vector<std::string> weekdays{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

std::vector<Table> transcribe() {
    std::vector<Table> t;
    // schema/organization.json: required id, name, description.
    t.push_back({"organization",
                 "organizations.csv",
                 {id(), text("name", true), text("alternate_name"), text("description", true),
                  formatted("email", Format::email), formatted("website", Format::uri), text("tax_status"),
                  text("tax_id"), typed("year_incorporated", Type::number), text("legal_status"), text("logo"),
                  formatted("uri", Format::uri), key("parent_organization_id", "organization", false)}});
    // schema/service.json: required id, name, status; tabular_required organization_id.
    t.push_back({"service",
                 "services.csv",
                 {id(),
                  key("organization_id", "organization", true, true),
                  key("program_id", "program"),
                  text("name", true),
                  text("alternate_name"),
                  text("description"),
                  formatted("url", Format::uri),
                  formatted("email", Format::email),
                  one_of("status", {"active", "inactive", "defunct", "temporarily closed"}, true),
                  text("interpretation_services"),
                  text("application_process"),
                  text("fees_description"),
                  text("wait_time"),
                  text("fees"),
                  text("accreditations"),
                  text("eligibility_description"),
                  typed("minimum_age", Type::number),
                  typed("maximum_age", Type::number),
                  typed("assured_date", Type::date),
                  formatted("assurer_email", Format::email),
                  text("licenses"),
                  text("alert"),
                  typed("last_modified", Type::datetime)}});
    // schema/location.json: required id, location_type.
    t.push_back({"location",
                 "locations.csv",
                 {id(), one_of("location_type", location_types, true), formatted("url", Format::uri),
                  key("organization_id", "organization"), text("name"), text("alternate_name"), text("description"),
                  text("transportation"), typed("latitude", Type::number, Rule::latitude),
                  typed("longitude", Type::number, Rule::longitude), text("external_identifier"),
                  text("external_identifier_type")}});
    // schema/service_at_location.json: required id; tabular_required service_id, location_id.
    t.push_back({"service_at_location",
                 "service_at_location.csv",
                 {id(), key("service_id", "service", true, true), key("location_id", "location", true, true),
                  text("description")}});
    // schema/address.json: required id, address_1, city, state_province, postal_code, country,
    // address_type.
    t.push_back({"address",
                 "addresses.csv",
                 {id(), key("location_id", "location"), text("attention"), text("address_1", true), text("address_2"),
                  text("city", true), text("region"), text("state_province", true), text("postal_code", true),
                  ruled("country", Rule::country_alpha2, true), one_of("address_type", location_types, true)}});
    // schema/phone.json: required id, number.
    t.push_back(
        {"phone",
         "phones.csv",
         {id(), key("location_id", "location"), key("service_id", "service"), key("organization_id", "organization"),
          key("contact_id", "contact"), key("service_at_location_id", "service_at_location"), text("number", true),
          typed("extension", Type::number), ruled("type", Rule::phone_type), text("description")}});
    // schema/schedule.json: required id.
    t.push_back({"schedule",
                 "schedules.csv",
                 {id(),
                  key("service_id", "service"),
                  key("location_id", "location"),
                  key("service_at_location_id", "service_at_location"),
                  typed("valid_from", Type::date),
                  typed("valid_to", Type::date),
                  typed("dtstart", Type::date),
                  typed("timezone", Type::number),
                  typed("until", Type::date),
                  typed("count", Type::number),
                  one_of("wkst", weekdays),
                  one_of("freq", {"WEEKLY", "MONTHLY"}),
                  typed("interval", Type::number),
                  ruled("byday", Rule::byday),
                  text("byweekno"),
                  text("bymonthday"),
                  text("byyearday"),
                  text("description"),
                  typed("opens_at", Type::time),
                  typed("closes_at", Type::time),
                  formatted("schedule_link", Format::uri),
                  text("attending_type"),
                  text("notes")}});
    // schema/language.json: required id.
    t.push_back({"language",
                 "languages.csv",
                 {id(), key("service_id", "service"), key("location_id", "location"), key("phone_id", "phone"),
                  text("name"), ruled("code", Rule::language_code), text("note")}});
    // schema/service_area.json: required id. (uri has no format in 3.0.)
    t.push_back({"service_area",
                 "service_areas.csv",
                 {id(), key("service_id", "service"), text("name"), text("description"), text("extent"),
                  ruled("extent_type", Rule::extent_type), text("uri")}});
    // schema/taxonomy.json: required id, name, description.
    t.push_back(
        {"taxonomy",
         "taxonomies.csv",
         {id(), text("name", true), text("description", true), formatted("uri", Format::uri), text("version")}});
    // schema/taxonomy_term.json: required id, name, description; code unique.
    Field code = text("code");
    code.unique = true;
    t.push_back(
        {"taxonomy_term",
         "taxonomy_terms.csv",
         {id(), code, text("name", true), text("description", true), key("parent_id", "taxonomy_term", false),
          text("taxonomy"), text("language"), key("taxonomy_id", "taxonomy"), formatted("term_uri", Format::uri)}});
    // schema/attribute.json: required id; tabular_required link_id, taxonomy_term_id, link_entity.
    t.push_back({"attribute",
                 "attributes.csv",
                 {id(), key("link_id", "*", false, true), key("taxonomy_term_id", "taxonomy_term", true, true),
                  text("link_type"), text("link_entity", true), text("value")}});
    return t;
}

std::string_view type_name(Type type) {
    switch (type) {
    case Type::number:
        return "number";
    case Type::date:
        return "date";
    case Type::time:
        return "time";
    case Type::datetime:
        return "datetime";
    case Type::string:
        break;
    }
    return "string";
}

std::string_view format_name(Format format) {
    switch (format) {
    case Format::uuid:
        return "uuid";
    case Format::email:
        return "email";
    case Format::uri:
        return "uri";
    case Format::none:
        break;
    }
    return "";
}

bool digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
int number_at(std::string_view s, std::size_t at, std::size_t n) { return std::stoi(std::string(s.substr(at, n))); }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// hh:mm:ss with optional fraction, starting at `text`; returns the length used or 0.
std::size_t clock_length(std::string_view s) {
    if (s.size() < 8 || s[2] != ':' || s[5] != ':' || !digits(s.substr(0, 2)) || !digits(s.substr(3, 2)) ||
        !digits(s.substr(6, 2)))
        return 0;
    if (number_at(s, 0, 2) > 23 || number_at(s, 3, 2) > 59 || number_at(s, 6, 2) > 59) return 0;
    std::size_t n = 8;
    if (n < s.size() && s[n] == '.') {
        std::size_t k = n + 1;
        while (k < s.size() && s[k] >= '0' && s[k] <= '9')
            ++k;
        if (k == n + 1) return 0;
        n = k;
    }
    return n;
}

/// "Z" or +hh:mm / -hh:mm.
bool is_offset(std::string_view s) {
    if (s == "Z" || s == "z") return true;
    return s.size() == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':' && digits(s.substr(1, 2)) &&
           digits(s.substr(4, 2)) && number_at(s, 1, 2) <= 23 && number_at(s, 4, 2) <= 59;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
        i += n;
    }
    return true;
}

bool frictionless_type(const std::string& type) {
    static const std::set<std::string> types{"string",    "number",   "integer",  "boolean",  "object",
                                             "array",     "date",     "time",     "datetime", "year",
                                             "yearmonth", "duration", "geopoint", "geojson",  "any"};
    return types.contains(type);
}

/// A GeoJSON Polygon or MultiPolygon (RFC 7946): closed rings of at least four WGS84 positions.
std::string geojson_polygon_problem(std::string_view text) {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return "is not a GeoJSON object";
    const auto type = doc.value("type", std::string());
    if (type != "Polygon" && type != "MultiPolygon") return "is not a GeoJSON Polygon or MultiPolygon";
    if (!doc.contains("coordinates") || !doc["coordinates"].is_array()) return "has no coordinates";
    const auto polygons = type == "Polygon" ? nlohmann::json::array({doc["coordinates"]}) : doc["coordinates"];
    if (polygons.empty()) return "has no polygon";
    for (const auto& polygon : polygons) {
        if (!polygon.is_array() || polygon.empty()) return "has a polygon without rings";
        for (const auto& ring : polygon) {
            if (!ring.is_array() || ring.size() < 4) return "has a ring of fewer than four positions";
            for (const auto& p : ring)
                if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number() ||
                    std::abs(p[0].get<double>()) > 180 || std::abs(p[1].get<double>()) > 90)
                    return "has a position that is not a WGS84 longitude, latitude";
            if (ring.front() != ring.back()) return "has a ring that is not closed";
        }
    }
    return {};
}

std::string rule_problem(Rule rule, const std::string& v) {
    switch (rule) {
    case Rule::country_alpha2:
        return v.size() == 2 && std::all_of(v.begin(), v.end(), [](char c) { return c >= 'A' && c <= 'Z'; })
                   ? ""
                   : "is not an ISO 3166-1 alpha-2 code";
    case Rule::language_code:
        return (v.size() == 2 || v.size() == 3) &&
                       std::all_of(v.begin(), v.end(), [](char c) { return c >= 'a' && c <= 'z'; })
                   ? ""
                   : "is not an ISO 639-1 or 639-3 code";
    case Rule::byday: {
        std::stringstream parts(v);
        std::string day;
        int n = 0;
        while (std::getline(parts, day, ',')) {
            ++n;
            if (std::find(weekdays.begin(), weekdays.end(), day) == weekdays.end())
                return "is not a comma-separated list of MO, TU, WE, TH, FR, SA, SU";
        }
        return n && v.back() != ',' ? "" : "is not a comma-separated list of days";
    }
    case Rule::phone_type: {
        static const std::set<std::string> types{"text", "voice", "fax", "cell", "video", "pager", "textphone"};
        return types.contains(v) ? "" : "is not an RFC 6350 phone type";
    }
    case Rule::extent_type: {
        static const std::set<std::string> types{"geojson", "topojson", "kml", "text"};
        return types.contains(v) ? "" : "is not one of geojson, topojson, kml, text";
    }
    case Rule::latitude:
        return is_number(v) && std::abs(std::stod(v)) <= 90 ? "" : "is not a latitude in degrees";
    case Rule::longitude:
        return is_number(v) && std::abs(std::stod(v)) <= 180 ? "" : "is not a longitude in degrees";
    case Rule::none:
        break;
    }
    return {};
}

/// The problem with a value of a declared Frictionless type and format, or "".
std::string value_problem(const std::string& type, const std::string& format, const std::string& v) {
    if (type == "number" && !is_number(v)) return "is not a number";
    if (type == "integer" && !is_integer(v)) return "is not an integer";
    if (type == "boolean" && !is_boolean(v)) return "is not a boolean";
    if (type == "date" && !is_date(v)) return "is not a date (YYYY-MM-DD)";
    if (type == "time" && !is_time(v)) return "is not a time (hh:mm:ss)";
    if (type == "datetime" && !is_datetime(v)) return "is not a date-time (RFC 3339)";
    if (type == "string") {
        if (format == "uuid" && !is_uuid(v)) return "is not a UUID";
        if (format == "email" && !is_email(v)) return "is not an e-mail address";
        if (format == "uri" && !is_uri(v)) return "is not a URI";
    }
    return {};
}

std::string shown(const std::string& v) { return "'" + (v.size() > 60 ? v.substr(0, 57) + "..." : v) + "'"; }

class Report {
  public:
    void add(std::string line) {
        if (m_lines.size() < limit)
            m_lines.push_back(std::move(line));
        else
            ++m_more;
    }
    std::vector<std::string> lines() && {
        if (m_more) m_lines.push_back("... and " + std::to_string(m_more) + " more");
        return std::move(m_lines);
    }

  private:
    static constexpr std::size_t limit = 200;
    std::vector<std::string> m_lines;
    std::size_t m_more = 0;
};

/// The declared field names of a resource's schema.
std::vector<std::string> declared_names(const nlohmann::json& resource) {
    std::vector<std::string> names;
    if (resource.contains("schema") && resource["schema"].contains("fields"))
        for (const auto& f : resource["schema"]["fields"])
            names.push_back(f.value("name", std::string()));
    return names;
}

/// "fields" of a primary or foreign key: a name or a list of one name.
std::string single_field(const nlohmann::json& fields) {
    if (fields.is_string()) return fields.get<std::string>();
    if (fields.is_array() && fields.size() == 1 && fields[0].is_string()) return fields[0].get<std::string>();
    return {};
}

bool extension_name(const Table& table, const std::string& name) {
    if (name.rfind("x_", 0) == 0 && name.size() > 2) return true;
    // <HSDS text field>_<language tag>: a translation of that field (name_es, description_fr).
    const auto underscore = name.rfind('_');
    if (underscore == std::string::npos || underscore + 2 > name.size()) return false;
    const auto* base = table.field(name.substr(0, underscore));
    const auto tag = name.substr(underscore + 1);
    return base && base->type == Type::string && base->format == Format::none && base->enumeration.empty() &&
           tag.size() >= 2 && is_alpha(tag[0]) && is_alpha(tag[1]);
}

} // namespace

const Field* Table::field(std::string_view name) const {
    for (const auto& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

const std::vector<Table>& tables() {
    static const std::vector<Table> all = transcribe();
    return all;
}

const Table* table(std::string_view name) {
    for (const auto& t : tables())
        if (t.name == name) return &t;
    return nullptr;
}

bool other_hsds_table(std::string_view name) {
    static const std::set<std::string_view> others{
        "accessibility",           "contact", "cost_option",      "funding", "metadata", "meta_table_description",
        "organization_identifier", "program", "required_document"};
    return others.contains(name);
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

bool is_email(std::string_view s) {
    const auto at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= s.size() || at > 64) return false;
    const auto local = s.substr(0, at), domain = s.substr(at + 1);
    // local part: dot-atom (atext, or UTF-8 as RFC 6531 allows), no leading, trailing or double dot
    static const std::string_view atext_symbols = "!#$%&'*+-/=?^_`{|}~";
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    for (char c : local)
        if (!(is_alpha(c) || (c >= '0' && c <= '9') || c == '.' || static_cast<unsigned char>(c) >= 0x80 ||
              atext_symbols.find(c) != std::string_view::npos))
            return false;
    // domain: two or more labels of letters, digits and hyphens (not at a label's ends)
    std::size_t labels = 0, start = 0;
    for (;;) {
        const auto dot = domain.find('.', start);
        const auto label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!(is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || static_cast<unsigned char>(c) >= 0x80))
                return false;
        ++labels;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return labels >= 2;
}

bool is_uri(std::string_view s) {
    const auto colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || !is_alpha(s[0])) return false;
    for (std::size_t i = 1; i < colon; ++i)
        if (!(is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.'))
            return false;
    const auto rest = s.substr(colon + 1);
    if (rest.empty()) return false;
    // RFC 3986 characters: unreserved, reserved (gen-delims, sub-delims) and percent-encodings
    static const std::string_view allowed = "-._~:/?#[]@!$&'()*+,;=";
    for (std::size_t i = 0; i < rest.size(); ++i) {
        const char c = rest[i];
        if (c == '%') {
            if (i + 2 >= rest.size() || !is_hex(rest[i + 1]) || !is_hex(rest[i + 2])) return false;
            i += 2;
        } else if (!(is_alpha(c) || (c >= '0' && c <= '9') || allowed.find(c) != std::string_view::npos)) {
            return false;
        }
    }
    std::string scheme(s.substr(0, colon));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    if (scheme == "http" || scheme == "https") // hier-part "//" authority with a host
        return rest.size() > 2 && rest.substr(0, 2) == "//" && rest[2] != '/' && rest[2] != '?' && rest[2] != '#';
    return true;
}

bool is_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s.substr(0, 4)) || !digits(s.substr(5, 2)) ||
        !digits(s.substr(8, 2)))
        return false;
    const int y = number_at(s, 0, 4), m = number_at(s, 5, 2), d = number_at(s, 8, 2);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool is_time(std::string_view s) {
    const auto n = clock_length(s);
    return n && (n == s.size() || is_offset(s.substr(n)));
}

bool is_datetime(std::string_view s) {
    if (s.size() < 20 || (s[10] != 'T' && s[10] != 't') || !is_date(s.substr(0, 10))) return false;
    const auto rest = s.substr(11);
    const auto n = clock_length(rest);
    return n && n < rest.size() && is_offset(rest.substr(n));
}

bool is_number(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t int_digits = 0, frac_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i, ++int_digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i, ++frac_digits;
    }
    if (int_digits + frac_digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        const auto start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == start) return false;
    }
    return i == s.size();
}

bool is_integer(std::string_view s) {
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
    return digits(s);
}

bool is_boolean(std::string_view s) {
    for (const char* v : {"true", "True", "TRUE", "1", "false", "False", "FALSE", "0"})
        if (s == v) return true;
    return false;
}

std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    char c;
    while (in.get(c)) {
        any = true;
        if (quoted) {
            if (c != '"')
                field += c;
            else if (in.peek() == '"')
                field += static_cast<char>(in.get());
            else
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && in.peek() == '\n') in.get();
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
            any = false;
        } else {
            field += c;
        }
    }
    if (any) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<std::string> check_package(const std::filesystem::path& folder) {
    Report report;
    const auto descriptor_path = folder / "datapackage.json";
    std::ifstream in(descriptor_path);
    if (!in) return {"datapackage.json is missing"};
    const auto package = nlohmann::json::parse(in, nullptr, false);
    if (package.is_discarded() || !package.is_object()) return {"datapackage.json is not a JSON object"};
    if (package.value("profile", std::string()) != "tabular-data-package")
        report.add("datapackage.json: profile is not tabular-data-package");
    if (package.contains("name")) {
        const auto name = package["name"].get<std::string>();
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '/';
            }))
            report.add("datapackage.json: name " + shown(name) + " is not lower-case letters, digits, -._/");
    }
    if (!package.contains("resources") || !package["resources"].is_array() || package["resources"].empty())
        return {"datapackage.json has no resources"};

    // Pass 1: the descriptor. Resource name -> the rules of its table and its declared fields.
    struct Resource {
        const Table* rules;
        nlohmann::json descriptor;
        std::vector<std::string> names;
    };
    std::map<std::string, Resource> resources;
    for (const auto& r : package["resources"]) {
        const auto name = r.value("name", std::string());
        const auto where = "resource " + shown(name);
        const auto* rules = table(name);
        if (!rules) {
            report.add(where + ": not an HSDS 3.0 table name" +
                       (other_hsds_table(name) ? " Enlace exports" : " (HSDS names tables in the singular)"));
            // Still check its rows by the table whose path it has, so that one wrong name does not
            // hide every other problem.
            for (const auto& t : tables())
                if (t.path == r.value("path", std::string())) rules = &t;
            if (!rules) continue;
        }
        if (resources.contains(rules->name)) report.add(where + ": appears twice");
        if (r.value("path", std::string()) != rules->path)
            report.add(where + ": path " + shown(r.value("path", std::string())) + " is not HSDS's " +
                       shown(rules->path));
        if (r.value("profile", std::string()) != "tabular-data-resource")
            report.add(where + ": profile is not tabular-data-resource");
        if (r.contains("format") && r["format"] != "csv") report.add(where + ": format is not csv");
        if (r.contains("mediatype") && r["mediatype"] != "text/csv") report.add(where + ": mediatype is not text/csv");
        if (r.contains("encoding") && r["encoding"] != "utf-8") report.add(where + ": encoding is not utf-8");
        if (!r.contains("schema") || !r["schema"].contains("fields") || !r["schema"]["fields"].is_array()) {
            report.add(where + ": no schema fields");
            continue;
        }
        const auto& schema = r["schema"];
        std::set<std::string> seen;
        for (const auto& f : schema["fields"]) {
            const auto field_name = f.value("name", std::string());
            const auto type = f.value("type", std::string("string"));
            const auto at = where + " field " + shown(field_name);
            if (!seen.insert(field_name).second) report.add(at + ": declared twice");
            if (!frictionless_type(type)) report.add(at + ": type " + shown(type) + " is not a Table Schema type");
            const auto* spec = rules->field(field_name);
            if (!spec) {
                if (!extension_name(*rules, field_name))
                    report.add(at + ": neither an HSDS field of " + name + " nor an extension (x_...)");
                continue;
            }
            if (type != type_name(spec->type))
                report.add(at + ": type " + shown(type) + " where HSDS has " + std::string(type_name(spec->type)));
            if (f.value("format", std::string()) != format_name(spec->format))
                report.add(at + ": format " + shown(f.value("format", std::string())) + " where HSDS has " +
                           shown(std::string(format_name(spec->format))));
            const auto constraints = f.value("constraints", nlohmann::json::object());
            if (spec->required && !constraints.value("required", false))
                report.add(at + ": HSDS requires it, the schema does not say required");
            if (!spec->enumeration.empty() &&
                constraints.value("enum", std::vector<std::string>()) != spec->enumeration)
                report.add(at + ": enum differs from HSDS's");
        }
        for (const auto& spec : rules->fields)
            if (spec.required && !seen.contains(spec.name))
                report.add(where + ": required HSDS field " + shown(spec.name) + " is not a column");
        if (single_field(schema.value("primaryKey", nlohmann::json())) != "id")
            report.add(where + ": primaryKey is not id");
        resources[rules->name] = Resource{rules, r, declared_names(r)};
    }
    // Foreign keys: each declared one well formed; each one HSDS declares, for a column present, declared.
    for (const auto& [name, res] : resources) {
        const auto where = "resource " + shown(name);
        std::map<std::string, std::string> declared; // field -> resource
        for (const auto& fk : res.descriptor["schema"].value("foreignKeys", nlohmann::json::array())) {
            const auto field = single_field(fk.value("fields", nlohmann::json()));
            const auto reference = fk.value("reference", nlohmann::json::object());
            auto target = reference.value("resource", std::string());
            if (target.empty()) target = name; // "" is the resource itself
            const auto target_field = single_field(reference.value("fields", nlohmann::json()));
            if (std::find(res.names.begin(), res.names.end(), field) == res.names.end())
                report.add(where + ": foreign key on " + shown(field) + ", which is not a field");
            if (!resources.contains(target))
                report.add(where + ": foreign key " + shown(field) + " refers to " + shown(target) +
                           ", which is not in the package");
            else if (const auto& names = resources.at(target).names;
                     std::find(names.begin(), names.end(), target_field) == names.end())
                report.add(where + ": foreign key " + shown(field) + " refers to a field " + target + "." +
                           target_field + " that does not exist");
            declared[field] = target;
        }
        for (const auto& field : res.names) {
            const auto* spec = res.rules->field(field);
            if (!spec || spec->references.empty()) continue;
            if (spec->references != "*" && !table(spec->references) && !resources.contains(spec->references))
                report.add(where + ": column " + shown(field) + " refers to " + spec->references +
                           ", a table the package does not have");
            if (spec->declared && declared[field] != spec->references)
                report.add(where + ": foreign key " + shown(field) + " -> " + spec->references +
                           " (declared by HSDS) is missing");
        }
    }

    // Pass 2: the tables. Ids of each table, for the foreign keys.
    std::map<std::string, std::set<std::string>> ids;
    struct Reference {
        std::string file, field, value, target;
        std::size_t row;
    };
    std::vector<Reference> references;
    for (const auto& [name, res] : resources) {
        const auto file = res.rules->path;
        const auto path = folder / file;
        if (!std::filesystem::exists(path)) {
            report.add(file + ": missing");
            continue;
        }
        {
            std::ifstream raw(path, std::ios::binary);
            const std::string bytes{std::istreambuf_iterator<char>(raw), std::istreambuf_iterator<char>()};
            if (!valid_utf8(bytes)) report.add(file + ": not UTF-8");
            if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) report.add(file + ": starts with a byte-order mark");
        }
        const auto rows = read_csv(path);
        if (rows.empty()) {
            report.add(file + ": no header");
            continue;
        }
        if (rows[0] != res.names) {
            report.add(file + ": header is not the field list of datapackage.json");
            continue;
        }
        const auto& fields = res.descriptor["schema"]["fields"];
        std::map<std::string, std::set<std::string>> unique_values;
        const int link_entity =
            static_cast<int>(std::find(res.names.begin(), res.names.end(), "link_entity") - res.names.begin());
        for (std::size_t r = 1; r < rows.size(); ++r) {
            const auto& row = rows[r];
            const auto at = file + " row " + std::to_string(r);
            if (row.size() != res.names.size()) {
                report.add(at + ": " + std::to_string(row.size()) + " values for " + std::to_string(res.names.size()) +
                           " fields");
                continue;
            }
            for (std::size_t c = 0; c < row.size(); ++c) {
                const auto& v = row[c];
                const auto& declared = fields[c];
                const auto where = at + ", " + res.names[c];
                const auto* spec = res.rules->field(res.names[c]);
                const auto constraints = declared.value("constraints", nlohmann::json::object());
                if (v.empty()) {
                    if ((spec && spec->required) || constraints.value("required", false))
                        report.add(where + ": required and empty");
                    continue;
                }
                if (v.find_first_not_of(" \t") == std::string::npos) report.add(where + ": only blanks");
                if (auto p = value_problem(declared.value("type", std::string("string")),
                                           declared.value("format", std::string()), v);
                    !p.empty())
                    report.add(where + ": " + shown(v) + " " + p);
                if (constraints.contains("enum")) {
                    const auto values = constraints["enum"].get<std::vector<std::string>>();
                    if (std::find(values.begin(), values.end(), v) == values.end())
                        report.add(where + ": " + shown(v) + " is not in the declared enum");
                }
                if (!spec) continue;
                if (!spec->enumeration.empty() &&
                    std::find(spec->enumeration.begin(), spec->enumeration.end(), v) == spec->enumeration.end())
                    report.add(where + ": " + shown(v) + " is not one of HSDS's values");
                const std::string spec_type(type_name(spec->type)), spec_format(format_name(spec->format));
                if (declared.value("type", std::string("string")) != spec_type ||
                    declared.value("format", std::string()) != spec_format)
                    if (auto p = value_problem(spec_type, spec_format, v); !p.empty())
                        report.add(where + ": " + shown(v) + " " + p + " (HSDS)");
                if (auto p = rule_problem(spec->rule, v); !p.empty()) report.add(where + ": " + shown(v) + " " + p);
                if ((spec->unique || constraints.value("unique", false)) && !unique_values[spec->name].insert(v).second)
                    report.add(where + ": " + shown(v) + " is not unique");
                if (spec->name == "id") ids[name].insert(v);
                if (!spec->references.empty()) {
                    auto target = spec->references;
                    if (target == "*") target = link_entity < static_cast<int>(row.size()) ? row[link_entity] : "";
                    references.push_back({file, spec->name, v, target, r});
                }
            }
            // service_area.extent_type geojson: the extent is a GeoJSON polygon
            if (name == "service_area") {
                const auto& names = res.names; // clang 14 cannot capture a structured binding
                const auto col = [&names, &row](const char* f) {
                    const auto it = std::find(names.begin(), names.end(), f);
                    return it == names.end() ? std::string() : row[it - names.begin()];
                };
                if (col("extent_type") == "geojson")
                    if (auto p = geojson_polygon_problem(col("extent")); !p.empty()) report.add(at + ", extent: " + p);
                if (!col("extent").empty() && col("extent_type").empty())
                    report.add(at + ", extent_type: empty where extent is given");
            }
        }
    }
    for (const auto& ref : references) {
        const auto where = ref.file + " row " + std::to_string(ref.row) + ", " + ref.field;
        if (!resources.contains(ref.target))
            report.add(where + ": refers to " + shown(ref.target) + ", not a table of the package");
        else if (!ids[ref.target].contains(ref.value))
            report.add(where + ": " + shown(ref.value) + " is no id of " + ref.target);
    }
    return std::move(report).lines();
}

} // namespace enlace::test::hsds
