// GET /api/v1/export through the pure handler: a download of the public services matching the
// /api/v1/services filters, in the asked format.
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using enlace::test::body;
using enlace::test::DemoHandler;

namespace {

/// True when any [lon, lat] pair in the document lies within 1e-6 degrees of the point.
bool near_point(const nlohmann::json& doc, double lon, double lat) {
    if (doc.is_array() && doc.size() >= 2 && doc[0].is_number() && doc[1].is_number())
        return std::abs(doc[0].get<double>() - lon) < 1e-6 && std::abs(doc[1].get<double>() - lat) < 1e-6;
    if (doc.is_structured())
        for (const auto& child : doc)
            if (near_point(child, lon, lat)) return true;
    return false;
}

} // namespace

TEST_CASE("GeoJSON export has as many features as services match the same filters") {
    DemoHandler h;
    for (const std::string filters : {"country=SV,GT", "type=REC.SHORTSTAY", "q=salud", ""}) {
        INFO(filters);
        const auto r = h.get("/api/v1/export?format=geojson&" + filters);
        REQUIRE(r.status == 200);
        CHECK(r.content_type == "application/geo+json");
        CHECK(r.header("Content-Disposition") == "attachment; filename=\"enlace-services.geojson\"");
        const auto doc = body(r);
        CHECK(doc["type"] == "FeatureCollection");
        const auto listed = body(h.get("/api/v1/services?limit=10000&" + filters));
        CHECK(doc["features"].size() == listed["items"].size());
    }
}

TEST_CASE("export defaults to GeoJSON and names each format's file") {
    DemoHandler h;
    CHECK(h.get("/api/v1/export").content_type == "application/geo+json");
    const std::vector<std::pair<std::string, std::string>> files = {{"csv", "enlace-services.csv"},
                                                                    {"gpkg", "enlace-services.gpkg"},
                                                                    {"kml", "enlace-services.kml"},
                                                                    {"xlsx", "enlace-services.xlsx"},
                                                                    {"hxl", "enlace-services.hxl.csv"}};
    for (const auto& [format, file] : files) {
        INFO(format);
        const auto r = h.get("/api/v1/export?country=GT&format=" + format);
        REQUIRE(r.status == 200);
        CHECK(r.header("Content-Disposition") == "attachment; filename=\"" + file + "\"");
        CHECK_FALSE(r.body.empty());
    }
    CHECK(h.get("/api/v1/export?format=gpkg").body.rfind("SQLite format 3", 0) == 0);
    CHECK(h.get("/api/v1/export?format=xlsx").body.rfind("PK", 0) == 0);
}

TEST_CASE("shapefile export is one zip of the shapefile's files") {
    DemoHandler h;
    const auto r = h.get("/api/v1/export?format=shp&country=GT");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/zip");
    CHECK(r.header("Content-Disposition") == "attachment; filename=\"enlace-services.zip\"");
    CHECK(r.body.rfind("PK", 0) == 0);
    for (const auto* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"})
        CHECK(r.body.find(std::string("enlace-services") + ext) != std::string::npos);
}

TEST_CASE("export never carries a sensitive shelter's exact site") {
    DemoHandler h;
    const auto shelters = enlace::test::exact_shelters(h.registry);
    REQUIRE(shelters.size() >= 3);
    const auto all = body(h.get("/api/v1/export?format=geojson"));
    const auto some = body(h.get("/api/v1/export?format=geojson&type=REC.SHORTSTAY"));
    CHECK(some["features"].size() >= 1);
    for (const auto& shelter : shelters) {
        const auto exact = shelter.site->point;
        CHECK_FALSE(near_point(all, exact.lon, exact.lat));
        CHECK_FALSE(near_point(some, exact.lon, exact.lat));
    }
}

TEST_CASE("export refuses an unknown format naming the format parameter") {
    DemoHandler h;
    for (const auto* format : {"pdf", "fgb", "hsds", ""}) {
        INFO(format);
        const auto r = h.get(std::string("/api/v1/export?format=") + format);
        CHECK(r.status == 400);
        CHECK(r.content_type == "application/problem+json");
        CHECK(body(r)["parameter"] == "format");
    }
    CHECK(body(h.get("/api/v1/export?limit=5"))["parameter"] == "limit");
}
