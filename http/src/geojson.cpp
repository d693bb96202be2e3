#include "geojson.hpp"

#include "enlace/core/json_text.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace enlace::http::detail {
namespace {

using core::append_json_number;
using core::append_json_string;

double round_m(double metres) { return std::round(metres * 10) / 10; }

/// The values as one JSON string, comma-separated ("a,b"), written without building it first.
void append_joined(std::string& out, const std::vector<std::string>& values) {
    out += '"';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        core::append_json_escaped(out, values[i]);
    }
    out += '"';
}

std::string_view first_contact(const core::ServiceFields& s, std::initializer_list<core::ContactKind> kinds) {
    for (const auto& c : s.contacts)
        if (!c.personal && std::find(kinds.begin(), kinds.end(), c.kind) != kinds.end()) return c.value;
    return {};
}

/// The Point of a service's site, or null for services without one. For the public audience the
/// core has already replaced the site with its public point.
void append_point_geometry(std::string& out, const core::ServiceView& s) {
    const auto site = s.site();
    if (!site) {
        out += "null";
        return;
    }
    out += "{\"type\":\"Point\",\"coordinates\":[";
    append_json_number(out, site->point.lon);
    out += ',';
    append_json_number(out, site->point.lat);
    out += "]}";
}

void append_item(std::string& out, const core::ServiceView& s, std::optional<double> distance_m,
                 const std::string& lang, bool location) {
    core::ServiceJsonForm form;
    form.location = location;
    form.language = lang;
    core::append_json(out, s, form);
    if (!distance_m) return;
    out.pop_back(); // the record's closing brace
    out += ",\"distance_m\":";
    append_json_number(out, round_m(*distance_m));
    out += '}';
}

void append_string_array(std::string& out, const std::vector<std::string>& values) {
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, values[i]);
    }
    out += ']';
}

/// name and types, and the site's precision and coarsening: the members both map forms share.
void append_map_members(core::JsonObjectText& record, const core::ServiceView& s, const std::string& lang) {
    const auto name = core::resolve(s->name, lang.empty() ? "es" : lang);
    record.string("name", name ? std::string_view(name->text) : "");
    append_string_array(record.plain_key("types"), s->types);
}

} // namespace

void append_map_item(std::string& out, const core::ServiceView& s, const std::string& lang) {
    core::JsonObjectText item(out);
    item.integer("id", s->id);
    append_map_members(item, s, lang);
    if (const auto site = s.site()) {
        core::JsonObjectText location(item.plain_key("location"));
        if (site->coarsened) location.boolean("coarsened", true);
        location.number("lat", site->point.lat);
        location.number("lon", site->point.lon);
        location.string("precision", core::to_string(site->precision));
        location.close();
    }
    item.close();
}

void append_map_feature(std::string& out, const core::ServiceView& s, const std::string& lang) {
    out += "{\"type\":\"Feature\",\"id\":";
    append_json_number(out, s->id);
    out += ",\"geometry\":";
    append_point_geometry(out, s);
    out += ",\"properties\":";
    core::JsonObjectText properties(out);
    append_map_members(properties, s, lang);
    if (const auto site = s.site()) {
        properties.string("precision", core::to_string(site->precision));
        properties.boolean("coarsened", site->coarsened);
    }
    properties.close();
    out += '}';
}

void resolve_field(nlohmann::json& item, nlohmann::json& used, const core::LocalizedText& text,
                   const std::string& field, const std::string& lang) {
    if (auto r = core::resolve(text, lang)) {
        item[field] = r->text;
        used[field] = {{"language", r->language}, {"fallback", r->fallback}};
    }
}

void append_rest_item(std::string& out, const core::ServiceView& s, std::optional<double> distance_m,
                      const std::string& lang) {
    append_item(out, s, distance_m, lang, true);
}

void append_rest_feature(std::string& out, const core::ServiceView& s, std::optional<double> distance_m,
                         const std::string& lang) {
    out += "{\"type\":\"Feature\",\"id\":";
    append_json_number(out, s->id);
    out += ",\"geometry\":";
    append_point_geometry(out, s);
    out += ",\"properties\":";
    append_item(out, s, distance_m, lang, false);
    out += '}';
}

void append_ogc_feature(std::string& out, const core::ServiceView& s, std::optional<double> distance_m,
                        const std::string& lang) {
    const auto name = core::resolve(s->name, lang.empty() ? "es" : lang);
    out += "{\"type\":\"Feature\",\"id\":";
    append_json_number(out, s->id);
    out += ",\"geometry\":";
    append_point_geometry(out, s);
    out += ",\"properties\":";
    core::JsonObjectText properties(out);
    auto optional_int = [&](const char* key, std::optional<int> value) {
        if (value)
            properties.integer(key, *value);
        else
            properties.plain_key(key) += "null";
    };
    properties.string("name", name ? std::string_view(name->text) : "");
    properties.string("country", s->country);
    append_joined(properties.plain_key("types"), s->types);
    properties.string("status", core::to_string(s->status));
    properties.string("locality", s->address.locality);
    properties.string("admin1", s->address.admin1_name);
    const auto site = s.site();
    properties.string("location_precision", site ? core::to_string(site->precision) : "");
    append_joined(properties.plain_key("languages"), s->languages);
    append_joined(properties.plain_key("populations"), s->populations);
    optional_int("age_min", s->age.min);
    optional_int("age_max", s->age.max);
    properties.string("gender", s->gender);
    properties.string("cost", s->cost);
    properties.string("phone", first_contact(s.fields(), {core::ContactKind::phone, core::ContactKind::hotline}));
    properties.string("email", first_contact(s.fields(), {core::ContactKind::email}));
    properties.string("url", first_contact(s.fields(), {core::ContactKind::url}));
    properties.string("last_verified", s->last_verified);
    properties.string("updated_at", s->updated_at);
    // Demo records are marked, so that a GIS user can tell them from real listings; 1 or 0, as
    // properties stay strings and numbers (`-where "illustrative=0"`).
    properties.integer("illustrative", s->illustrative ? 1 : 0);
    if (distance_m) properties.number("distance_m", round_m(*distance_m));
    properties.close();
    out += '}';
}

} // namespace enlace::http::detail
