// Vector tiles of the services, read back by GDAL's MVT driver: every public sited service that
// matches is in the tile or in one of its counts, counts sit at the centres of a grid anchored to
// the world, sensitive sites only at their public points, the filters apply, bad coordinates and
// filters are refused by name, and the access log keeps no tile coordinates.
#include "demo_handler.hpp"
#include "mvt_encoder.hpp"

#include "enlace/core/errors.hpp"

#include <catch2/catch.hpp>
#include <gdal.h>
#include <ogr_api.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using enlace::test::body;
using enlace::test::DemoHandler;
namespace core = enlace::core;
namespace fs = std::filesystem;

namespace {

constexpr double world = 40075016.685578488; // the Web Mercator world's side, in metres

struct Feature {
    double px, py; // in the tile, 0..4096
    std::int64_t count = 0;
    bool cluster = false;
    std::int64_t id = 0;
    std::string family;
};

/// The tile's features as GDAL's MVT driver reads them (the file named z/x/y.pbf, so that it is
/// georeferenced in EPSG:3857), positions back in tile units.
std::vector<Feature> read_tile(const std::string& bytes, const core::TileAddress& a, const fs::path& folder) {
    if (bytes.empty()) return {};
    GDALAllRegister();
    const auto file = folder / std::to_string(a.z) / std::to_string(a.x) / (std::to_string(a.y) + ".pbf");
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
    const char* drivers[] = {"MVT", nullptr};
    const char* options[] = {"CLIP=NO", nullptr}; // a point drawn outside the tile must show
    GDALDatasetH ds = GDALOpenEx(file.c_str(), GDAL_OF_VECTOR, drivers, options, nullptr);
    REQUIRE(ds != nullptr);
    REQUIRE(GDALDatasetGetLayerCount(ds) == 1);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    CHECK(std::string(OGR_L_GetName(layer)) == "services");
    std::vector<Feature> out;
    const double side = world / std::ldexp(1.0, a.z);
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        REQUIRE(g != nullptr);
        Feature feature;
        feature.px = ((OGR_G_GetX(g, 0) + world / 2) / side - static_cast<double>(a.x)) * 4096;
        feature.py = ((world / 2 - OGR_G_GetY(g, 0)) / side - static_cast<double>(a.y)) * 4096;
        auto field = [&](const char* name) { return OGR_F_GetFieldIndex(f, name); };
        feature.count = OGR_F_GetFieldAsInteger64(f, field("count"));
        feature.cluster = OGR_F_GetFieldAsInteger(f, field("cluster")) != 0;
        if (field("id") >= 0 && OGR_F_IsFieldSetAndNotNull(f, field("id")))
            feature.id = OGR_F_GetFieldAsInteger64(f, field("id"));
        if (field("family") >= 0 && OGR_F_IsFieldSetAndNotNull(f, field("family")))
            feature.family = OGR_F_GetFieldAsString(f, field("family"));
        out.push_back(feature);
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return out;
}

std::int64_t total(const std::vector<Feature>& features) {
    std::int64_t n = 0;
    for (const auto& f : features)
        n += f.count;
    return n;
}

/// Public sited services matching the query's filters inside Web Mercator's latitudes.
std::int64_t sited_matches(const core::Registry& registry, core::ServiceQuery q) {
    q.bbox = core::BBox{-180, -85.0511, 180, 85.0511};
    return registry.count(q);
}

struct Tiles : DemoHandler {
    enlace::test::ScratchDir scratch;
    Tiles() { add_field_records(); }
    std::vector<Feature> features(const core::TileAddress& a, const std::string& query = {}) {
        const auto r = get("/tiles/services/" + std::to_string(a.z) + "/" + std::to_string(a.x) + "/" +
                           std::to_string(a.y) + ".mvt" + query);
        REQUIRE(r.status == 200);
        CHECK(r.content_type == "application/vnd.mapbox-vector-tile");
        return read_tile(r.body, a, scratch.path() / "tiles");
    }
};

} // namespace

TEST_CASE("tiles: the tile grid: addresses checked, bounds and positions in Web Mercator") {
    CHECK_THROWS_AS((core::TileAddress{-1, 0, 0}.check()), core::query_error);
    CHECK_THROWS_AS((core::TileAddress{21, 0, 0}.check()), core::query_error);
    CHECK_THROWS_AS((core::TileAddress{2, 4, 0}.check()), core::query_error);
    CHECK_THROWS_AS((core::TileAddress{2, 0, -1}.check()), core::query_error);
    CHECK_NOTHROW((core::TileAddress{20, (1 << 20) - 1, 0}.check()));
    const auto whole = core::TileAddress{0, 0, 0}.bounds();
    CHECK(whole.west == Approx(-180));
    CHECK(whole.east == Approx(180));
    CHECK(whole.north == Approx(85.0511).epsilon(1e-6));
    CHECK(whole.south == Approx(-85.0511).epsilon(1e-6));
    const core::TileAddress se{1, 1, 1};
    const auto [px, py] = se.position({0, 0}, 4096);
    CHECK(px == Approx(0).margin(1e-9));
    CHECK(py == Approx(0).margin(1e-9));
    const auto [qx, qy] = se.position({90, -66.51326}, 4096);
    CHECK(qx == Approx(2048));
    CHECK(qy == Approx(2048).epsilon(1e-4));
}

TEST_CASE("tiles: at low zooms every matching service is counted once, at its grid cell's centre") {
    Tiles h;
    const auto expected = sited_matches(h.registry, {});
    REQUIRE(expected > 20);
    const auto world_tile = h.features({0, 0, 0});
    CHECK(total(world_tile) == expected);
    bool any_cluster = false;
    for (const auto& f : world_tile) {
        if (!f.cluster) {
            CHECK(f.count == 1);
            CHECK(f.id > 0);
            CHECK(!f.family.empty());
            continue;
        }
        any_cluster = true;
        CHECK(f.count > 1);
        CHECK(f.id == 0);
        // 8 cells of 512 units: a centre is at 256 + 512 k (within rounding).
        CHECK(std::fmod(f.px, 512) == Approx(256).margin(1.5));
        CHECK(std::fmod(f.py, 512) == Approx(256).margin(1.5));
    }
    CHECK(any_cluster);

    // The four tiles of zoom 1 hold the same services between them, none twice.
    std::int64_t quarters = 0;
    for (std::int64_t x = 0; x < 2; ++x)
        for (std::int64_t y = 0; y < 2; ++y)
            quarters += total(h.features({1, x, y}));
    CHECK(quarters == expected);
}

TEST_CASE("tiles: a service on the edge between tiles and between cells is counted once, in one of them") {
    Tiles h;
    // Longitude -90 is an edge of the zoom-2 tiles and of the world tile's cells; it crosses Guatemala.
    h.registry.load_dataset(R"({"source": "edges", "services": [{"source_id": "edge", "name": {"es": "En el borde"},
        "types": ["LEG.AID"], "country": "GT", "location": {"lon": -90.0, "lat": 15.0, "precision": "exact"},
        "languages": ["es"], "status": "active", "visibility": "public"}]})");
    const auto expected = sited_matches(h.registry, {});
    CHECK(total(h.features({0, 0, 0})) == expected);
    std::int64_t sixteenths = 0, west = 0;
    for (std::int64_t x = 0; x < 4; ++x)
        for (std::int64_t y = 0; y < 4; ++y) {
            const auto n = total(h.features({2, x, y}));
            sixteenths += n;
            if (x == 0 && y == 1) west += n;
        }
    CHECK(sixteenths == expected);
    // Half-open tiles: the west edge is inside, so the service is in the tile east of -90.
    core::ServiceQuery west_of_edge;
    west_of_edge.bbox = core::BBox{-180, 0, std::nextafter(-90.0, -180.0), 66.5};
    CHECK(west == h.registry.count(west_of_edge));
}

TEST_CASE("tiles: filters apply, in the tile and in the TileJSON document") {
    Tiles h;
    core::ServiceQuery gt;
    gt.countries = {"GT"};
    const auto in_gt = sited_matches(h.registry, gt);
    REQUIRE(in_gt > 0);
    CHECK(total(h.features({0, 0, 0}, "?country=GT")) == in_gt);
    CHECK(total(h.features({0, 0, 0}, "?country=GT")) < total(h.features({0, 0, 0})));
    core::ServiceQuery shelters;
    shelters.types = {"REC"};
    CHECK(total(h.features({0, 0, 0}, "?type=REC")) == sited_matches(h.registry, shelters));
    core::ServiceQuery young;
    young.age = 5;
    CHECK(total(h.features({0, 0, 0}, "?age=5")) == sited_matches(h.registry, young));

    const auto doc = body(h.get("/tiles/services.json?country=GT&type=REC"));
    CHECK(doc["tilejson"] == "3.0.0");
    CHECK(doc["tiles"][0] == "http://example.test:8080/tiles/services/{z}/{x}/{y}.mvt?country=GT&type=REC");
    CHECK(doc["vector_layers"][0]["id"] == "services");
    CHECK(doc["vector_layers"][0]["fields"].contains("count"));
}

TEST_CASE("tiles: at street zooms services are drawn one by one, sensitive sites at their public points") {
    Tiles h;
    const auto shelters = enlace::test::exact_shelters(h.registry);
    REQUIRE(!shelters.empty());
    for (const auto& shelter : shelters) {
        if (!shelter.site) continue;
        const auto exact = shelter.site->point;
        const auto shown = h.registry.public_service(shelter.id);
        INFO(shelter.id);
        for (const int z : {5, 9, 12, 14, 16}) {
            const double n = std::ldexp(1.0, z);
            // The tile of the exact site, and the tile of the public point.
            const auto tile_of = [&](const core::GeoPoint& p) {
                core::TileAddress a{z, 0, 0};
                const auto [wx, wy] = core::TileAddress{0, 0, 0}.position(p, 1);
                a.x = static_cast<std::int64_t>(wx * n);
                a.y = static_cast<std::int64_t>(wy * n);
                return a;
            };
            const auto at_site = tile_of(exact);
            const auto [sx, sy] = at_site.position(exact, 4096);
            for (const auto& f : h.features(at_site))
                CHECK((std::abs(f.px - sx) > 2 || std::abs(f.py - sy) > 2));
            // Not public at all (restricted): nowhere.
            if (shelter.visibility != core::Visibility::public_ || !shown || !shown->site) continue;
            const auto public_point = shown->site->point;
            if (z < 12) continue;
            const auto at_public = tile_of(public_point);
            const auto [ux, uy] = at_public.position(public_point, 4096);
            bool found = false;
            for (const auto& f : h.features(at_public))
                found = found || (f.id == shelter.id && std::abs(f.px - ux) <= 1 && std::abs(f.py - uy) <= 1);
            CHECK(found);
        }
    }
}

TEST_CASE("tiles: a crowded tile is counted on a finer grid, whatever the zoom") {
    Tiles h;
    const core::TileAddress gt{5, 7, 14}; // Guatemala and its neighbours
    const auto drawn = h.registry.tile({}, gt, core::TileRules{0, 8, 1000000});
    const auto counted = h.registry.tile({}, gt, core::TileRules{0, 8, 3});
    REQUIRE(drawn.services > 3);
    CHECK(!drawn.clustered);
    CHECK(drawn.services == static_cast<std::int64_t>(drawn.items.size()));
    CHECK(counted.clustered);
    CHECK(counted.grid == 32);
    std::int64_t n = 0;
    for (const auto& item : counted.items)
        n += item.count;
    CHECK(n == drawn.services);
}

TEST_CASE("tiles: bad coordinates and filters the index cannot answer are refused by name") {
    Tiles h;
    auto parameter = [&](const std::string& target) {
        const auto r = h.get(target);
        INFO(target << " " << r.body);
        REQUIRE(r.status == 400);
        return body(r)["parameter"].get<std::string>();
    };
    CHECK(parameter("/tiles/services/21/0/0.mvt") == "z");
    CHECK(parameter("/tiles/services/2/4/0.mvt") == "x");
    CHECK(parameter("/tiles/services/2/0/-1.mvt") == "y");
    CHECK(parameter("/tiles/services/a/0/0.mvt") == "z");
    CHECK(parameter("/tiles/services/2/0/0x.mvt") == "y");
    CHECK(parameter("/tiles/services/99999999999999999999/0/0.mvt") == "z");
    CHECK(parameter("/tiles/services/2/0/0.mvt?q=casa") == "q");
    CHECK(parameter("/tiles/services/2/0/0.mvt?lat=14&lon=-90") == "lat");
    CHECK(parameter("/tiles/services/2/0/0.mvt?country=ZZ") == "country");
    CHECK(parameter("/tiles/services.json?language=es") == "language");
    CHECK(h.get("/tiles/services/2/0/0.png").status == 404);
    CHECK(h.get("/tiles/services/2/0/0.mvt").header("Cache-Control") == "public, max-age=60");
}

TEST_CASE("tiles: the access log keeps the path without tile coordinates or the query") {
    CHECK(enlace::http::loggable_path("/tiles/services/12/1100/1900.mvt?country=GT") == "/tiles/services/{z}/{x}/{y}");
    CHECK(enlace::http::loggable_path("/tiles/services.json?type=REC") == "/tiles/services.json");
    CHECK(enlace::http::loggable_path("/api/v1/services?lat=14.6&lon=-90.5") == "/api/v1/services");
    CHECK(enlace::http::loggable_path("/tiles") == "/tiles");
}

TEST_CASE("tiles: the encoder leaves out what lies outside the tile and its buffer, however far") {
    // Found by fuzz/fuzz_mvt.cpp: every item was drawn, its position cast to 32 bits, so a point
    // far off landed anywhere (a wrapped coordinate may even fall inside the tile).
    enlace::test::ScratchDir scratch;
    const core::TileAddress a{20, 300000, 500000};
    const auto b = a.bounds();
    const double width = b.east - b.west;
    core::TileContent content;
    content.items.push_back({{(b.west + b.east) / 2, (b.south + b.north) / 2}, 1, 7, "PRO"}); // inside
    content.items.push_back({{-179.9, -80}, 1, 8, "REC"});                                    // far off
    content.items.push_back({{b.east - 180, b.north}, 5, 0, {}});            // half a world west: x near -2^31
    content.items.push_back({{b.west - width / 200, b.north}, 1, 9, "FAM"}); // just west, in the buffer
    content.items.push_back({{b.west - width / 2, b.north}, 1, 10, "FAM"});  // half a tile west: outside
    const auto features = read_tile(enlace::http::detail::encode_mvt(content, a), a, scratch.path());
    REQUIRE(features.size() == 2);
    CHECK(features[0].id == 7);
    CHECK(features[1].id == 9);
    for (const auto& f : features) {
        CHECK(f.px >= -enlace::http::detail::mvt_buffer);
        CHECK(f.px <= 4096 + enlace::http::detail::mvt_buffer);
    }
}
