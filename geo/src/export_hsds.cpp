// Open Referral HSDS 3.0 as a Tabular Data Package: one CSV per table plus datapackage.json, in a
// folder. Tables are named and placed as HSDS names them (resource `service`, file services.csv),
// every id is a version-5 UUID derived from the registry's own id ("service/12"), so re-exports
// keep their ids, and the registry's id stays in x_id. Services stream page by page into every
// service-linked table at once; organizations (the actors the exported services name), the
// taxonomy and the taxonomy terms the services use are written at the end.
// Multilingual text: the HSDS column (name, description) holds the first language, and
// name_<lang> / description_<lang> extension columns hold each language. docs/export.md has every
// decision (schedules, service areas, addresses, required fields the registry lacks).
#include "export_detail.hpp"
#include "hsds_uuid.hpp"

#include "enlace/core/hours.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"
#include "enlace/geo/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>

namespace enlace::geo::detail {
namespace {

struct Field {
    std::string name, type = "string", format;
    bool required = false, unique = false;
    std::vector<std::string> enumeration;
};

Field text(std::string name, bool required = false) { return {std::move(name), "string", {}, required, false, {}}; }
Field typed(std::string name, std::string type) { return {std::move(name), std::move(type), {}, false, false, {}}; }
Field formatted(std::string name, std::string format, bool required = false) {
    return {std::move(name), "string", std::move(format), required, false, {}};
}
Field id_field() { return {"id", "string", "uuid", true, true, {}}; }
Field one_of(std::string name, std::vector<std::string> values, bool required = false) {
    return {std::move(name), "string", {}, required, false, std::move(values)};
}

/// A foreign key HSDS declares: this table's `field` holds an id of `resource`.
struct ForeignKey {
    std::string field, resource;
};

class Table {
  public:
    Table(const std::filesystem::path& folder, std::string name, std::string file, std::vector<Field> fields,
          std::vector<ForeignKey> keys, std::string description)
        : m_name(std::move(name)), m_file(std::move(file)), m_description(std::move(description)),
          m_fields(std::move(fields)), m_keys(std::move(keys)), m_path((folder / m_file).string()),
          m_out(m_path, std::ios::binary) {
        if (!m_out) throw geo_error("cannot create '" + m_path + "'", m_path);
        std::vector<std::string> header;
        for (std::size_t i = 0; i < m_fields.size(); ++i) {
            header.push_back(m_fields[i].name);
            m_index.emplace(m_fields[i].name, i);
        }
        write_csv_row(m_out, header);
    }

    std::size_t index(std::string_view field) const {
        const auto it = m_index.find(field);
        if (it == m_index.end())
            throw geo_error("HSDS table " + m_name + " has no field " + std::string(field), m_path);
        return it->second;
    }
    std::size_t size() const { return m_fields.size(); }
    void write(const std::vector<std::string>& values) { write_csv_row(m_out, values); }

    void close() {
        m_out.close();
        if (!m_out) throw geo_error("cannot write '" + m_path + "' (disk full?)", m_path);
    }

    const std::string& path() const { return m_path; }

    nlohmann::json resource() const {
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : m_fields) {
            nlohmann::json field{{"name", f.name}, {"type", f.type}};
            if (!f.format.empty()) field["format"] = f.format;
            nlohmann::json constraints = nlohmann::json::object();
            if (f.required) constraints["required"] = true;
            if (f.unique) constraints["unique"] = true;
            if (!f.enumeration.empty()) constraints["enum"] = f.enumeration;
            if (!constraints.empty()) field["constraints"] = constraints;
            fields.push_back(field);
        }
        nlohmann::json schema{{"fields", fields}, {"primaryKey", "id"}};
        if (!m_keys.empty()) {
            nlohmann::json keys = nlohmann::json::array();
            for (const auto& k : m_keys)
                keys.push_back({{"fields", k.field}, {"reference", {{"resource", k.resource}, {"fields", "id"}}}});
            schema["foreignKeys"] = keys;
        }
        return {{"name", m_name},
                {"path", m_file},
                {"profile", "tabular-data-resource"},
                {"description", m_description},
                {"format", "csv"},
                {"mediatype", "text/csv"},
                {"encoding", "utf-8"},
                {"schema", schema}};
    }

  private:
    std::string m_name, m_file, m_description;
    std::vector<Field> m_fields;
    std::vector<ForeignKey> m_keys;
    std::map<std::string, std::size_t, std::less<>> m_index;
    std::string m_path;
    std::ofstream m_out;
};

/// One row of a table, filled by field name; unset fields are empty.
class Row {
  public:
    explicit Row(Table& table) : m_table(table), m_values(table.size()) {}
    Row& set(std::string_view field, std::string value) {
        m_values[m_table.index(field)] = std::move(value);
        return *this;
    }
    void write() { m_table.write(m_values); }

  private:
    Table& m_table;
    std::vector<std::string> m_values;
};

std::string first_language(const core::LocalizedText& text, const std::vector<std::string>& languages) {
    if (auto r = core::resolve(text, languages.front())) return r->text;
    return {};
}

std::string text_in(const core::LocalizedText& text, const std::string& lang) {
    const auto it = text.find(lang);
    return it == text.end() ? std::string() : it->second;
}

std::vector<Field> with_languages(std::vector<Field> fields, const std::vector<std::string>& bases,
                                  const std::vector<std::string>& languages) {
    for (const auto& base : bases)
        for (const auto& lang : languages)
            fields.push_back(text(base + "_" + lang));
    return fields;
}

/// Sets name_<lang> (and the like) from a multilingual text, each language as it is.
void set_languages(Row& row, const std::string& base, const core::LocalizedText& text,
                   const std::vector<std::string>& languages) {
    for (const auto& lang : languages)
        row.set(base + "_" + lang, text_in(text, lang));
}

std::string hsds_status(core::ServiceStatus status) {
    return status == core::ServiceStatus::temporarily_closed ? "temporarily closed"
                                                             : std::string(core::to_string(status));
}

std::string first_contact(const core::ServiceFields& s, core::ContactKind kind) {
    for (const auto& c : s.contacts)
        if (c.kind == kind) return c.value;
    return {};
}

std::string number(const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); }

std::string joined_non_empty(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (const auto& p : parts)
        if (!p.empty()) out += (out.empty() ? "" : separator) + p;
    return out;
}

// Texts the export writes itself (es, en, fr; English for any other language).
const core::LocalizedText placeholder_name{
    {"es", "Organización no registrada"}, {"en", "Organization not recorded"}, {"fr", "Organisation non enregistrée"}};
const core::LocalizedText placeholder_description{
    {"es", "El registro no indica qué organización ofrece estos servicios."},
    {"en", "The registry does not record which organization offers these services."},
    {"fr", "Le registre n'indique pas quelle organisation offre ces services."}};
const core::LocalizedText taxonomy_description{
    {"es", "Taxonomía de servicios de Enlace: tipos de servicios de protección para niñas, niños y adolescentes "
           "migrantes, en dos niveles de códigos estables."},
    {"en", "Enlace service taxonomy: the types of protection services for migrant children, in two levels of "
           "stable codes."},
    {"fr", "Taxonomie des services d'Enlace : les types de services de protection pour les enfants migrants, sur "
           "deux niveaux de codes stables."}};
const core::LocalizedText closed_word{{"es", "Cerrado"}, {"en", "Closed"}, {"fr", "Fermé"}};

std::string own_text(const core::LocalizedText& text, const std::string& language) {
    if (auto it = text.find(language); it != text.end()) return it->second;
    return text.at("en");
}

// --- values HSDS formats accept (email, uri) -------------------------------------------------

bool ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// An addr-spec: dot-atom local part (UTF-8 allowed, RFC 6531) @ a domain of two or more labels.
bool valid_email(std::string_view s) {
    const auto at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 >= s.size()) return false;
    const auto local = s.substr(0, at), domain = s.substr(at + 1);
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    for (char c : local)
        if (!ascii_alnum(c) && static_cast<unsigned char>(c) < 0x80 &&
            std::string_view(".!#$%&'*+-/=?^_`{|}~").find(c) == std::string_view::npos)
            return false;
    int labels = 0;
    std::size_t start = 0;
    for (;;) {
        const auto dot = domain.find('.', start);
        const auto label = domain.substr(start, dot == std::string_view::npos ? domain.npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!ascii_alnum(c) && c != '-' && static_cast<unsigned char>(c) < 0x80) return false;
        ++labels;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return labels >= 2;
}

/// The URI of an IRI (RFC 3987 3.1: UTF-8 bytes percent-encoded) when it is a URI with a scheme
/// (RFC 3986; http and https with a host); empty otherwise.
std::string as_uri(std::string_view s) {
    std::string out;
    static const char hex[] = "0123456789ABCDEF";
    for (char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x80) {
            out += '%';
            out += hex[b >> 4];
            out += hex[b & 0x0f];
        } else {
            out += c;
        }
    }
    const auto colon = out.find(':');
    if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(out[0]))) return {};
    for (std::size_t i = 1; i < colon; ++i)
        if (!ascii_alnum(out[i]) && out[i] != '+' && out[i] != '-' && out[i] != '.') return {};
    const std::string_view rest = std::string_view(out).substr(colon + 1);
    if (rest.empty()) return {};
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '%') {
            if (i + 2 >= rest.size() || !hex_digit(rest[i + 1]) || !hex_digit(rest[i + 2])) return {};
            i += 2;
        } else if (!ascii_alnum(rest[i]) && std::string_view("-._~:/?#[]@!$&'()*+,;=").find(rest[i]) == rest.npos) {
            return {};
        }
    }
    std::string scheme = out.substr(0, colon);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if ((scheme == "http" || scheme == "https") &&
        (rest.size() < 3 || rest.substr(0, 2) != "//" || std::string_view("/?#").find(rest[2]) != rest.npos))
        return {};
    return out;
}

/// Sets `field` to the value when HSDS's format accepts it, else x_<field>_text to the value as
/// entered (nothing is changed into something it was not, nothing is dropped).
void set_checked(Row& row, const std::string& field, const std::string& value, bool email) {
    if (value.empty()) return;
    if (email) {
        if (valid_email(value))
            row.set(field, value);
        else
            row.set("x_" + field + "_text", value);
        return;
    }
    if (auto uri = as_uri(value); !uri.empty())
        row.set(field, uri);
    else
        row.set("x_" + field + "_text", value);
}

// --- schedules -------------------------------------------------------------------------------

constexpr int day_minutes = 24 * 60;

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

struct ZoneInfo {
    std::string offset;   // hours, for schedule.timezone; empty for an unknown zone
    std::string valid_to; // the last local day of that offset, when a change is scheduled
};

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

/// One schedule row: days, opening and closing minute (closing 1440 = end of the day).
struct ScheduleRow {
    std::uint8_t days;
    int opens, closes;
    std::string description;
};

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

/// The primary language subtag of a BCP 47 tag ("es-MX" -> "es"): an ISO 639-1 or 639-3 code.
std::string language_code(const std::string& tag) {
    auto code = tag.substr(0, tag.find('-'));
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return code;
}

/// Ids of child rows named by their content: the same phone keeps its id when others are added,
/// removed (personal ones in public exports) or reordered. A repeated name gets "#2", "#3".
class ChildIds {
  public:
    std::string operator()(const std::string& name) {
        const int n = ++m_seen[name];
        return hsds_id(n == 1 ? name : name + "#" + std::to_string(n));
    }
    void clear() { m_seen.clear(); }

  private:
    std::map<std::string, int> m_seen;
};

} // namespace

ExportSummary write_hsds(const core::Registry& registry, const std::string& folder_text, const ExportOptions& options) {
    const std::filesystem::path folder(folder_text);
    const auto& langs = options.languages;
    const auto& reference = registry.reference();
    const auto as_of =
        options.as_of ? *options.as_of : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

    Table services(folder, "service", "services.csv",
                   with_languages({id_field(), formatted("organization_id", "uuid", true), text("name", true),
                                   text("description"), formatted("url", "uri"), formatted("email", "email"),
                                   one_of("status", {"active", "inactive", "defunct", "temporarily closed"}, true),
                                   typed("minimum_age", "number"), typed("maximum_age", "number"),
                                   typed("assured_date", "date"), typed("last_modified", "datetime"),
                                   typed("x_id", "integer"), text("x_source"), text("x_source_id"), text("x_types"),
                                   text("x_country"), text("x_populations"), text("x_url_text"), text("x_email_text")},
                                  {"name", "description"}, langs),
                   {{"organization_id", "organization"}},
                   "Services (name and description in the first export language; name_<lang>, "
                   "description_<lang> per language; x_id is the registry's id)");
    Table attributes(folder, "attribute", "attributes.csv",
                     {id_field(), formatted("link_id", "uuid", true), formatted("taxonomy_term_id", "uuid", true),
                      text("link_type"), text("link_entity", true)},
                     {{"taxonomy_term_id", "taxonomy_term"}}, "Service types: links from services to taxonomy terms");
    Table service_at_location(
        folder, "service_at_location", "service_at_location.csv",
        {id_field(), formatted("service_id", "uuid", true), formatted("location_id", "uuid", true)},
        {{"service_id", "service"}, {"location_id", "location"}}, "Services at locations");
    Table locations(folder, "location", "locations.csv",
                    {id_field(), one_of("location_type", {"physical", "postal", "virtual"}, true),
                     formatted("organization_id", "uuid"), text("name"), text("description"),
                     typed("latitude", "number"), typed("longitude", "number"), text("x_location_precision"),
                     text("x_address_1"), text("x_city"), text("x_region"), text("x_admin2_code"),
                     text("x_state_province"), text("x_admin1_code"), text("x_postal_code"), text("x_country")},
                    {{"organization_id", "organization"}},
                    "Sites of services (the public, coarsened point of sensitive sites unless exported with "
                    "restricted data); the known parts of the address in description and x_ columns");
    Table phones(folder, "phone", "phones.csv",
                 {id_field(), formatted("service_id", "uuid"), text("number", true), text("type"), text("description"),
                  text("x_kind")},
                 {{"service_id", "service"}}, "Phone numbers, hotlines and WhatsApp numbers of services");
    Table addresses(folder, "address", "addresses.csv",
                    {id_field(), formatted("location_id", "uuid"), text("address_1", true), text("city", true),
                     text("region"), text("state_province", true), text("postal_code", true), text("country", true),
                     one_of("address_type", {"physical", "postal", "virtual"}, true)},
                    {{"location_id", "location"}},
                    "Complete addresses of locations (street, city, state or province, postal code, country); "
                    "never the street of a sensitive site in a public export");
    Table schedules(folder, "schedule", "schedules.csv",
                    {id_field(), formatted("service_id", "uuid"), typed("valid_to", "date"),
                     typed("timezone", "number"), one_of("freq", {"WEEKLY", "MONTHLY"}), text("byday"),
                     text("description"), typed("opens_at", "time"), typed("closes_at", "time"), text("notes"),
                     text("x_timezone"), text("x_closures")},
                    {{"service_id", "service"}},
                    "Weekly opening hours in local time; timezone is the UTC offset (hours) on the export date, "
                    "x_timezone the IANA zone");
    Table service_areas(folder, "service_area", "service_areas.csv",
                        with_languages({id_field(), formatted("service_id", "uuid"), text("name"), text("extent"),
                                        text("extent_type"), text("x_area_type"), text("x_area_code")},
                                       {"name"}, langs),
                        {{"service_id", "service"}},
                        "Areas served: countries with their outline (GeoJSON), admin1 areas by code");
    Table languages(folder, "language", "languages.csv",
                    {id_field(), formatted("service_id", "uuid"), text("code"), text("x_language_tag")},
                    {{"service_id", "service"}}, "Languages spoken (ISO 639 code; x_language_tag the BCP 47 tag)");

    // Actors named by the exported services: looked up once each (bounded by the number of actors).
    std::map<std::int64_t, std::optional<core::Actor>> actors;
    bool placeholder_needed = false;
    const auto placeholder_id = hsds_id("organization/none");
    std::set<std::string> used_terms;
    std::map<std::string, ZoneInfo> zones;
    std::map<std::string, std::string> outlines; // country -> its outline as GeoJSON text
    ChildIds child;

    ExportSummary summary;
    summary.records = for_each_service(registry, options.services, [&](const core::ServiceView& view) {
        const core::ServiceFields& s = view.fields();
        const auto site = view.site();
        const auto id = std::to_string(s.id);
        const auto service_id = hsds_id("service/" + id);
        child.clear();

        std::string organization_id;
        if (s.actor_id) {
            auto it = actors.find(*s.actor_id);
            if (it == actors.end()) it = actors.emplace(*s.actor_id, registry.actor(*s.actor_id)).first;
            if (it->second) organization_id = hsds_id("organization/" + std::to_string(*s.actor_id));
        }
        const bool has_organization = !organization_id.empty();
        if (!has_organization) {
            organization_id = placeholder_id; // HSDS requires every service to name its organization
            placeholder_needed = true;
        }

        Row service(services);
        service.set("id", service_id)
            .set("organization_id", organization_id)
            .set("name", first_language(s.name, langs))
            .set("description", first_language(s.description, langs))
            .set("status", hsds_status(s.status))
            .set("minimum_age", number(s.age.min))
            .set("maximum_age", number(s.age.max))
            .set("assured_date", core::valid_date(s.last_verified) ? s.last_verified : "")
            .set("last_modified", core::parse_rfc3339(s.updated_at) ? s.updated_at : "")
            .set("x_id", id)
            .set("x_source", s.source)
            .set("x_source_id", s.source_id)
            .set("x_types", join_list(s.types))
            .set("x_country", s.country)
            .set("x_populations", join_list(s.populations));
        set_checked(service, "url", first_contact(s, core::ContactKind::url), false);
        set_checked(service, "email", first_contact(s, core::ContactKind::email), true);
        set_languages(service, "name", s.name, langs);
        set_languages(service, "description", s.description, langs);
        service.write();

        if (site) {
            const auto location_id = hsds_id("location/" + id);
            const auto* country = reference.country(s.country);
            const auto country_name = country ? first_language(country->names, langs) : s.country;
            const auto& a = s.address;
            Row location(locations);
            location.set("id", location_id)
                .set("location_type", "physical")
                .set("organization_id", has_organization ? organization_id : "")
                .set("name", a.locality)
                .set("description",
                     joined_non_empty({a.street, a.locality, a.admin2_name, a.admin1_name, a.postal_code, country_name},
                                      ", "))
                .set("latitude", cell_text(Cell{site->point.lat}))
                .set("longitude", cell_text(Cell{site->point.lon}))
                .set("x_location_precision", std::string(core::to_string(site->precision)))
                .set("x_address_1", a.street)
                .set("x_city", a.locality)
                .set("x_region", a.admin2_name)
                .set("x_admin2_code", a.admin2_code)
                .set("x_state_province", a.admin1_name)
                .set("x_admin1_code", a.admin1_code)
                .set("x_postal_code", a.postal_code)
                .set("x_country", s.country)
                .write();
            Row(service_at_location)
                .set("id", hsds_id("service_at_location/" + id))
                .set("service_id", service_id)
                .set("location_id", location_id)
                .write();
            // HSDS requires every part of an address: a site lacking one (or a sensitive site in a
            // public export, which carries no street) has none, and its known parts stay above.
            if (!a.street.empty() && !a.locality.empty() && !a.admin1_name.empty() && !a.postal_code.empty() &&
                !s.country.empty())
                Row(addresses)
                    .set("id", hsds_id("address/" + id))
                    .set("location_id", location_id)
                    .set("address_1", a.street)
                    .set("city", a.locality)
                    .set("region", a.admin2_name)
                    .set("state_province", a.admin1_name)
                    .set("postal_code", a.postal_code)
                    .set("country", s.country)
                    .set("address_type", "physical")
                    .write();
        }

        for (const auto& c : s.contacts) {
            if (c.kind != core::ContactKind::phone && c.kind != core::ContactKind::hotline &&
                c.kind != core::ContactKind::whatsapp)
                continue;
            const std::string kind(core::to_string(c.kind));
            Row(phones)
                .set("id", child("phone/" + id + "/" + kind + "/" + c.value))
                .set("service_id", service_id)
                .set("number", c.value)
                .set("type", c.kind == core::ContactKind::whatsapp ? "cell" : "voice")
                .set("description", first_language(c.label, langs))
                .set("x_kind", kind)
                .write();
        }

        if (s.hours) {
            auto zone = zones.find(s.hours->timezone);
            if (zone == zones.end()) zone = zones.emplace(s.hours->timezone, zone_info(s.hours->timezone, as_of)).first;
            const auto [notes, intervals] = closures(*s.hours, langs);
            std::vector<ScheduleRow> rows;
            if (s.hours->always_open) rows.push_back({0x7f, 0, day_minutes, "24/7"});
            for (const auto& shift : s.hours->weekly)
                for (auto& r : schedule_rows(shift))
                    rows.push_back(std::move(r));
            for (const auto& r : rows) {
                const auto days = byday(r.days), opens = hsds_time(r.opens), closes = hsds_time(r.closes);
                Row(schedules)
                    .set("id", child("schedule/" + id + "/" + days + "/" + opens + "-" + closes))
                    .set("service_id", service_id)
                    .set("valid_to", zone->second.valid_to)
                    .set("timezone", zone->second.offset)
                    .set("freq", "WEEKLY")
                    .set("byday", days)
                    .set("description", r.description)
                    .set("opens_at", opens)
                    .set("closes_at", closes)
                    .set("notes", notes)
                    .set("x_timezone", s.hours->timezone)
                    .set("x_closures", intervals)
                    .write();
            }
        }

        for (const auto& tag : s.languages)
            Row(languages)
                .set("id", child("language/" + id + "/" + tag))
                .set("service_id", service_id)
                .set("code", language_code(tag))
                .set("x_language_tag", tag)
                .write();

        for (const auto& code : s.area.countries) {
            Row area(service_areas);
            area.set("id", child("service_area/" + id + "/country/" + code))
                .set("service_id", service_id)
                .set("x_area_type", "country")
                .set("x_area_code", code);
            if (const auto* country = reference.country(code)) {
                area.set("name", first_language(country->names, langs));
                set_languages(area, "name", country->names, langs);
                if (!country->outline.empty()) {
                    auto it = outlines.find(code);
                    if (it == outlines.end())
                        it = outlines.emplace(code, core::to_geojson(country->outline).dump()).first;
                    area.set("extent", it->second).set("extent_type", "geojson");
                }
            } else {
                area.set("name", code);
            }
            area.write();
        }
        for (const auto& code : s.area.admin1)
            Row(service_areas)
                .set("id", child("service_area/" + id + "/admin1/" + code))
                .set("service_id", service_id)
                .set("name", code)
                .set("x_area_type", "admin1")
                .set("x_area_code", code)
                .write();

        for (const auto& t : s.types) {
            if (!reference.term(t)) continue; // the core refuses unknown types; never a dangling link
            used_terms.insert(t);
            Row(attributes)
                .set("id", child("attribute/" + id + "/" + t))
                .set("link_id", service_id)
                .set("taxonomy_term_id", hsds_id("taxonomy_term/enlace/" + t))
                .set("link_type", "service_type")
                .set("link_entity", "service")
                .write();
        }
    });

    Table organizations(
        folder, "organization", "organizations.csv",
        with_languages({id_field(), text("name", true), text("alternate_name"), text("description", true),
                        formatted("email", "email"), formatted("website", "uri"), typed("x_id", "integer"),
                        text("x_actor_type"), text("x_countries"), text("x_email_text"), text("x_website_text")},
                       {"name", "description"}, langs),
        {}, "Organizations (actors) offering the exported services; x_id is the registry's id");
    for (const auto& [actor_id, actor] : actors) {
        if (!actor) continue;
        const auto& a = *actor;
        auto description = first_language(a.description, langs);
        if (description.empty()) {
            // HSDS requires a description: say what the registry knows, its type and countries.
            std::string type = a.actor_type;
            for (const auto& label : reference.actor_types())
                if (label.code == a.actor_type) type = first_language(label.labels, langs);
            std::vector<std::string> countries;
            for (const auto& c : a.countries) {
                const auto* country = reference.country(c);
                countries.push_back(country ? first_language(country->names, langs) : c);
            }
            description = joined_non_empty({type, join_list(countries, ", ")}, " – ");
            if (description.empty()) description = first_language(a.name, langs);
        }
        Row row(organizations);
        row.set("id", hsds_id("organization/" + std::to_string(actor_id)))
            .set("name", first_language(a.name, langs))
            .set("alternate_name", a.acronym)
            .set("description", description)
            .set("x_id", std::to_string(actor_id))
            .set("x_actor_type", a.actor_type)
            .set("x_countries", join_list(a.countries));
        set_checked(row, "email", a.email, true);
        set_checked(row, "website", a.website, false);
        set_languages(row, "name", a.name, langs);
        set_languages(row, "description", a.description, langs);
        row.write();
    }
    if (placeholder_needed) {
        Row row(organizations);
        row.set("id", placeholder_id)
            .set("name", own_text(placeholder_name, langs.front()))
            .set("description", own_text(placeholder_description, langs.front()));
        for (const auto& lang : langs)
            if (placeholder_name.contains(lang))
                row.set("name_" + lang, placeholder_name.at(lang))
                    .set("description_" + lang, placeholder_description.at(lang));
        row.write();
    }

    const auto taxonomy_id = hsds_id("taxonomy/enlace");
    Table taxonomies(
        folder, "taxonomy", "taxonomies.csv",
        with_languages({id_field(), text("name", true), text("description", true)}, {"description"}, langs), {},
        "The Enlace service taxonomy");
    {
        Row row(taxonomies);
        row.set("id", taxonomy_id)
            .set("name", "Enlace")
            .set("description", own_text(taxonomy_description, langs.front()));
        for (const auto& lang : langs)
            if (taxonomy_description.contains(lang)) row.set("description_" + lang, taxonomy_description.at(lang));
        row.write();
    }

    Table taxonomy_terms(folder, "taxonomy_term", "taxonomy_terms.csv",
                         with_languages({id_field(),
                                         {"code", "string", {}, false, true, {}},
                                         text("name", true),
                                         text("description", true),
                                         formatted("parent_id", "uuid"),
                                         text("taxonomy"),
                                         text("language"),
                                         formatted("taxonomy_id", "uuid"),
                                         typed("x_sensitive", "boolean")},
                                        {"name", "description"}, langs),
                         {{"taxonomy_id", "taxonomy"}},
                         "The terms of the Enlace taxonomy the exported services use, with their families "
                         "(attribute.taxonomy_term_id refers to id)");
    // The terms in use and their families (HSDS: no unused terms in a package).
    std::set<std::string> terms = used_terms;
    for (const auto& code : used_terms)
        if (const auto* term = reference.term(code); term && !term->parent.empty()) terms.insert(term->parent);
    // A term's description, from the taxonomy's labels in one language: a family lists its
    // types, a type names its family.
    const auto describe = [&](const core::TaxonomyTerm& term, const std::string& lang, bool exact) {
        const auto label = [&](const core::LocalizedText& labels) {
            return exact ? text_in(labels, lang) : first_language(labels, {lang});
        };
        const auto own = label(term.labels);
        if (own.empty()) return std::string();
        if (!term.parent.empty()) {
            const auto* parent = reference.term(term.parent);
            const auto family = parent ? label(parent->labels) : std::string();
            return family.empty() ? own : own + " (" + family + ")";
        }
        std::vector<std::string> children;
        for (const auto& t : reference.terms())
            if (t.parent == term.code) children.push_back(label(t.labels));
        return children.empty() ? own : own + ": " + joined_non_empty(children, "; ");
    };
    for (const auto& term : reference.terms()) {
        if (!terms.contains(term.code)) continue;
        const auto name = core::resolve(term.labels, langs.front());
        Row row(taxonomy_terms);
        row.set("id", hsds_id("taxonomy_term/enlace/" + term.code))
            .set("code", term.code)
            .set("name", name ? name->text : term.code)
            .set("description", describe(term, langs.front(), false))
            .set("parent_id", term.parent.empty() ? "" : hsds_id("taxonomy_term/enlace/" + term.parent))
            .set("taxonomy", "Enlace")
            .set("language", name ? name->language : "")
            .set("taxonomy_id", taxonomy_id)
            .set("x_sensitive", term.sensitive ? "true" : "false");
        set_languages(row, "name", term.labels, langs);
        for (const auto& lang : langs)
            row.set("description_" + lang, describe(term, lang, true));
        row.write();
    }

    // In HSDS's order of tables.
    std::vector<Table*> tables{&organizations, &services,  &attributes,     &service_at_location,
                               &locations,     &phones,    &addresses,      &schedules,
                               &service_areas, &languages, &taxonomy_terms, &taxonomies};
    nlohmann::json resources = nlohmann::json::array();
    for (auto* t : tables) {
        t->close();
        resources.push_back(t->resource());
        summary.files.push_back(t->path());
    }
    nlohmann::json package{{"name", "enlace-hsds"},
                           {"title", "Enlace services as Open Referral HSDS 3.0 tables"},
                           {"profile", "tabular-data-package"},
                           {"x_hsds_version", "3.0"},
                           {"x_audience", options.services.audience == core::Audience::authorised
                                              ? "authorised (restricted data: not for publication)"
                                              : "public"},
                           {"resources", resources}};
    const auto package_path = (folder / "datapackage.json").string();
    std::ofstream out(package_path, std::ios::binary);
    out << package.dump(2) << '\n';
    out.close();
    if (!out) throw geo_error("cannot write '" + package_path + "'", package_path);
    summary.files.insert(summary.files.begin(), package_path);
    return summary;
}

} // namespace enlace::geo::detail
