// One test per source format, plus reprojection, encodings, a large streamed file and the command.
#include "enlace/geo/importer.hpp"

#include "enlace/geo/errors.hpp"
#include "geo/import_fixtures.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <ogr_spatialref.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/resource.h>
#include <sys/wait.h>

using namespace enlace;
using enlace::test::FeatureSpec;

namespace {

const std::vector<std::string> fields = {"id", "name", "type", "country"};
std::vector<FeatureSpec> two_services() {
    return {{"POINT (-90.5069 14.6349)", {"f1", "Defensoría de la niñez", "PRO.AUTHORITY", "GT"}},
            {"POINT (-89.2182 13.6929)", {"f2", "Legal aid San Salvador", "LEG.AID", "SV"}}};
}

geo::ImportReport import_file(core::Registry& registry, const std::string& path, const std::string& layer = {},
                              const std::string& encoding = {}) {
    geo::ImportOptions o;
    o.path = path;
    o.layer = layer;
    o.encoding = encoding;
    return geo::import_layer(registry, o);
}

core::Service stored(const core::Registry& registry, const std::string& source, const std::string& id) {
    auto key = registry.find_service_id({source, id});
    REQUIRE(key);
    return *registry.service_record(*key);
}

void check_two(const core::Registry& registry, const std::string& source) {
    auto a = stored(registry, source, "f1");
    CHECK(a.site->point.lon == Approx(-90.5069).margin(1e-6));
    CHECK(a.site->point.lat == Approx(14.6349).margin(1e-6));
    CHECK(a.name.at("es") == "Defensoría de la niñez");
    auto b = stored(registry, source, "f2");
    CHECK(b.country == "SV");
    CHECK(b.types == std::vector<std::string>{"LEG.AID"});
}

int run(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST_CASE("Every vector format GDAL writes imports the same two services", "[import][formats]") {
    struct Format {
        const char* driver;
        const char* file;
    };
    const Format formats[] = {
        {"GeoJSON", "f.geojson"}, {"GeoJSONSeq", "f.geojsons"}, {"ESRI Shapefile", "f.shp"}, {"GPKG", "f.gpkg"},
        {"KML", "f.kml"},         {"FlatGeobuf", "f.fgb"},      {"XLSX", "f.xlsx"}};
    for (const auto& format : formats) {
        DYNAMIC_SECTION(format.driver) {
            test::ScratchDir dir;
            auto registry = test::make_registry(dir);
            const std::string path = dir.file(format.file);
            if (std::string(format.driver) == "XLSX") {
                // Spreadsheets have no geometry: coordinates in columns.
                test::write_layer(path, "XLSX", {"id", "name", "type", "country", "lat", "lon"},
                                  {{"", {"f1", "Defensoría de la niñez", "PRO.AUTHORITY", "GT", "14.6349", "-90.5069"}},
                                   {"", {"f2", "Legal aid San Salvador", "LEG.AID", "SV", "13.6929", "-89.2182"}}},
                                  0, "services");
            } else {
                test::write_layer(path, format.driver, fields, two_services());
            }
            auto report = import_file(registry, path);
            INFO(geo::report_table(report));
            CHECK(report.created == 2);
            CHECK(report.invalid == 0);
            check_two(registry, "f");
            CHECK(import_file(registry, path).unchanged == 2);
        }
    }
}

TEST_CASE("A projected shapefile is reprojected to WGS84 lon/lat from its .prj", "[import][crs]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    OGRSpatialReference wgs84, utm;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    utm.importFromEPSG(32615);
    std::unique_ptr<OGRCoordinateTransformation> to_utm(OGRCreateCoordinateTransformation(&wgs84, &utm));
    std::vector<FeatureSpec> features;
    for (auto spec : two_services()) {
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt(spec.wkt.c_str(), &wgs84, &g);
        g->transform(to_utm.get());
        char* wkt = nullptr;
        g->exportToWkt(&wkt);
        spec.wkt = wkt;
        CPLFree(wkt);
        delete g;
        features.push_back(spec);
    }
    const auto path = dir.file("utm.shp");
    test::write_layer(path, "ESRI Shapefile", fields, features, 32615);
    auto report = import_file(registry, path);
    INFO(geo::report_table(report));
    REQUIRE(report.created == 2);
    check_two(registry, "utm");

    // A wrong .prj (WGS84 declared, UTM metres stored) gives per-row errors, not a silent import.
    test::write_layer(dir.file("wrong.shp"), "ESRI Shapefile", fields, features, 4326);
    auto wrong = import_file(registry, dir.file("wrong.shp"));
    CHECK(wrong.invalid == 2);
    CHECK_FALSE(wrong.committed);
    REQUIRE_FALSE(wrong.issues.empty());
    CHECK(wrong.issues[0].field == "geometry");
    CHECK(wrong.issues[0].reason.find(".prj") != std::string::npos);
}

TEST_CASE("Shapefile text in CP1252 is read from the .cpg or from the encoding flag", "[import][encoding]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    // "–" (en dash) is 0x96 in CP1252 and a control character in Latin-1: it tells them apart.
    auto features = two_services();
    features[0].values[1] = "Atención – niñez";
    const auto path = dir.file("latin.shp");
    test::write_layer(path, "ESRI Shapefile", fields, features, 4326, "latin", {"ENCODING=CP1252"});
    auto with_cpg = import_file(registry, path);
    INFO(geo::report_table(with_cpg));
    REQUIRE(with_cpg.created == 2);
    CHECK(stored(registry, "latin", "f1").name.at("es") == "Atención – niñez");

    // Without the .cpg and with the DBF's language byte cleared, the flag says what the bytes are.
    std::remove(dir.file("latin.cpg").c_str());
    {
        std::fstream dbf(dir.file("latin.dbf"), std::ios::in | std::ios::out | std::ios::binary);
        dbf.seekp(29);
        dbf.put('\0');
    }
    geo::ImportOptions o;
    o.path = path;
    o.source = "latin2";
    o.encoding = "CP1252";
    auto flagged = geo::import_layer(registry, o);
    REQUIRE(flagged.created == 2);
    CHECK(stored(registry, "latin2", "f1").name.at("es") == "Atención – niñez");
}

TEST_CASE("A Latin-1 CSV needs the encoding flag, and without it the values are flagged", "[import][encoding]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("latin1.csv");
    test::write_text(path, "id,nombre,tipo,pais,lat,lon\n"
                           "l1,Protecci\xF3n de la ni\xF1"
                           "ez,PRO.AUTHORITY,GT,14.6349,-90.5069\n");
    geo::ImportOptions o;
    o.path = path;
    o.dry_run = true;
    auto guessed = geo::import_layer(registry, o);
    bool flagged = false;
    for (const auto& i : guessed.issues)
        flagged = flagged || (i.warning && i.reason.find("--encoding") != std::string::npos);
    CHECK(flagged);
    o.dry_run = false;
    o.encoding = "ISO-8859-1";
    auto report = geo::import_layer(registry, o);
    REQUIRE(report.created == 1);
    CHECK(report.issues.empty());
    CHECK(stored(registry, "latin1", "l1").name.at("es") == "Protección de la niñez");
}

TEST_CASE("A GeoPackage layer is chosen by name", "[import][gpkg]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("multi.gpkg");
    test::write_layer(path, "GPKG", fields, {{"POINT (-90.5 14.6)", {"z1", "Otra capa", "LEG.AID", "GT"}}}, 4326,
                      "others");
    test::write_layer(path, "GPKG", fields, two_services(), 4326, "services", {}, true);
    auto layers = geo::list_layers(path);
    CHECK(layers.size() == 2);
    auto report = import_file(registry, path, "services");
    CHECK(report.layer == "services");
    CHECK(report.created == 2);
    check_two(registry, "multi");
    auto first = import_file(registry, path); // no --layer: the first, with a note
    CHECK(first.layer == "others");
    CHECK_FALSE(first.notes.empty());
}

TEST_CASE("Actors and practices import from tables", "[import][kinds]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto actors = dir.file("actores.csv");
    test::write_text(actors, "id,organizacion,siglas,tipo_actor,pais,sitio_web\n"
                             "o1,Red de protección,RP,NGO,\"GT,SV\",https://example.org\n");
    geo::ImportOptions o;
    o.path = actors;
    o.kind = geo::RecordKind::actor;
    auto report = geo::import_layer(registry, o);
    INFO(geo::report_table(report));
    CHECK(report.created == 1);

    const auto practices = dir.file("practicas.csv");
    test::write_text(practices, "id,titulo,pais,anio_inicio,ejes,tipo\n"
                                "p1,Mesas de protección fronteriza,GT,2019,3,PRO.CASEMGMT\n");
    o.path = practices;
    o.kind = geo::RecordKind::practice;
    auto preport = geo::import_layer(registry, o);
    INFO(geo::report_table(preport));
    CHECK(preport.created == 1);
    CHECK(geo::import_layer(registry, o).unchanged == 1);
}

// GCC says so with __SANITIZE_ADDRESS__, clang (14 too) only through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool under_address_sanitizer = true;
#elif defined(__has_feature)
constexpr bool under_address_sanitizer = __has_feature(address_sanitizer);
#else
constexpr bool under_address_sanitizer = false;
#endif

TEST_CASE("A 50 MB GeoJSON is streamed with bounded memory", "[import][large]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("big.geojson");
    std::int64_t features = 0;
    {
        std::ofstream out(path, std::ios::binary);
        out << "{\"type\":\"FeatureCollection\",\"features\":[\n";
        const std::string padding(150, 'x');
        std::size_t bytes = 0;
        for (; bytes < 50u * 1024 * 1024; ++features) {
            char line[512];
            const int n = std::snprintf(
                line, sizeof line,
                "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"g%lld\",\"name\":\"Servicio %lld\","
                "\"type\":\"PRO.AUTHORITY\",\"country\":\"GT\",\"note\":\"%s\"},"
                "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}}\n",
                features ? "," : "", static_cast<long long>(features), static_cast<long long>(features),
                padding.c_str(), -91.5 + (features % 1000) * 0.002, 14.2 + (features / 1000 % 500) * 0.002);
            out.write(line, n);
            bytes += static_cast<std::size_t>(n);
        }
        out << "]}\n";
    }
    geo::ImportOptions o;
    o.path = path;
    o.dry_run = true;
    o.check_duplicates = false;
    std::int64_t last_seen = 0;
    o.progress = [&](std::int64_t rows, std::int64_t) { last_seen = rows; };
    auto report = geo::import_layer(registry, o);
    CHECK(report.rows == features);
    CHECK(report.created == features);
    CHECK(last_seen == features);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    // ru_maxrss is in KiB. Loading the whole document as a JSON tree would take several times the file.
    // Measured: 91 MiB; under AddressSanitizer 801 MiB, since it holds 256 MiB of freed blocks back
    // (its quarantine) and pads every allocation, so its build gets a bound scaled alike.
    constexpr long peak_limit_kib = (under_address_sanitizer ? 1100 : 400) * 1024;
    INFO("peak RSS " << usage.ru_maxrss / 1024 << " MiB for " << features << " features");
    CHECK(usage.ru_maxrss < peak_limit_kib);
}

TEST_CASE("enlace import: table, JSON report, dry run and exit codes", "[import][cli]") {
    test::ScratchDir dir;
    { auto registry = test::make_registry(dir); }
    const auto db = dir.registry();
    const auto good = dir.file("good.geojson");
    test::write_layer(good, "GeoJSON", fields, two_services());
    const std::string enlace = std::string(ENLACE_BINARY) + " --db '" + db + "' import ";
    CHECK(run(enlace + good + " --dry-run --quiet > " + dir.file("out.txt")) == 0);
    CHECK(run(enlace + good + " --report " + dir.file("r.json") + " > " + dir.file("out.txt")) == 0);
    std::ifstream in(dir.file("r.json"));
    auto json = nlohmann::json::parse(in);
    CHECK(json["created"] == 2);
    CHECK(json["committed"] == true);

    const auto bad = dir.file("bad.csv");
    test::write_text(bad, "id,nombre,tipo,pais,lat,lon\nq1,X,NOPE,GT,14.6,-90.5\n");
    CHECK(run(enlace + bad + " --report " + dir.file("bad.json") + " > " + dir.file("out.txt") + " 2>&1") == 1);
    std::ifstream bin(dir.file("bad.json"));
    auto bad_json = nlohmann::json::parse(bin);
    CHECK(bad_json["invalid"] == 1);
    CHECK(bad_json["issues"][0]["value"] == "NOPE");
    CHECK(run(enlace + dir.file("missing.csv") + " > " + dir.file("out.txt") + " 2>&1") == 1);
    CHECK(run(enlace + good + " --field nonsense > " + dir.file("out.txt") + " 2>&1") == 2);
}
