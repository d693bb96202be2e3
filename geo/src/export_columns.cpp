// The columns of each record kind, defined once for every export format. Multilingual text
// becomes one column per language; lists are comma-joined codes; contacts of one kind are joined
// with "; ". Empty values are null (absent in GeoJSON, empty in CSV).
#include "export_detail.hpp"

#include "contact_text.hpp"
#include "hours_text.hpp"

#include "enlace/core/vocabulary.hpp"
#include "enlace/geo/errors.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace enlace::geo::detail {
namespace {

Cell text(const std::string& value) {
    if (value.empty()) return std::monostate{};
    return value;
}

Cell list(const std::vector<std::string>& values) { return text(join_list(values)); }

template <class T> Cell number(const std::optional<T>& value) {
    if (!value) return std::monostate{};
    return static_cast<std::int64_t>(*value);
}

Cell flag(const std::optional<bool>& value) {
    if (!value) return std::monostate{};
    return std::int64_t{*value ? 1 : 0};
}

Cell localized(const core::LocalizedText& text_map, const std::string& language) {
    const auto it = text_map.find(language);
    return it == text_map.end() ? Cell{} : text(it->second);
}

// Services come from the core already redacted for their audience (an authorised export lists
// personal contacts too, and names them again in personal_contacts); actors carry no audience, so
// their personal contacts are always left out.
Cell contacts_of(const std::vector<core::Contact>& contacts, core::ContactKind kind, bool skip_personal = false) {
    std::vector<std::string> values;
    for (const auto& c : contacts)
        if (c.kind == kind && !(skip_personal && c.personal)) values.push_back(c.value);
    return text(join_list(values, "; "));
}

template <class Numbers> Cell number_list(const Numbers& values) {
    std::vector<std::string> parts;
    for (auto v : values)
        parts.push_back(std::to_string(v));
    return text(join_list(parts));
}

std::string language_suffix(const std::string& language) {
    std::string out = language;
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

/// One column per language of a multilingual field, read by `text_of(record)`.
template <class Record, class Text>
void add_localized(std::vector<Column<Record>>& columns, const std::string& name, const std::string& short_prefix,
                   const std::vector<std::string>& languages, Text text_of) {
    for (const auto& lang : languages) {
        const auto suffix = language_suffix(lang);
        columns.push_back({name + "_" + suffix, (short_prefix + "_" + suffix).substr(0, 10), CellType::text,
                           [text_of, lang](const Record& r) { return localized(text_of(r), lang); }});
    }
}

template <class Record>
void add_localized(std::vector<Column<Record>>& columns, const std::string& name, const std::string& short_prefix,
                   const std::vector<std::string>& languages, core::LocalizedText Record::*member) {
    add_localized(columns, name, short_prefix, languages,
                  [member](const Record& r) -> const core::LocalizedText& { return r.*member; });
}

template <class Record> void check_unique_short_names(const std::vector<Column<Record>>& columns) {
    std::set<std::string> seen;
    for (const auto& c : columns)
        if (!seen.insert(c.short_name).second)
            throw geo_error("two export columns share the shapefile field name '" + c.short_name +
                                "' (language tags longer than 5 characters?)",
                            "", "", c.name);
}

} // namespace

std::string cell_text(const Cell& cell) {
    if (const auto* s = std::get_if<std::string>(&cell)) return *s;
    if (const auto* i = std::get_if<std::int64_t>(&cell)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&cell)) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.15g", *d);
        return buffer;
    }
    return {};
}

std::string cut_utf8(const std::string& text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end; // a continuation byte
    return text.substr(0, end);
}

void write_csv_field(std::ostream& out, std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos &&
        (value.empty() || (value.front() != ' ' && value.back() != ' '))) {
        out << value;
        return;
    }
    out << '"';
    for (char c : value) {
        if (c == '"') out << '"';
        out << c;
    }
    out << '"';
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out << ',';
        write_csv_field(out, fields[i]);
    }
    out << '\n';
}

std::vector<Column<core::ServiceView>> service_columns(const std::vector<std::string>& languages, bool with_lonlat,
                                                       std::size_t max_text_bytes) {
    using S = core::ServiceView;
    using CT = CellType;
    std::vector<Column<S>> c;
    c.push_back({"id", "id", CT::integer, [](const S& s) -> Cell { return s->id; }});
    c.push_back({"source", "source", CT::text, [](const S& s) { return text(s->source); }});
    c.push_back({"source_id", "source_id", CT::text, [](const S& s) { return text(s->source_id); }});
    c.push_back({"actor_id", "actor_id", CT::integer, [](const S& s) { return number(s->actor_id); }});
    add_localized(c, "name", "name", languages, [](const S& s) -> const core::LocalizedText& { return s->name; });
    add_localized(c, "description", "desc", languages,
                  [](const S& s) -> const core::LocalizedText& { return s->description; });
    c.push_back({"types", "types", CT::text, [](const S& s) { return list(s->types); }});
    c.push_back({"country", "country", CT::text, [](const S& s) { return text(s->country); }});
    if (with_lonlat) {
        c.push_back({"lon", "lon", CT::real, [](const S& s) -> Cell {
                         const auto site = s.site();
                         if (!site) return std::monostate{};
                         return site->point.lon;
                     }});
        c.push_back({"lat", "lat", CT::real, [](const S& s) -> Cell {
                         const auto site = s.site();
                         if (!site) return std::monostate{};
                         return site->point.lat;
                     }});
    }
    c.push_back({"location_precision", "loc_prec", CT::text, [](const S& s) -> Cell {
                     const auto site = s.site();
                     if (!site) return std::monostate{};
                     return std::string(core::to_string(site->precision));
                 }});
    c.push_back({"area_countries", "area_ctry", CT::text, [](const S& s) { return list(s->area.countries); }});
    c.push_back({"area_admin1", "area_adm1", CT::text, [](const S& s) { return list(s->area.admin1); }});
    c.push_back({"street", "street", CT::text, [](const S& s) { return text(s->address.street); }});
    c.push_back({"locality", "locality", CT::text, [](const S& s) { return text(s->address.locality); }});
    c.push_back({"admin1_name", "adm1_name", CT::text, [](const S& s) { return text(s->address.admin1_name); }});
    c.push_back({"admin1_code", "adm1_code", CT::text, [](const S& s) { return text(s->address.admin1_code); }});
    c.push_back({"admin2_name", "adm2_name", CT::text, [](const S& s) { return text(s->address.admin2_name); }});
    c.push_back({"admin2_code", "adm2_code", CT::text, [](const S& s) { return text(s->address.admin2_code); }});
    c.push_back({"postal_code", "postcode", CT::text, [](const S& s) { return text(s->address.postal_code); }});
    c.push_back(
        {"phone", "phone", CT::text, [](const S& s) { return contacts_of(s->contacts, core::ContactKind::phone); }});
    c.push_back({"hotline", "hotline", CT::text,
                 [](const S& s) { return contacts_of(s->contacts, core::ContactKind::hotline); }});
    c.push_back({"whatsapp", "whatsapp", CT::text,
                 [](const S& s) { return contacts_of(s->contacts, core::ContactKind::whatsapp); }});
    c.push_back(
        {"email", "email", CT::text, [](const S& s) { return contacts_of(s->contacts, core::ContactKind::email); }});
    c.push_back({"url", "url", CT::text, [](const S& s) { return contacts_of(s->contacts, core::ContactKind::url); }});
    c.push_back({"personal_contacts", "pers_cont", CT::text,
                 [](const S& s) { return text(contacts_text(s->contacts, true)); }});
    c.push_back({"timezone", "timezone", CT::text, [](const S& s) -> Cell {
                     if (!s->hours) return std::monostate{};
                     return text(s->hours->timezone);
                 }});
    c.push_back({"hours", "hours", CT::text, [max_text_bytes](const S& s) -> Cell {
                     if (!s->hours) return std::monostate{};
                     return text(format_hours(*s->hours, max_text_bytes));
                 }});
    c.push_back({"languages", "languages", CT::text, [](const S& s) { return list(s->languages); }});
    c.push_back({"populations", "population", CT::text, [](const S& s) { return list(s->populations); }});
    c.push_back({"age_min", "age_min", CT::integer, [](const S& s) { return number(s->age.min); }});
    c.push_back({"age_max", "age_max", CT::integer, [](const S& s) { return number(s->age.max); }});
    c.push_back({"gender", "gender", CT::text, [](const S& s) { return text(s->gender); }});
    c.push_back({"cost", "cost", CT::text, [](const S& s) { return text(s->cost); }});
    c.push_back({"referral_required", "referral", CT::boolean, [](const S& s) { return flag(s->referral_required); }});
    c.push_back({"capacity", "capacity", CT::integer, [](const S& s) { return number(s->capacity); }});
    c.push_back(
        {"status", "status", CT::text, [](const S& s) -> Cell { return std::string(core::to_string(s->status)); }});
    c.push_back({"visibility", "visibility", CT::text,
                 [](const S& s) -> Cell { return std::string(core::to_string(s->visibility)); }});
    c.push_back({"last_verified", "verified", CT::text, [](const S& s) { return text(s->last_verified); }});
    c.push_back({"created_at", "created", CT::text, [](const S& s) { return text(s->created_at); }});
    c.push_back({"updated_at", "updated", CT::text, [](const S& s) { return text(s->updated_at); }});
    c.push_back(
        {"illustrative", "illustr", CT::boolean, [](const S& s) -> Cell { return std::int64_t{s->illustrative}; }});
    check_unique_short_names(c);
    return c;
}

std::vector<Column<core::Actor>> actor_columns(const std::vector<std::string>& languages) {
    using A = core::Actor;
    using CT = CellType;
    std::vector<Column<A>> c;
    c.push_back({"id", "id", CT::integer, [](const A& a) -> Cell { return a.id; }});
    c.push_back({"source", "source", CT::text, [](const A& a) { return text(a.source); }});
    c.push_back({"source_id", "source_id", CT::text, [](const A& a) { return text(a.source_id); }});
    add_localized(c, "name", "name", languages, &A::name);
    add_localized(c, "description", "desc", languages, &A::description);
    c.push_back({"acronym", "acronym", CT::text, [](const A& a) { return text(a.acronym); }});
    c.push_back({"actor_type", "actor_type", CT::text, [](const A& a) { return text(a.actor_type); }});
    c.push_back({"countries", "countries", CT::text, [](const A& a) { return list(a.countries); }});
    c.push_back({"website", "website", CT::text, [](const A& a) { return text(a.website); }});
    c.push_back({"email", "email", CT::text, [](const A& a) { return text(a.email); }});
    c.push_back({"phone", "phone", CT::text,
                 [](const A& a) { return contacts_of(a.contacts, core::ContactKind::phone, true); }});
    c.push_back(
        {"illustrative", "illustr", CT::boolean, [](const A& a) -> Cell { return std::int64_t{a.illustrative}; }});
    c.push_back({"updated_at", "updated", CT::text, [](const A& a) { return text(a.updated_at); }});
    return c;
}

std::vector<Column<core::Practice>> practice_columns(const std::vector<std::string>& languages) {
    using P = core::Practice;
    using CT = CellType;
    std::vector<Column<P>> c;
    c.push_back({"id", "id", CT::integer, [](const P& p) -> Cell { return p.id; }});
    c.push_back({"source", "source", CT::text, [](const P& p) { return text(p.source); }});
    c.push_back({"source_id", "source_id", CT::text, [](const P& p) { return text(p.source_id); }});
    add_localized(c, "title", "title", languages, &P::title);
    c.push_back({"countries", "countries", CT::text, [](const P& p) { return list(p.countries); }});
    c.push_back({"scope", "scope", CT::text, [](const P& p) { return text(p.scope); }});
    c.push_back({"admin_codes", "adm_codes", CT::text, [](const P& p) { return list(p.admin_codes); }});
    c.push_back({"actor_ids", "actor_ids", CT::text, [](const P& p) { return number_list(p.actor_ids); }});
    c.push_back({"service_ids", "serv_ids", CT::text, [](const P& p) { return number_list(p.service_ids); }});
    c.push_back({"year_start", "year_start", CT::integer, [](const P& p) { return number(p.year_start); }});
    c.push_back({"year_end", "year_end", CT::integer, [](const P& p) { return number(p.year_end); }});
    c.push_back({"axes", "axes", CT::text, [](const P& p) { return number_list(p.axes); }});
    c.push_back({"service_types", "serv_types", CT::text, [](const P& p) { return list(p.service_types); }});
    c.push_back({"gcm_objectives", "gcm_obj", CT::text, [](const P& p) { return number_list(p.gcm_objectives); }});
    c.push_back({"target_population", "target_pop", CT::text, [](const P& p) { return list(p.target_population); }});
    for (const char* key :
         {"problem", "description", "resources", "results", "lessons", "replicability", "sustainability"}) {
        for (const auto& lang : languages) {
            const std::string k = key;
            c.push_back({k + "_" + language_suffix(lang), (k.substr(0, 4) + "_" + language_suffix(lang)).substr(0, 10),
                         CT::text, [k, lang](const P& p) -> Cell {
                             const auto it = p.narrative.find(k);
                             return it == p.narrative.end() ? Cell{} : localized(it->second, lang);
                         }});
        }
    }
    c.push_back({"evidence_level", "evidence", CT::text, [](const P& p) { return text(p.evidence_level); }});
    c.push_back(
        {"evidence_links", "ev_links", CT::text, [](const P& p) { return text(join_list(p.evidence_links, " ")); }});
    c.push_back({"institutionalised", "instit", CT::boolean, [](const P& p) { return flag(p.institutionalised); }});
    c.push_back({"budget_line", "budget", CT::boolean, [](const P& p) { return flag(p.budget_line); }});
    c.push_back({"principles", "principles", CT::text, [](const P& p) { return list(p.principles); }});
    c.push_back({"contact_email", "email", CT::text, [](const P& p) { return text(p.contact_email); }});
    c.push_back({"review_status", "review", CT::text,
                 [](const P& p) -> Cell { return std::string(core::to_string(p.review_status)); }});
    c.push_back({"original_language", "orig_lang", CT::text, [](const P& p) { return text(p.original_language); }});
    c.push_back({"licence", "licence", CT::text, [](const P& p) { return text(p.licence); }});
    c.push_back(
        {"illustrative", "illustr", CT::boolean, [](const P& p) -> Cell { return std::int64_t{p.illustrative}; }});
    c.push_back({"updated_at", "updated", CT::text, [](const P& p) { return text(p.updated_at); }});
    return c;
}

} // namespace enlace::geo::detail
