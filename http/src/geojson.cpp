#include "geojson.hpp"
#include "json_text.hpp"

#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace enlace::http::detail {
namespace {

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

nlohmann::json point_geometry(const core::Service& s) {
    // For the public audience the core has already replaced the site with its public point.
    if (!s.site) return nullptr;
    return {{"type", "Point"}, {"coordinates", {s.site->point.lon, s.site->point.lat}}};
}

nlohmann::json rest_item(const core::Service& s, std::optional<double> distance_m, const std::string& lang) {
    auto item = core::to_json(s);
    if (distance_m) item["distance_m"] = round_m(*distance_m);
    if (!lang.empty()) {
        nlohmann::json used = nlohmann::json::object();
        resolve_field(item, used, s.name, "name", lang);
        resolve_field(item, used, s.description, "description", lang);
        item["resolved_language"] = std::move(used);
    }
    return item;
}

nlohmann::json rest_feature(const core::Service& s, nlohmann::json item) {
    item.erase("location");
    return {{"type", "Feature"}, {"id", s.id}, {"geometry", point_geometry(s)}, {"properties", std::move(item)}};
}

std::string ogc_feature(const core::Service& s, std::optional<double> distance_m, const std::string& lang) {
    const auto name = core::resolve(s.name, lang.empty() ? "es" : lang);
    std::string out = "{\"type\":\"Feature\",\"id\":";
    append_json_number(out, s.id);
    out += ",\"geometry\":";
    if (s.site) {
        // For the public audience the core has already replaced the site with its public point.
        out += "{\"type\":\"Point\",\"coordinates\":[";
        append_json_number(out, s.site->point.lon);
        out += ',';
        append_json_number(out, s.site->point.lat);
        out += "]}";
    } else {
        out += "null";
    }
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
