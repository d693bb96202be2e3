#include "enlace/core/record_json.hpp"

#include "enlace/core/geodesy.hpp"
#include "enlace/core/vocabulary.hpp"
#include "json_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace enlace::core {
namespace {

using detail::JsonReader;
using nlohmann::json;

std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

void put_text(json& out, const char* key, const std::string& value) {
    if (!value.empty()) out[key] = value;
}

void put_localized(json& out, const char* key, const LocalizedText& value) {
    if (!value.empty()) out[key] = to_json(value);
}

json contacts_json(const std::vector<Contact>& contacts) {
    json out = json::array();
    for (const auto& c : contacts) {
        json item{{"kind", to_string(c.kind)}, {"value", c.value}};
        put_localized(item, "label", c.label);
        if (c.personal) item["personal"] = true;
        out.push_back(std::move(item));
    }
    return out;
}

std::vector<Contact> read_contacts(JsonReader& in, const json& doc, const std::string& path) {
    std::vector<Contact> out;
    const json* list = in.array(doc, "contacts", path);
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& item = (*list)[i];
        const std::string p = at(path, i);
        if (!item.is_object()) {
            in.issue(p, "must be an object {\"kind\": ..., \"value\": ...}");
            continue;
        }
        in.only(item, {"kind", "value", "label", "personal"}, p);
        Contact c;
        const std::string kind = in.string(item, "kind", p + ".kind", true);
        if (auto parsed = parse_contact_kind(kind))
            c.kind = *parsed;
        else if (!kind.empty())
            in.issue(p + ".kind", "unknown contact kind '" + kind + "' (phone, email, url, hotline, whatsapp)");
        c.value = in.string(item, "value", p + ".value", true);
        c.label = in.localized(item, "label", p + ".label");
        c.personal = in.boolean(item, "personal", p + ".personal").value_or(false);
        out.push_back(std::move(c));
    }
    return out;
}

OpeningHours read_hours(JsonReader& in, const json& doc, const std::string& path) {
    OpeningHours hours;
    in.only(doc, {"timezone", "always_open", "weekly", "closures"}, path);
    hours.timezone = in.string(doc, "timezone", path + ".timezone");
    hours.always_open = in.boolean(doc, "always_open", path + ".always_open").value_or(false);
    if (const json* weekly = in.array(doc, "weekly", path + ".weekly")) {
        for (std::size_t i = 0; i < weekly->size(); ++i) {
            const json& item = (*weekly)[i];
            const std::string p = at(path + ".weekly", i);
            in.only(item, {"days", "opens", "closes"}, p);
            Shift shift;
            const auto days = in.strings(item, "days", p + ".days");
            if (days.empty()) in.issue(p + ".days", "must list at least one day (mo, tu, we, th, fr, sa, su)");
            for (const auto& day : days) {
                if (auto d = parse_weekday(day))
                    shift.days |= static_cast<std::uint8_t>(1u << *d);
                else
                    in.issue(p + ".days", "unknown day '" + day + "' (mo, tu, we, th, fr, sa, su)");
            }
            const std::string opens = in.string(item, "opens", p + ".opens", true);
            const std::string closes = in.string(item, "closes", p + ".closes", true);
            auto o = parse_clock(opens);
            auto c = parse_clock(closes);
            if (!opens.empty() && (!o || *o == 1440))
                in.issue(p + ".opens", "must be a time HH:MM, got '" + opens + "'");
            if (!closes.empty() && (!c || *c == 0))
                in.issue(p + ".closes", "must be a time HH:MM after 00:00 (24:00 for midnight), got '" + closes + "'");
            if (o && c && *o == *c) in.issue(p + ".closes", "must differ from opens (use always_open for 24 hours)");
            shift.opens = o.value_or(0);
            shift.closes = c.value_or(0);
            hours.weekly.push_back(shift);
        }
    }
    if (const json* closures = in.array(doc, "closures", path + ".closures")) {
        for (std::size_t i = 0; i < closures->size(); ++i) {
            const std::string p = at(path + ".closures", i);
            in.only((*closures)[i], {"from", "to", "note"}, p);
            Closure closure;
            closure.from = in.string((*closures)[i], "from", p + ".from", true);
            closure.to = in.string((*closures)[i], "to", p + ".to");
            if (closure.to.empty()) closure.to = closure.from;
            closure.note = in.localized((*closures)[i], "note", p + ".note");
            hours.closures.push_back(std::move(closure));
        }
    }
    return hours;
}

RecordKey read_key(JsonReader& in, const json& item, const std::string& default_source, const std::string& path) {
    // "source_id" (same source as the record) or {"source": ..., "source_id": ...}
    if (item.is_string()) return {default_source, item.get<std::string>()};
    in.only(item, {"source", "source_id"}, path);
    RecordKey key{in.string(item, "source", path + ".source"), in.string(item, "source_id", path + ".source_id", true)};
    if (key.source.empty()) key.source = default_source;
    return key;
}

void read_record_refs(JsonReader& in, const json& doc, const char* key, const std::string& source,
                      std::vector<std::int64_t>& ids, std::vector<RecordKey>& keys) {
    const json* list = in.array(doc, key, key);
    if (!list) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& item = (*list)[i];
        if (item.is_number_integer())
            ids.push_back(item.get<std::int64_t>());
        else if (item.is_string() || item.is_object())
            keys.push_back(read_key(in, item, source, at(key, i)));
        else
            in.issue(at(key, i), "must be a record id or a source_id");
    }
}

std::vector<int> small_ints(JsonReader& in, const json& doc, const char* key) {
    std::vector<int> out;
    for (auto v : in.integers(doc, key, key)) {
        if (v < -1000000 || v > 1000000)
            in.issue(key, "has a value out of range");
        else
            out.push_back(static_cast<int>(v));
    }
    return out;
}

} // namespace

std::optional<int> parse_clock(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9' ? text[i] - '0' : -1; };
    for (std::size_t i : {0u, 1u, 3u, 4u})
        if (digit(i) < 0) return std::nullopt;
    const int hours = digit(0) * 10 + digit(1), minutes = digit(3) * 10 + digit(4);
    if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return std::nullopt;
    return hours * 60 + minutes;
}

std::string format_clock(int minutes) {
    // Written by hand: this runs for every shift of every record served, and printf is slow.
    const int hours = (minutes / 60) % 100, rest = minutes % 60;
    return {static_cast<char>('0' + hours / 10), static_cast<char>('0' + hours % 10), ':',
            static_cast<char>('0' + rest / 10), static_cast<char>('0' + rest % 10)};
}

json to_json(const LocalizedText& text) {
    json out = json::object();
    for (const auto& [language, value] : text)
        out[language] = value;
    return out;
}

// The tree is read back from the text: one writer, so the two cannot drift apart.
json to_json(const Service& s) { return json::parse(to_json_text(s)); }
json to_json(const PublicService& s) { return json::parse(to_json_text(s)); }
json to_json(const ServiceView& s) { return s.record() ? to_json(*s.record()) : to_json(*s.public_view()); }

Service service_from_json(const json& doc, UnknownFields unknown) {
    JsonReader in(unknown == UnknownFields::ignore);
    Service s;
    if (!doc.is_object()) throw validation_error("(record)", "must be a JSON object");
    // What to_json writes (id, timestamps and public_location are the store's and read back as
    // it keeps them), and `actor` as a key instead of actor_id.
    in.only(doc,
            {"id",
             "source",
             "source_id",
             "actor_id",
             "actor",
             "name",
             "description",
             "types",
             "country",
             "location",
             "public_location",
             "service_area",
             "address",
             "contacts",
             "hours",
             "languages",
             "populations",
             "age",
             "gender",
             "cost",
             "referral_required",
             "capacity",
             "status",
             "visibility",
             "last_verified",
             "illustrative",
             "created_at",
             "updated_at",
             "review_status"},
            "");
    s.id = in.integer(doc, "id", "id").value_or(0);
    s.source = in.string(doc, "source", "source");
    s.source_id = in.string(doc, "source_id", "source_id");
    s.actor_id = in.integer(doc, "actor_id", "actor_id");
    if (doc.contains("actor") && !doc["actor"].is_null()) s.actor_key = read_key(in, doc["actor"], s.source, "actor");
    s.name = in.localized(doc, "name", "name");
    s.description = in.localized(doc, "description", "description");
    s.types = in.strings(doc, "types", "types");
    s.country = in.string(doc, "country", "country");
    if (const json* location = in.object(doc, "location", "location")) {
        in.only(*location, {"lon", "lat", "precision", "coarsened"}, "location");
        if (in.boolean(*location, "coarsened", "location.coarsened").value_or(false))
            in.issue("location", "is a coarsened public view of a sensitive site; edit from an authorised export");
        const auto lon = in.number(*location, "lon", "location.lon");
        const auto lat = in.number(*location, "lat", "location.lat");
        if (!lon) in.issue("location.lon", "is required");
        if (!lat) in.issue("location.lat", "is required");
        Site site{{lon.value_or(0), lat.value_or(0)}, LocationPrecision::exact};
        const std::string precision = in.string(*location, "precision", "location.precision");
        if (auto p = parse_location_precision(precision))
            site.precision = *p;
        else if (!precision.empty())
            in.issue("location.precision",
                     "unknown precision '" + precision + "' (exact, approximate, locality, admin1)");
        s.site = site;
    }
    if (const json* area = in.object(doc, "service_area", "service_area")) {
        in.only(*area, {"countries", "admin1"}, "service_area");
        s.area.countries = in.strings(*area, "countries", "service_area.countries");
        s.area.admin1 = in.strings(*area, "admin1", "service_area.admin1");
    }
    if (const json* address = in.object(doc, "address", "address")) {
        in.only(*address,
                {"street", "locality", "admin1_name", "admin1_code", "admin2_name", "admin2_code", "postal_code"},
                "address");
        s.address.street = in.string(*address, "street", "address.street");
        s.address.locality = in.string(*address, "locality", "address.locality");
        s.address.admin1_name = in.string(*address, "admin1_name", "address.admin1_name");
        s.address.admin1_code = in.string(*address, "admin1_code", "address.admin1_code");
        s.address.admin2_name = in.string(*address, "admin2_name", "address.admin2_name");
        s.address.admin2_code = in.string(*address, "admin2_code", "address.admin2_code");
        s.address.postal_code = in.string(*address, "postal_code", "address.postal_code");
    }
    s.contacts = read_contacts(in, doc, "contacts");
    if (const json* hours = in.object(doc, "hours", "hours")) s.hours = read_hours(in, *hours, "hours");
    s.languages = in.strings(doc, "languages", "languages");
    s.populations = in.strings(doc, "populations", "populations");
    if (const json* age = in.object(doc, "age", "age")) {
        in.only(*age, {"min", "max"}, "age");
        s.age.min = in.small_integer(*age, "min", "age.min");
        s.age.max = in.small_integer(*age, "max", "age.max");
    }
    s.gender = in.string(doc, "gender", "gender");
    if (s.gender.empty()) s.gender = "any";
    s.cost = in.string(doc, "cost", "cost");
    s.referral_required = in.boolean(doc, "referral_required", "referral_required");
    s.capacity = in.small_integer(doc, "capacity", "capacity");
    const std::string status = in.string(doc, "status", "status");
    if (auto v = parse_service_status(status))
        s.status = *v;
    else if (!status.empty())
        in.issue("status", "unknown status '" + status + "' (" + std::string(service_status_values()) + ")");
    const std::string visibility = in.string(doc, "visibility", "visibility");
    if (auto v = parse_visibility(visibility))
        s.visibility = *v;
    else if (!visibility.empty())
        in.issue("visibility", "unknown visibility '" + visibility + "' (public, restricted)");
    s.last_verified = in.string(doc, "last_verified", "last_verified");
    s.illustrative = in.boolean(doc, "illustrative", "illustrative").value_or(false);
    const std::string review = in.string(doc, "review_status", "review_status");
    if (auto v = parse_review_status(review))
        s.review_status = *v;
    else if (!review.empty())
        in.issue("review_status",
                 "unknown review status '" + review + "' (" + std::string(review_status_values()) + ")");
    in.throw_if_any();
    return s;
}

json to_json(const Actor& a) {
    json out{{"id", a.id}, {"source", a.source}, {"source_id", a.source_id}, {"name", to_json(a.name)}};
    put_text(out, "acronym", a.acronym);
    out["actor_type"] = a.actor_type;
    out["countries"] = a.countries;
    put_localized(out, "description", a.description);
    put_text(out, "website", a.website);
    put_text(out, "email", a.email);
    if (!a.contacts.empty()) out["contacts"] = contacts_json(a.contacts);
    if (a.illustrative) out["illustrative"] = true;
    put_text(out, "updated_at", a.updated_at);
    return out;
}

Actor actor_from_json(const json& doc, UnknownFields unknown) {
    if (!doc.is_object()) throw validation_error("(record)", "must be a JSON object");
    JsonReader in(unknown == UnknownFields::ignore);
    in.only(doc,
            {"id", "source", "source_id", "name", "description", "acronym", "actor_type", "countries", "website",
             "email", "contacts", "illustrative", "updated_at"},
            "");
    Actor a;
    a.id = in.integer(doc, "id", "id").value_or(0);
    a.source = in.string(doc, "source", "source");
    a.source_id = in.string(doc, "source_id", "source_id");
    a.name = in.localized(doc, "name", "name");
    a.description = in.localized(doc, "description", "description");
    a.acronym = in.string(doc, "acronym", "acronym");
    a.actor_type = in.string(doc, "actor_type", "actor_type");
    a.countries = in.strings(doc, "countries", "countries");
    a.website = in.string(doc, "website", "website");
    a.email = in.string(doc, "email", "email");
    a.contacts = read_contacts(in, doc, "contacts");
    a.illustrative = in.boolean(doc, "illustrative", "illustrative").value_or(false);
    in.throw_if_any();
    return a;
}

json to_json(const Practice& p) {
    json out{{"id", p.id}, {"source", p.source}, {"source_id", p.source_id}, {"title", to_json(p.title)}};
    out["countries"] = p.countries;
    put_text(out, "scope", p.scope);
    if (!p.admin_codes.empty()) out["admin_codes"] = p.admin_codes;
    out["actors"] = p.actor_ids;
    if (!p.partners.empty()) {
        json partners = json::array();
        for (const auto& partner : p.partners) {
            json item{{"name", partner.name}};
            if (partner.actor_id) item["actor_id"] = *partner.actor_id;
            put_localized(item, "role", partner.role);
            partners.push_back(std::move(item));
        }
        out["partners"] = std::move(partners);
    }
    out["services"] = p.service_ids;
    out["period"] = {{"start", p.year_start ? json(std::to_string(*p.year_start)) : json(nullptr)},
                     {"end", p.year_end ? json(std::to_string(*p.year_end)) : json(nullptr)}};
    out["axes"] = p.axes;
    out["service_types"] = p.service_types;
    out["gcm_objectives"] = p.gcm_objectives;
    out["target_population"] = p.target_population;
    for (const auto& [field, text] : p.narrative)
        put_localized(out, field.c_str(), text);
    put_text(out, "evidence_level", p.evidence_level);
    if (!p.evidence_links.empty()) out["evidence_links"] = p.evidence_links;
    if (p.institutionalised) out["institutionalised"] = *p.institutionalised;
    if (p.budget_line) out["budget_line"] = *p.budget_line;
    out["principles"] = p.principles;
    put_text(out, "contact_email", p.contact_email);
    if (!p.sources.empty()) {
        json sources = json::array();
        for (const auto& s : p.sources) {
            json item = json::object();
            put_text(item, "title", s.title);
            put_text(item, "url", s.url);
            put_text(item, "accessed", s.accessed);
            sources.push_back(std::move(item));
        }
        out["sources"] = std::move(sources);
    }
    put_text(out, "submitted_by", p.submitted_by);
    put_text(out, "reviewed_by", p.reviewed_by);
    put_text(out, "reviewed_on", p.reviewed_on);
    out["review_status"] = to_string(p.review_status);
    put_text(out, "original_language", p.original_language);
    put_text(out, "licence", p.licence);
    if (p.illustrative) out["illustrative"] = true;
    put_text(out, "updated_at", p.updated_at);
    return out;
}

const std::vector<std::string>& practice_narrative_fields() {
    static const std::vector<std::string> fields{"problem", "description",   "resources",     "results",
                                                 "lessons", "replicability", "sustainability"};
    return fields;
}

Practice practice_from_json(const json& doc, UnknownFields unknown) {
    if (!doc.is_object()) throw validation_error("(record)", "must be a JSON object");
    JsonReader in(unknown == UnknownFields::ignore);
    in.only(doc,
            {"id",
             "source",
             "source_id",
             "title",
             "countries",
             "scope",
             "admin_codes",
             "actors",
             "partners",
             "services",
             "period",
             "axes",
             "service_types",
             "gcm_objectives",
             "target_population",
             "problem",
             "description",
             "resources",
             "results",
             "lessons",
             "replicability",
             "sustainability",
             "evidence_level",
             "evidence_links",
             "institutionalised",
             "budget_line",
             "principles",
             "contact_email",
             "sources",
             "submitted_by",
             "reviewed_by",
             "reviewed_on",
             "review_status",
             "original_language",
             "licence",
             "illustrative",
             "updated_at"},
            "");
    Practice p;
    p.id = in.integer(doc, "id", "id").value_or(0);
    p.source = in.string(doc, "source", "source");
    p.source_id = in.string(doc, "source_id", "source_id");
    p.title = in.localized(doc, "title", "title");
    p.countries = in.strings(doc, "countries", "countries");
    p.scope = in.string(doc, "scope", "scope");
    p.admin_codes = in.strings(doc, "admin_codes", "admin_codes");
    read_record_refs(in, doc, "actors", p.source, p.actor_ids, p.actor_keys);
    read_record_refs(in, doc, "services", p.source, p.service_ids, p.service_keys);
    if (const json* partners = in.array(doc, "partners", "partners")) {
        for (std::size_t i = 0; i < partners->size(); ++i) {
            in.only((*partners)[i], {"actor_id", "name", "role"}, at("partners", i));
            Partner partner;
            partner.actor_id = in.integer((*partners)[i], "actor_id", at("partners", i) + ".actor_id");
            partner.name = in.string((*partners)[i], "name", at("partners", i) + ".name", true);
            partner.role = in.localized((*partners)[i], "role", at("partners", i) + ".role");
            p.partners.push_back(std::move(partner));
        }
    }
    if (const json* period = in.object(doc, "period", "period")) {
        in.only(*period, {"start", "end"}, "period");
        // A year as a number or as text beginning with one ("2019", "2019-03"), between 1900 and
        // 2200 either way: the written form ("2019") must read back as the same year.
        auto year = [&](const char* key) -> std::optional<int> {
            const std::string path = std::string("period.") + key;
            if (!period->contains(key) || (*period)[key].is_null()) return std::nullopt;
            const json& v = (*period)[key];
            std::optional<std::int64_t> value;
            if (v.is_number_integer()) value = v.get<std::int64_t>();
            if (v.is_string() && v.get<std::string>().size() >= 4) {
                const std::string text = v.get<std::string>();
                if (std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
                    value = std::stoi(text.substr(0, 4));
            }
            if (value && *value >= 1900 && *value <= 2200) return static_cast<int>(*value);
            in.issue(path, "must be a year such as \"2019\"");
            return std::nullopt;
        };
        p.year_start = year("start");
        p.year_end = year("end");
    }
    p.axes = small_ints(in, doc, "axes");
    p.service_types = in.strings(doc, "service_types", "service_types");
    p.gcm_objectives = small_ints(in, doc, "gcm_objectives");
    p.target_population = in.strings(doc, "target_population", "target_population");
    for (const auto& field : practice_narrative_fields()) {
        auto text = in.localized(doc, field.c_str(), field);
        if (!text.empty()) p.narrative[field] = std::move(text);
    }
    p.evidence_level = in.string(doc, "evidence_level", "evidence_level");
    p.evidence_links = in.strings(doc, "evidence_links", "evidence_links");
    p.institutionalised = in.boolean(doc, "institutionalised", "institutionalised");
    p.budget_line = in.boolean(doc, "budget_line", "budget_line");
    p.principles = in.strings(doc, "principles", "principles");
    p.contact_email = in.string(doc, "contact_email", "contact_email");
    if (const json* sources = in.array(doc, "sources", "sources")) {
        for (std::size_t i = 0; i < sources->size(); ++i) {
            const std::string path = at("sources", i);
            in.only((*sources)[i], {"title", "url", "accessed"}, path);
            p.sources.push_back({in.string((*sources)[i], "title", path + ".title"),
                                 in.string((*sources)[i], "url", path + ".url"),
                                 in.string((*sources)[i], "accessed", path + ".accessed")});
        }
    }
    p.submitted_by = in.string(doc, "submitted_by", "submitted_by");
    p.reviewed_by = in.string(doc, "reviewed_by", "reviewed_by");
    p.reviewed_on = in.string(doc, "reviewed_on", "reviewed_on");
    const std::string review = in.string(doc, "review_status", "review_status");
    if (auto v = parse_review_status(review))
        p.review_status = *v;
    else if (!review.empty())
        in.issue("review_status",
                 "unknown review status '" + review + "' (" + std::string(review_status_values()) + ")");
    p.original_language = in.string(doc, "original_language", "original_language");
    p.licence = in.string(doc, "licence", "licence");
    p.illustrative = in.boolean(doc, "illustrative", "illustrative").value_or(false);
    in.throw_if_any();
    return p;
}

json to_geojson(const MultiPolygon& outline) {
    json polygons = json::array();
    for (const auto& polygon : outline) {
        json rings = json::array();
        for (const auto& ring : polygon.rings) {
            json positions = json::array();
            for (const auto& p : ring)
                positions.push_back({p.lon, p.lat});
            rings.push_back(std::move(positions));
        }
        polygons.push_back(std::move(rings));
    }
    return {{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}};
}

MultiPolygon outline_from_geojson(const json& geometry) {
    MultiPolygon out;
    const std::string type = geometry.is_object() ? geometry.value("type", std::string()) : std::string();
    const json* coordinates =
        geometry.is_object() && geometry.contains("coordinates") ? &geometry["coordinates"] : nullptr;
    if ((type != "Polygon" && type != "MultiPolygon") || !coordinates || !coordinates->is_array())
        throw validation_error("geometry", "must be a Polygon or MultiPolygon");
    const json polygons = type == "Polygon" ? json::array({*coordinates}) : *coordinates;
    for (const auto& polygon : polygons) {
        Polygon p;
        for (const auto& ring : polygon) {
            std::vector<GeoPoint> points;
            for (const auto& position : ring) {
                if (!position.is_array() || position.size() < 2 || !position[0].is_number() || !position[1].is_number())
                    throw validation_error("geometry", "has a position that is not [lon, lat]");
                points.push_back({position[0].get<double>(), position[1].get<double>()});
            }
            if (points.size() < 4) throw validation_error("geometry", "has a ring with fewer than 4 positions");
            p.rings.push_back(std::move(points));
        }
        if (p.rings.empty()) continue;
        p.bounds = geodesy::bounds_of(p.rings);
        out.push_back(std::move(p));
    }
    return out;
}

json to_json(const Country& c) {
    return {{"alpha2", c.alpha2},
            {"alpha3", c.alpha3},
            {"names", to_json(c.names)},
            {"bbox", {c.bbox.west, c.bbox.south, c.bbox.east, c.bbox.north}},
            {"timezone", c.timezone}};
}

json to_json(const TaxonomyTerm& t) {
    return {{"code", t.code},
            {"parent", t.parent.empty() ? json(nullptr) : json(t.parent)},
            {"labels", to_json(t.labels)},
            {"sensitive", t.sensitive}};
}

} // namespace enlace::core
