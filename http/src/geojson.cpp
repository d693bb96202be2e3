#include "geojson.hpp"

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

nlohmann::json ogc_feature(const core::Service& s, std::optional<double> distance_m, const std::string& lang) {
    const auto name = core::resolve(s.name, lang.empty() ? "es" : lang);
    nlohmann::json p{
        {"name", name ? name->text : ""},
        {"country", s.country},
        {"types", joined(s.types)},
        {"status", std::string(core::to_string(s.status))},
        {"locality", s.address.locality},
        {"admin1", s.address.admin1_name},
        {"location_precision", s.site ? std::string(core::to_string(s.site->precision)) : ""},
        {"languages", joined(s.languages)},
        {"populations", joined(s.populations)},
        {"age_min", s.age.min ? nlohmann::json(*s.age.min) : nlohmann::json(nullptr)},
        {"age_max", s.age.max ? nlohmann::json(*s.age.max) : nlohmann::json(nullptr)},
        {"gender", s.gender},
        {"cost", s.cost},
        {"phone", first_contact(s, {core::ContactKind::phone, core::ContactKind::hotline})},
        {"email", first_contact(s, {core::ContactKind::email})},
        {"url", first_contact(s, {core::ContactKind::url})},
        {"last_verified", s.last_verified},
        {"updated_at", s.updated_at},
    };
    if (distance_m) p["distance_m"] = round_m(*distance_m);
    return {{"type", "Feature"}, {"id", s.id}, {"geometry", point_geometry(s)}, {"properties", std::move(p)}};
}

} // namespace enlace::http::detail
