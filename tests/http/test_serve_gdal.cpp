// End to end: the real `enlace serve` on a loopback port, read by GDAL's own OAPIF client
// (ogrinfo, ogr2ogr), then stopped with SIGTERM.
#include "serve_process.hpp"
#include "support/temp_registry.hpp"

#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

using enlace::test::ScratchDir;
using enlace::test::ServeProcess;

namespace {

std::string run(const std::string& command, const std::string& output) {
    const int code = std::system((command + " > " + output + " 2>&1").c_str());
    std::ifstream in(output);
    std::string text{std::istreambuf_iterator<char>(in), {}};
    INFO(command << "\n" << text);
    REQUIRE(code == 0);
    return text;
}

std::set<std::int64_t> ids_in(const std::string& geojson_file) {
    std::ifstream in(geojson_file);
    const auto doc = nlohmann::json::parse(in);
    std::set<std::int64_t> ids;
    for (const auto& f : doc["features"])
        ids.insert(f["id"].get<std::int64_t>());
    return ids;
}

} // namespace

TEST_CASE("GDAL's OAPIF client reads enlace serve, and SIGTERM stops it cleanly") {
    ScratchDir dir;
    auto registry = enlace::test::make_registry(dir);
    registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));
    // Real-shaped records too: a Mexican hotline whose service area covers Guatemala, a temporarily
    // closed service, records that are not illustrative.
    registry.load_dataset(enlace::test::test_data("field_records.json"));

    ServeProcess server(dir.registry(), dir.file("serve.log"));
    REQUIRE(server.wait_until_up());
    const auto source = "OAPIF:http://127.0.0.1:" + std::to_string(server.port) + "/ogcapi";

    SECTION("ogrinfo counts the public active services and reports an extent") {
        const auto info = run("ogrinfo -ro -so " + source + " services", dir.file("ogrinfo.txt"));
        std::smatch m;
        REQUIRE(std::regex_search(info, m, std::regex("Feature Count: (\\d+)")));
        CHECK(std::stoll(m[1]) == registry.count(enlace::core::ServiceQuery{}));
        CHECK(std::regex_search(info, std::regex("Extent: \\(-?[0-9.]+, -?[0-9.]+\\) - \\(-?[0-9.]+, -?[0-9.]+\\)")));
    }

    SECTION("ogrinfo reads the countries collection: 11 features with their service counts") {
        const auto info = run("ogrinfo -ro -al " + source + " countries", dir.file("countries.txt"));
        std::smatch m;
        REQUIRE(std::regex_search(info, m, std::regex("Feature Count: (\\d+)")));
        CHECK(std::stoll(m[1]) == 11);
        CHECK(std::regex_search(info, std::regex("alpha3 \\(String\\) = GTM")));
        CHECK(std::regex_search(info, std::regex("services \\(Integer(64)?\\) = \\d+")));
        CHECK(info.find("MULTIPOLYGON") != std::string::npos); // the US, split at the antimeridian
    }

    SECTION("ogr2ogr -where country='GT' returns exactly the core's GT services, paged or not") {
        enlace::core::ServiceQuery gt;
        gt.countries = {"GT"};
        gt.limit = 1000;
        std::set<std::int64_t> expected;
        for (const auto& hit : registry.find(gt).items)
            expected.insert(hit.service->id);
        REQUIRE(expected.size() >= 2);
        for (const std::string options : {"", "-oo PAGE_SIZE=1"}) {
            INFO(options);
            const auto out = dir.file(options.empty() ? "gt.geojson" : "gt_paged.geojson");
            run("ogr2ogr -f GeoJSON -preserve_fid " + options + " " + out + " " + source +
                    " services -where \"country='GT'\"",
                dir.file("ogr2ogr.txt"));
            CHECK(ids_in(out) == expected);
        }
    }

    SECTION("-where on country means the service's own country, and on status and illustrative runs too") {
        const auto mexican_line = registry.find_service_id({"field-test", "mx-hotline"});
        REQUIRE(mexican_line);
        const auto gt = dir.file("gt_own.geojson");
        run("ogr2ogr -f GeoJSON -preserve_fid " + gt + " " + source + " services -where \"country='GT'\"",
            dir.file("ogr2ogr.txt"));
        CHECK(ids_in(gt).count(*mexican_line) == 0); // it serves GT, but it is Mexico's

        const auto closed = dir.file("closed.geojson");
        run("ogr2ogr -f GeoJSON -preserve_fid " + closed + " " + source +
                " services -where \"status='temporarily_closed'\"",
            dir.file("ogr2ogr.txt"));
        const auto frontline = registry.find_service_id({"field-test", "sv-frontline"});
        REQUIRE(frontline);
        CHECK(ids_in(closed).count(*frontline) == 1);

        const auto real = dir.file("real.geojson");
        run("ogr2ogr -f GeoJSON -preserve_fid " + real + " " + source + " services -where \"illustrative=0\"",
            dir.file("ogr2ogr.txt"));
        std::ifstream in(real);
        const auto doc = nlohmann::json::parse(in);
        REQUIRE_FALSE(doc["features"].empty());
        for (const auto& f : doc["features"])
            CHECK(f["properties"]["illustrative"] == 0);
    }

    CHECK(server.terminate() == 0);
    std::ifstream log(dir.file("serve.log"));
    const std::string text{std::istreambuf_iterator<char>(log), {}};
    CHECK(text.find("GET /ogcapi/collections") != std::string::npos);
    CHECK(text.find("127.0.0.1") == std::string::npos); // never the client address
    CHECK(text.find('?') == std::string::npos);         // never a query string
}
