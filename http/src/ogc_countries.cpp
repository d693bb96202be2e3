// The OGC API collection `countries`: the member countries as features, with their outline (or,
// when the reference data holds none, their box as a polygon, split at the antimeridian for the US)
// and the number of public active services in each. Feature ids are the alpha-2 codes.
#include "endpoints.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace enlace::http::detail {
namespace {

using nlohmann::json;

constexpr int default_limit = 10;
constexpr int max_limit = 1000;

json ring(double west, double south, double east, double north) {
    return json::array({json::array({json::array({west, south}), json::array({east, south}), json::array({east, north}),
                                     json::array({west, north}), json::array({west, south})})});
}

json box_geometry(const core::BBox& box) {
    if (!box.crosses_antimeridian())
        return {{"type", "Polygon"}, {"coordinates", ring(box.west, box.south, box.east, box.north)}};
    return {
        {"type", "MultiPolygon"},
        {"coordinates", {ring(box.west, box.south, 180.0, box.north), ring(-180.0, box.south, box.east, box.north)}}};
}

json feature(const Call& call, const core::Country& country, const std::string& lang) {
    core::ServiceQuery query;
    query.countries = {country.alpha2};
    query.statuses = {core::ServiceStatus::active};
    const auto name = core::resolve(country.names, lang.empty() ? "es" : lang);
    return {{"type", "Feature"},
            {"id", country.alpha2},
            {"geometry", country.outline.empty() ? box_geometry(country.bbox) : core::to_geojson(country.outline)},
            {"properties",
             {{"alpha2", country.alpha2},
              {"alpha3", country.alpha3},
              {"name", name ? name->text : country.alpha2},
              {"services", call.context.registry.count(query)}}}};
}

void accept_f(const Call& call) {
    const auto f = call.params.get("f");
    if (!f.empty() && f != "json" && f != "geojson") throw core::query_error("f", "must be json (HTML is not served)");
}

std::size_t parse_offset(const std::string& cursor) {
    std::size_t offset = 0;
    const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), offset);
    if (cursor.empty() || ec != std::errc() || end != cursor.data() + cursor.size())
        throw core::query_error("cursor", "is not a cursor of this collection");
    return offset;
}

std::string root(const Call& call) { return call.base_url + "/ogcapi/collections/countries"; }

} // namespace

json countries_collection_json(const Call& call) {
    const auto& countries = call.context.registry.reference().countries();
    // One box holding them all; the US crosses the antimeridian, so the extent spans every longitude.
    core::BBox extent{180, 90, -180, -90};
    for (const auto& c : countries) {
        extent.south = std::min(extent.south, c.bbox.south);
        extent.north = std::max(extent.north, c.bbox.north);
        extent.west = std::min(extent.west, c.bbox.crosses_antimeridian() ? -180.0 : c.bbox.west);
        extent.east = std::max(extent.east, c.bbox.crosses_antimeridian() ? 180.0 : c.bbox.east);
    }
    return ogc_collection_json(root(call), "countries", "Member countries of the RCM",
                               "Simplified Natural Earth outlines of the member countries with the number of public "
                               "active services in each.",
                               extent, "The countries as GeoJSON");
}

Response countries_items(const Call& call) {
    accept_f(call);
    call.params.require_known({"limit", "cursor", "f", "lang"});
    auto limit = call.params.integer("limit").value_or(default_limit);
    if (limit < 1) throw core::query_error("limit", "must be at least 1");
    limit = std::min<long long>(limit, max_limit);
    const auto offset = call.params.has("cursor") ? parse_offset(call.params.get("cursor")) : std::size_t{0};

    const auto& countries = call.context.registry.reference().countries();
    const auto lang = call.params.get("lang");
    json features = json::array();
    for (std::size_t i = offset; i < countries.size() && features.size() < static_cast<std::size_t>(limit); ++i)
        features.push_back(feature(call, countries[i], lang));

    auto page_url = [&](std::size_t at) {
        auto url = root(call) + "/items?limit=" + std::to_string(limit);
        if (!lang.empty()) url += "&lang=" + url_encode(lang);
        return at ? url + "&cursor=" + std::to_string(at) : url;
    };
    // json::array: `json links = {one}` is that one object, not an array of it, under clang (CWG 1467).
    auto links = json::array({ogc_link(page_url(offset), "self", "application/geo+json", "This page")});
    const auto next = offset + features.size();
    if (next < countries.size()) links.push_back(ogc_link(page_url(next), "next", "application/geo+json", "Next page"));
    const auto returned = features.size();
    return json_response({{"type", "FeatureCollection"},
                          {"features", std::move(features)},
                          {"links", std::move(links)},
                          {"numberMatched", countries.size()},
                          {"numberReturned", returned}},
                         "application/geo+json");
}

Response countries_item(const Call& call, const std::string& id) {
    accept_f(call);
    call.params.require_known({"f", "lang"});
    const auto* country = call.context.registry.reference().country(id);
    if (!country) throw core::not_found("no feature " + id + " in collection countries");
    auto out = feature(call, *country, call.params.get("lang"));
    out["links"] = {ogc_link(root(call) + "/items/" + id, "self", "application/geo+json", "This feature"),
                    ogc_link(root(call), "collection", "application/json", "The collection")};
    return json_response(out, "application/geo+json");
}

} // namespace enlace::http::detail
