#include "geojson.hpp"

#include "enlace/core/json_text.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace enlace::http::detail {
namespace {

using core::append_json_number;
using core::append_json_string;

double round_m(double metres) { return std::round(metres * 10) / 10; }

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ",") + v;
    return out;
}

std::string first_contact(const core::Service& s, std::initializer_list<core::ContactKind> kinds) {
    for (const auto& c : s.contacts)
        if (!c.personal && std::find(kinds.begin(), kinds.end(), c.kind) != kinds.end()) return c.value;
    return {};
}

} // namespace

void resolve_field(nlohmann::json& item, nlohmann::json& used, const core::LocalizedText& text, const std::string& field,
                   const std::string& lang) {
    if (auto r = core::resolve(text, lang)) {
        item[field] = r->text;
        used[field] = {{"language", r->language}, {"fallback", r->fallback}};
    }
}

namespace {

/// The Point of a service's site, or null for services without one. For the public audience the
/// core has already replaced the site with its public point.
void append_point_geometry(std::string& out, const core::Service& s) {
    if (!s.site) {
        out += "null";
        return;
    }
    out += "{\"type\":\"Point\",\"coordinates\":[";
    append_json_number(out, s.site->point.lon);
    out += ',';
    append_json_number(out, s.site->point.lat);
    out += "]}";
}

void append_item(std::string& out, const core::Service& s, std::optional<double> distance_m, const std::string& lang,
                 bool location) {
    core::ServiceJsonForm form;
    form.location = location;
    form.language = lang;
    core::append_json(out, s, form);
    if (!distance_m) return;
    out.pop_back();  // the record's closing brace
    out += ",\"distance_m\":";
    append_json_number(out, round_m(*distance_m));
    out += '}';
}

} // namespace

void append_rest_item(std::string& out, const core::Service& s, std::optional<double> distance_m,
                      const std::string& lang) {
    append_item(out, s, distance_m, lang, true);
}

void append_rest_feature(std::string& out, const core::Service& s, std::optional<double> distance_m,
                         const std::string& lang) {
    out += "{\"type\":\"Feature\",\"id\":";
    append_json_number(out, s.id);
    out += ",\"geometry\":";
    append_point_geometry(out, s);
    out += ",\"properties\":";
    append_item(out, s, distance_m, lang, false);
    out += '}';
}

std::string ogc_feature(const core::Service& s, std::optional<double> distance_m, const std::string& lang) {
    const auto name = core::resolve(s.name, lang.empty() ? "es" : lang);
    std::string out = "{\"type\":\"Feature\",\"id\":";
    append_json_number(out, s.id);
    out += ",\"geometry\":";
    append_point_geometry(out, s);
    out += ",\"properties\":{";
    bool first = true;
    auto key = [&](const char* k) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, k);
        out += ':';
    };
    auto text = [&](const char* k, std::string_view value) {
        key(k);
        append_json_string(out, value);
    };
    auto optional_int = [&](const char* k, std::optional<int> value) {
        key(k);
        if (value) append_json_number(out, std::int64_t{*value});
        else out += "null";
    };
    text("name", name ? name->text : "");
    text("country", s.country);
    text("types", joined(s.types));
    text("status", core::to_string(s.status));
    text("locality", s.address.locality);
    text("admin1", s.address.admin1_name);
    text("location_precision", s.site ? core::to_string(s.site->precision) : "");
    text("languages", joined(s.languages));
    text("populations", joined(s.populations));
    optional_int("age_min", s.age.min);
    optional_int("age_max", s.age.max);
    text("gender", s.gender);
    text("cost", s.cost);
    text("phone", first_contact(s, {core::ContactKind::phone, core::ContactKind::hotline}));
    text("email", first_contact(s, {core::ContactKind::email}));
    text("url", first_contact(s, {core::ContactKind::url}));
    text("last_verified", s.last_verified);
    text("updated_at", s.updated_at);
    if (distance_m) {
        key("distance_m");
        append_json_number(out, round_m(*distance_m));
    }
    out += "}}";
    return out;
}

} // namespace enlace::http::detail
