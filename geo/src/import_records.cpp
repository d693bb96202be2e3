#include "import_records.hpp"

#include "contact_text.hpp"
#include "hours_text.hpp"
#include "import_values.hpp"

#include "enlace/core/geodesy.hpp"

#include <algorithm>
#include <cmath>

namespace enlace::geo::detail {
namespace {

struct RowContext {
    const Row& row;
    const BoundMapping& mapping;
    const std::string& source_id;
    std::vector<RowIssue>& issues;
    bool failed = false;

    void error(const std::string& field, const std::string& value, const std::string& reason) {
        issues.push_back({row.ordinal, row.fid, source_id, field, mapping.column(row, field), value, reason, false});
        failed = true;
    }
    void warn(const std::string& field, const std::string& value, const std::string& reason) {
        issues.push_back({row.ordinal, row.fid, source_id, field, mapping.column(row, field), value, reason, true});
    }
    std::string get(const std::string& field) {
        std::string v = mapping.value(row, field);
        if (!v.empty() && mapping.bad_utf8(row, field))
            warn(field, v, "is not UTF-8: read as Latin-1 (give --encoding, e.g. CP1252, or a .cpg file)");
        return v;
    }
    core::LocalizedText text(const std::string& base, const std::string& language) {
        core::LocalizedText out;
        for (const auto& [field, lang] : mapping.languages_of(base, language))
            if (auto v = get(field); !v.empty()) out[lang] = v;
        return out;
    }
    std::vector<std::string> countries(const core::ReferenceData& ref) {
        std::vector<std::string> out;
        const std::string raw = get("country");
        for (const auto& item : split(raw, ",;|")) {
            if (const auto* c = ref.find_country(item))
                out.push_back(c->alpha2);
            else
                error("country", item, "unknown country (give alpha-2, alpha-3 or a name of a member country)");
        }
        return out;
    }
    std::vector<std::string> types(const core::ReferenceData& ref) {
        std::vector<std::string> out;
        for (const auto& item : split(get("type"), ",;|")) {
            if (const auto* t = ref.find_term(item))
                out.push_back(t->code);
            else
                error("type", item, "unknown service type (give a taxonomy code such as REC.SHORTSTAY or its label)");
        }
        return out;
    }
    std::vector<std::string> populations(const core::ReferenceData& ref) {
        std::vector<std::string> out;
        for (const auto& item : split(get("populations"), ",;|")) {
            if (const auto* l = find_label(ref.populations(), item))
                out.push_back(l->code);
            else
                error("populations", item, "unknown population (give a code or label of the vocabulary)");
        }
        return out;
    }
    std::optional<int> integer(const std::string& field) {
        const std::string v = get(field);
        if (v.empty()) return std::nullopt;
        auto n = parse_int(v);
        if (!n) error(field, v, "is not a whole number");
        return n;
    }
    std::optional<bool> flag(const std::string& field) {
        const std::string v = get(field);
        if (v.empty()) return std::nullopt;
        auto b = parse_bool(v);
        if (!b) error(field, v, "must be yes or no (1 or 0, true or false, sí or no)");
        return b;
    }
};

void read_point(RowContext& ctx, core::Service& s) {
    const Row& row = ctx.row;
    if (!row.geometry_problem.empty()) {
        ctx.error("geometry", row.geometry_type, row.geometry_problem);
        return;
    }
    if (!row.geometry_warning.empty()) ctx.warn("geometry", row.geometry_type, row.geometry_warning);
    if (row.point) {
        s.site = core::Site{*row.point, core::LocationPrecision::exact};
        return;
    }
    const std::string lat_text = ctx.get("lat"), lon_text = ctx.get("lon");
    if (lat_text.empty() && lon_text.empty()) return; // no site: the core asks for one or a service area
    auto lat = parse_number(lat_text), lon = parse_number(lon_text);
    bool ok = true;
    if (!lat || !std::isfinite(*lat)) {
        ctx.error("lat", lat_text, "is not a number");
        ok = false;
    }
    if (!lon || !std::isfinite(*lon)) {
        ctx.error("lon", lon_text, "is not a number");
        ok = false;
    }
    if (!ok) return;
    if (!core::geodesy::valid_lat(*lat)) {
        ctx.error("lat", lat_text,
                  std::fabs(*lat) <= 180 && core::geodesy::valid_lat(*lon)
                      ? "must be a latitude between -90 and 90 (latitude and longitude swapped?)"
                      : "must be a latitude between -90 and 90");
        ok = false;
    }
    if (!core::geodesy::valid_lon(*lon)) {
        ctx.error("lon", lon_text, "must be a longitude between -180 and 180");
        ok = false;
    }
    if (ok) s.site = core::Site{{*lon, *lat}, core::LocationPrecision::exact};
}

// Contacts come by kind, as the columns hold them, and the personal ones (never public) last. An
// authorised export lists a personal contact in its kind's column too: there it is not a role
// contact.
void read_contacts(RowContext& ctx, core::Service& s) {
    std::vector<core::Contact> personal;
    for (const auto& item : split(ctx.get("personal_contacts"), ";|"))
        if (auto contact = parse_contact(item)) {
            contact->personal = true;
            personal.push_back(std::move(*contact));
        }
    auto add = [&](core::ContactKind kind, const std::string& field, const std::string& separators) {
        for (const auto& v : split(ctx.get(field), separators)) {
            const bool is_personal = std::any_of(personal.begin(), personal.end(), [&](const core::Contact& c) {
                return c.kind == kind && c.value == v;
            });
            if (!is_personal) s.contacts.push_back({kind, v, {}, false});
        }
    };
    add(core::ContactKind::phone, "phone", ";|");
    add(core::ContactKind::hotline, "hotline", ";|");
    add(core::ContactKind::whatsapp, "whatsapp", ";|");
    add(core::ContactKind::email, "email", ";|, ");
    add(core::ContactKind::url, "url", ";| ");
    s.contacts.insert(s.contacts.end(), personal.begin(), personal.end());
}

void read_hours(RowContext& ctx, core::Service& s, const ImportOptions& options) {
    const std::string text = ctx.get("hours"), zone = ctx.get("timezone");
    if (text.empty()) {
        if (!zone.empty()) ctx.warn("timezone", zone, "is not kept: the row has no opening hours");
        return;
    }
    try {
        auto hours = parse_hours(text, options.language);
        if (hours.timezone.empty()) hours.timezone = zone; // empty: the country's zone
        s.hours = std::move(hours);
    } catch (const HoursTextError& e) {
        ctx.error("hours", text, std::string("is not opening hours: ") + e.what());
    }
}

core::Service build_service(RowContext& ctx, const core::ReferenceData& ref, const ImportOptions& options) {
    core::Service s;
    s.name = ctx.text("name", options.language);
    s.description = ctx.text("description", options.language);
    s.types = ctx.types(ref);
    read_point(ctx, s);
    if (auto v = ctx.get("location_precision"); !v.empty() && s.site) {
        if (auto p = parse_precision(v))
            s.site->precision = *p;
        else
            ctx.error("location_precision", v, "must be exact, approximate, locality or admin1");
    }
    for (const auto& item : split(ctx.get("area_countries"), ",;|")) {
        if (const auto* c = ref.find_country(item))
            s.area.countries.push_back(c->alpha2);
        else
            ctx.error("area_countries", item, "unknown country (give alpha-2, alpha-3 or a name of a member country)");
    }
    for (const auto& item : split(ctx.get("area_admin1"), ",;|"))
        s.area.admin1.push_back(item);
    auto countries = ctx.countries(ref);
    if (countries.size() > 1) ctx.error("country", ctx.get("country"), "a service has one country");
    if (!countries.empty())
        s.country = countries.front();
    else if (ctx.get("country").empty() && s.site) {
        // No country column: the point decides when it falls in one member country's box only.
        auto at = ref.countries_at(s.site->point);
        if (at.size() == 1)
            s.country = at.front()->alpha2;
        else if (at.size() > 1) {
            std::string list;
            for (const auto* c : at)
                list += (list.empty() ? "" : ", ") + c->alpha2;
            ctx.error("country", "",
                      "is missing and the point lies in several countries' boxes (" + list +
                          "): add a country column or --field country==XX");
        }
    }
    s.address.street = ctx.get("street");
    s.address.locality = ctx.get("locality");
    s.address.admin1_name = ctx.get("admin1");
    s.address.admin1_code = ctx.get("admin1_code");
    s.address.admin2_name = ctx.get("admin2");
    s.address.admin2_code = ctx.get("admin2_code");
    s.address.postal_code = ctx.get("postal_code");
    read_contacts(ctx, s);
    read_hours(ctx, s, options);
    if (auto v = ctx.get("status"); !v.empty()) {
        if (auto st = parse_status(v))
            s.status = *st;
        else
            ctx.error("status", v,
                      "must be active, temporarily closed, inactive or defunct (or activo, inactivo, ...)");
    }
    for (const auto& item : split(ctx.get("languages"), ",;|/")) {
        if (auto code = parse_language(item))
            s.languages.push_back(*code);
        else {
            std::string tag = item;
            if (tag.size() <= 3) std::transform(tag.begin(), tag.end(), tag.begin(), ::tolower);
            s.languages.push_back(tag);
        }
    }
    s.populations = ctx.populations(ref);
    s.age.min = ctx.integer("age_min");
    s.age.max = ctx.integer("age_max");
    if (auto v = ctx.get("last_verified"); !v.empty()) {
        if (auto d = parse_date(v))
            s.last_verified = *d;
        else
            ctx.error("last_verified", v, "is not a date (YYYY-MM-DD or DD/MM/YYYY)");
    }
    if (auto v = ctx.get("gender"); !v.empty()) {
        const std::string g = core::normalised_name(v);
        if (g == "female" || g == "femenino" || g == "mujeres" || g == "ninas" || g == "f")
            s.gender = "female";
        else if (g == "male" || g == "masculino" || g == "hombres" || g == "ninos" || g == "m")
            s.gender = "male";
        else if (g == "any" || g == "todos" || g == "mixto" || g == "ambos" || g == "all")
            s.gender = "any";
        else
            ctx.error("gender", v, "must be any, female or male");
    }
    s.cost = ctx.get("cost");
    s.referral_required = ctx.flag("referral_required");
    s.capacity = ctx.integer("capacity");
    s.illustrative = ctx.flag("illustrative").value_or(false);
    if (auto v = ctx.get("visibility"); !v.empty()) {
        const std::string n = core::normalised_name(v);
        if (n == "public" || n == "publico" || n == "publica")
            s.visibility = core::Visibility::public_;
        else if (n == "restricted" || n == "restringido" || n == "restringida" || n == "privado")
            s.visibility = core::Visibility::restricted;
        else
            ctx.error("visibility", v, "must be public or restricted");
    }
    return s;
}

core::Actor build_actor(RowContext& ctx, const core::ReferenceData& ref, const ImportOptions& options) {
    core::Actor a;
    a.name = ctx.text("name", options.language);
    a.description = ctx.text("description", options.language);
    a.acronym = ctx.get("acronym");
    if (auto v = ctx.get("actor_type"); !v.empty()) {
        if (const auto* l = find_label(ref.actor_types(), v))
            a.actor_type = l->code;
        else
            ctx.error("actor_type", v, "unknown actor type (give a code such as NGO or its label)");
    }
    a.countries = ctx.countries(ref);
    a.website = ctx.get("url");
    a.email = ctx.get("email");
    for (const auto& v : split(ctx.get("phone"), ";|"))
        a.contacts.push_back({core::ContactKind::phone, v, {}, false});
    a.illustrative = ctx.flag("illustrative").value_or(false);
    return a;
}

core::Practice build_practice(RowContext& ctx, const core::ReferenceData& ref, const ImportOptions& options) {
    core::Practice p;
    p.title = ctx.text("title", options.language);
    if (auto d = ctx.text("description", options.language); !d.empty()) p.narrative["description"] = d;
    p.countries = ctx.countries(ref);
    auto year = [&](const std::string& field) -> std::optional<int> {
        const std::string v = ctx.get(field);
        if (v.empty()) return std::nullopt;
        if (auto d = parse_date(v)) return std::stoi(d->substr(0, 4));
        auto n = parse_int(v);
        if (!n || *n < 1900 || *n > 2100) ctx.error(field, v, "is not a year");
        return n;
    };
    p.year_start = year("year_start");
    p.year_end = year("year_end");
    for (const auto& item : split(ctx.get("axes"), ",;|/ ")) {
        if (auto n = parse_int(item))
            p.axes.push_back(*n);
        else
            ctx.error("axes", item, "is not an RCM axis number (1-5)");
    }
    p.service_types = ctx.types(ref);
    p.scope = core::normalised_name(ctx.get("scope"));
    std::replace(p.scope.begin(), p.scope.end(), ' ', '_');
    p.contact_email = ctx.get("email");
    p.target_population = ctx.populations(ref);
    p.illustrative = ctx.flag("illustrative").value_or(false);
    return p;
}

} // namespace

std::optional<Record> build_record(const Row& row, const BoundMapping& mapping, const core::ReferenceData& reference,
                                   const ImportOptions& options, const std::string& source,
                                   const std::string& source_id, std::vector<RowIssue>& issues) {
    RowContext ctx{row, mapping, source_id, issues};
    // Every kind carries the row's key the same way.
    auto keyed = [&](auto built) -> Record {
        built.source = source;
        built.source_id = source_id;
        return built;
    };
    Record record;
    switch (options.kind) {
    case RecordKind::service:
        record = keyed(build_service(ctx, reference, options));
        break;
    case RecordKind::actor:
        record = keyed(build_actor(ctx, reference, options));
        break;
    case RecordKind::practice:
        record = keyed(build_practice(ctx, reference, options));
        break;
    }
    if (ctx.failed) return std::nullopt;
    return record;
}

std::string logical_field_of(const std::string& core_path) {
    const std::string head = core_path.substr(0, core_path.find_first_of(".["));
    if (core_path == "location.lat") return "lat";
    if (core_path == "location.lon") return "lon";
    if (head == "location" || head == "site") return "geometry";
    if (head == "types" || head == "service_types") return "type";
    if (head == "countries") return "country";
    if (core_path.rfind("service_area.admin1", 0) == 0) return "area_admin1";
    if (head == "service_area") return "area_countries";
    if (head == "age") return core_path == "age.max" ? "age_max" : "age_min";
    if (head == "name" || head == "description" || head == "title")
        return core_path.find('.') != std::string::npos ? core_path : head;
    if (head == "contact_email") return "email";
    if (head == "website") return "url";
    if (head == "target_population") return "populations";
    if (head == "period") return core_path == "period.end" ? "year_end" : "year_start";
    return head;
}

} // namespace enlace::geo::detail
