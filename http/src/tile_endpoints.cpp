// Vector tiles of the services: /tiles/services/{z}/{x}/{y}.mvt with the index's filters, and the
// TileJSON document that tells a map client (MapLibre, QGIS, Leaflet.VectorGrid) where they are.
// Always the public's view, whoever asks: a tile is cached and shared, and shows public points.
#include "endpoints.hpp"
#include "mvt_encoder.hpp"
#include "service_filters.hpp"

#include "enlace/core/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <vector>

namespace enlace::http::detail {
namespace {

const std::vector<std::string_view> tile_filters = {"country", "available_in", "type", "population", "age", "status"};

core::ServiceQuery tile_query(const Params& params) {
    params.require_known(tile_filters);
    auto query = service_query(params, {50, 50, false});
    query.audience = core::Audience::public_;
    return query;
}

std::int64_t coordinate(std::string_view text, const char* name) {
    std::int64_t value = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw core::query_error(name, "must be a whole number, not '" + std::string(text) + "'");
    return value;
}

} // namespace

Response tile_services(const Call& call, const std::string& z, const std::string& x, const std::string& y_file) {
    if (!y_file.ends_with(".mvt")) throw core::not_found("no tile at " + call.path + " (tiles end in .mvt)");
    core::TileAddress address;
    address.z = static_cast<int>(std::clamp<std::int64_t>(coordinate(z, "z"), -1, 99));
    address.x = coordinate(x, "x");
    address.y = coordinate(std::string_view(y_file).substr(0, y_file.size() - 4), "y");
    const auto content = call.context.registry.tile(tile_query(call.params), address);
    auto response = text_response(encode_mvt(content, address), "application/vnd.mapbox-vector-tile");
    response.headers.emplace_back("Enlace-Tile-Services", std::to_string(content.services));
    return response;
}

Response tile_json(const Call& call) {
    tile_query(call.params); // the filters checked now, not on every tile
    std::string query;
    for (const auto name : tile_filters)
        if (const auto* value = call.params.find(name))
            query += (query.empty() ? "?" : "&") + std::string(name) + "=" + url_encode(*value);
    const core::TileRules rules;
    nlohmann::json doc = {
        {"tilejson", "3.0.0"},
        {"name", "Enlace services"},
        {"description", "Protection services for migrant children: public points only; below zoom " +
                            std::to_string(rules.cluster_below_zoom) +
                            " counted on a grid anchored to the world, each count at its cell's centre"},
        {"scheme", "xyz"},
        {"tiles", {call.base_url + "/tiles/services/{z}/{x}/{y}.mvt" + query}},
        {"minzoom", 0},
        {"maxzoom", 16},
        {"bounds", {-180, -85.0511, 180, 85.0511}},
        {"vector_layers",
         {{{"id", mvt_layer},
           {"description", "A service (count 1, its id and family) or a count of services (cluster true)"},
           {"minzoom", 0},
           {"maxzoom", 16},
           {"fields", {{"id", "Number"}, {"family", "String"}, {"count", "Number"}, {"cluster", "Boolean"}}}}}},
    };
    return json_response(doc);
}

} // namespace enlace::http::detail
