// Exports of the demo registry to every format, read back with OGR (and ogrinfo): counts equal the
// core's, attributes and coordinates survive within each format's precision, sensitive sites stay
// coarsened unless restricted data is asked for, filters apply, HXL and HSDS have their structure.
#include "enlace/geo/exporter.hpp"

#include "support/temp_registry.hpp"

#include "enlace/core/registry.hpp"
#include "enlace/data/embedded.hpp"
#include "enlace/geo/errors.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace core = enlace::core;
namespace geo = enlace::geo;
using enlace::test::make_registry;
using enlace::test::ScratchDir;

namespace {

struct Demo {
    ScratchDir dir;
    core::Registry registry = make_registry(dir);
    Demo() { registry.load_dataset(std::string(*enlace::data::embedded("demo.json"))); }

    std::int64_t id_of(const std::string& source_id) const {
        return *registry.find_service_id(core::RecordKey{"demo", source_id});
    }
};

// The demo's shelter in Tapachula (REC.SHORTSTAY, sensitive), exact site -92.26, 14.91.
const char* const shelter = "mx-dif-chiapas-tapachula";
constexpr double shelter_lon = -92.26, shelter_lat = 14.91;

std::string extension(geo::ExportFormat f) {
    switch (f) {
    case geo::ExportFormat::geojson:
        return ".geojson";
    case geo::ExportFormat::geojsonseq:
        return ".geojsonl";
    case geo::ExportFormat::shapefile:
        return ".shp";
    case geo::ExportFormat::gpkg:
        return ".gpkg";
    case geo::ExportFormat::csv:
        return ".csv";
    case geo::ExportFormat::xlsx:
        return ".xlsx";
    case geo::ExportFormat::kml:
        return ".kml";
    case geo::ExportFormat::flatgeobuf:
        return ".fgb";
    case geo::ExportFormat::hxl:
        return ".hxl.csv";
    case geo::ExportFormat::json:
        return ".json";
    case geo::ExportFormat::hsds:
        return "";
    }
    return "";
}

bool has_geometry(geo::ExportFormat f) { return f != geo::ExportFormat::csv && f != geo::ExportFormat::xlsx; }

// Coordinates survive within: GeoJSON (RFC 7946) 7 decimals, KML 15 digits, binary formats exactly.
constexpr double coordinate_tolerance = 1e-6;

std::string export_services(const Demo& demo, geo::ExportFormat format, const std::string& name,
                            core::Audience audience = core::Audience::public_, core::ServiceQuery query = {}) {
    geo::ExportOptions options;
    options.format = format;
    options.services = query;
    options.services.audience = audience;
    options.practices.audience = audience;
    const auto path = demo.dir.file(name + extension(format));
    const auto summary = geo::export_records(demo.registry, path, options);
    REQUIRE_FALSE(summary.files.empty());
    return path;
}

bool ogrinfo_reads(const std::string& path) {
    const std::string command = "ogrinfo -ro -al -so '" + path + "' > /dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

GDALDatasetUniquePtr open(const std::string& path) {
    GDALAllRegister();
    const char* const csv_options[] = {"AUTODETECT_TYPE=YES", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                              path.ends_with(".csv") ? csv_options : nullptr, nullptr));
    REQUIRE(ds);
    REQUIRE(ds->GetLayerCount() == 1);
    return ds;
}

/// The feature whose "id" attribute is `id`, or null.
OGRFeatureUniquePtr feature_with_id(OGRLayer* layer, std::int64_t id) {
    const int field = layer->GetLayerDefn()->GetFieldIndex("id");
    REQUIRE(field >= 0);
    layer->ResetReading();
    while (OGRFeatureUniquePtr f{layer->GetNextFeature()})
        if (f->GetFieldAsInteger64(field) == id) return f;
    return nullptr;
}

std::pair<double, double> lon_lat(OGRFeature& f, bool geometry) {
    if (geometry) {
        auto* point = f.GetGeometryRef()->toPoint();
        return {point->getX(), point->getY()};
    }
    return {f.GetFieldAsDouble("lon"), f.GetFieldAsDouble("lat")};
}

std::vector<std::vector<std::string>> read_csv_rows(const std::string& path) {
    // Small and simple: the demo's fields have no embedded newlines except quoted ones, handled here.
    std::ifstream in(path);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    char c;
    while (in.get(c)) {
        if (quoted) {
            if (c == '"') {
                if (in.peek() == '"') {
                    field += '"';
                    in.get(c);
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\n') {
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
        } else {
            field += c;
        }
    }
    return rows;
}

int column(const std::vector<std::string>& header, const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    REQUIRE(it != header.end());
    return static_cast<int>(it - header.begin());
}

const std::vector<geo::ExportFormat> ogr_formats{geo::ExportFormat::geojson,   geo::ExportFormat::geojsonseq,
                                                 geo::ExportFormat::shapefile, geo::ExportFormat::gpkg,
                                                 geo::ExportFormat::csv,       geo::ExportFormat::xlsx,
                                                 geo::ExportFormat::kml,       geo::ExportFormat::flatgeobuf};

} // namespace

TEST_CASE("every OGR format holds the core's services with their attributes and points", "[export]") {
    Demo demo;
    const auto format = GENERATE(from_range(ogr_formats));
    CAPTURE(geo::to_string(format));
    geo::ExportOptions options;
    options.format = format;
    const auto path = demo.dir.file("services" + extension(format));
    const auto summary = geo::export_records(demo.registry, path, options);
    CHECK(ogrinfo_reads(path));

    auto ds = open(path);
    auto* layer = ds->GetLayer(0);
    core::ServiceQuery all;
    // FlatGeobuf (GDAL 3.6) holds no features without geometry: those services (the demo's four
    // without a site) are counted as skipped.
    CHECK(summary.skipped == (format == geo::ExportFormat::flatgeobuf ? 4 : 0));
    CHECK(layer->GetFeatureCount() == summary.records);
    CHECK(summary.records + summary.skipped == demo.registry.count(all));

    const auto id = demo.id_of("bz-dhs-belize-city");
    const auto expected = *demo.registry.public_service(id);
    auto f = feature_with_id(layer, id);
    REQUIRE(f);
    CHECK(std::string(f->GetFieldAsString("name_es")) == expected.name.at("es"));
    CHECK(std::string(f->GetFieldAsString("name_en")) == expected.name.at("en"));
    CHECK(std::string(f->GetFieldAsString("country")) == "BZ");
    std::string types;
    for (const auto& t : expected.types)
        types += (types.empty() ? "" : ",") + t;
    CHECK(std::string(f->GetFieldAsString("types")) == types);
    CHECK(f->GetFieldAsInteger("age_max") == 17);
    const auto [lon, lat] = lon_lat(*f, has_geometry(format));
    CHECK(std::abs(lon - expected.site->point.lon) < coordinate_tolerance);
    CHECK(std::abs(lat - expected.site->point.lat) < coordinate_tolerance);
}

TEST_CASE("a sensitive site is coarsened in public exports and exact only with restricted data", "[export][privacy]") {
    Demo demo;
    const auto format = GENERATE(from_range(ogr_formats));
    CAPTURE(geo::to_string(format));
    const auto id = demo.id_of(shelter);
    const auto public_point = demo.registry.public_service(id)->site->point;
    REQUIRE(std::abs(public_point.lon - shelter_lon) + std::abs(public_point.lat - shelter_lat) > 0.01);

    for (const auto audience : {core::Audience::public_, core::Audience::authorised}) {
        const bool exact = audience == core::Audience::authorised;
        const auto path = export_services(demo, format, exact ? "restricted" : "public", audience);
        auto ds = open(path);
        auto f = feature_with_id(ds->GetLayer(0), id);
        REQUIRE(f);
        const auto [lon, lat] = lon_lat(*f, has_geometry(format));
        const double want_lon = exact ? shelter_lon : public_point.lon,
                     want_lat = exact ? shelter_lat : public_point.lat;
        CHECK(std::abs(lon - want_lon) < coordinate_tolerance);
        CHECK(std::abs(lat - want_lat) < coordinate_tolerance);
        CHECK(std::string(
                  f->GetFieldAsString(format == geo::ExportFormat::shapefile ? "loc_prec" : "location_precision")) ==
              (exact ? "locality" : "approximate"));
    }
}

TEST_CASE("restricted services and personal contacts appear only with restricted data", "[export][privacy]") {
    Demo demo;
    auto hidden = enlace::test::service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Servicio reservado");
    hidden.source = "test";
    hidden.source_id = "hidden";
    hidden.visibility = core::Visibility::restricted;
    const auto hidden_id = demo.registry.put(hidden).id;
    auto open_one = enlace::test::service_at(-90.52, 14.64, "GT", "PRO.AUTHORITY", "Servicio abierto");
    open_one.source = "test";
    open_one.source_id = "open";
    open_one.contacts = {core::Contact{core::ContactKind::email, "desk@example.org", {}, false},
                         core::Contact{core::ContactKind::email, "persona@example.org", {}, true}};
    const auto open_id = demo.registry.put(open_one).id;

    for (const auto audience : {core::Audience::public_, core::Audience::authorised}) {
        const bool exact = audience == core::Audience::authorised;
        const auto path = export_services(demo, geo::ExportFormat::gpkg, exact ? "restricted" : "public", audience);
        auto ds = open(path);
        auto* layer = ds->GetLayer(0);
        CHECK((feature_with_id(layer, hidden_id) != nullptr) == exact);
        auto f = feature_with_id(layer, open_id);
        REQUIRE(f);
        CHECK(std::string(f->GetFieldAsString("email")) ==
              (exact ? "desk@example.org; persona@example.org" : "desk@example.org"));
    }
}

TEST_CASE("export applies the list filters (country and type)", "[export]") {
    Demo demo;
    core::ServiceQuery query;
    query.countries = {"MX"};
    query.types = {"REC"};
    const auto path = export_services(demo, geo::ExportFormat::geojson, "filtered", core::Audience::public_, query);
    auto ds = open(path);
    auto* layer = ds->GetLayer(0);
    const auto expected = demo.registry.count(query);
    REQUIRE(expected > 0);
    CHECK(layer->GetFeatureCount() == expected);
    for (auto& f : *layer) {
        CHECK(std::string(f->GetFieldAsString("country")) == "MX");
        CHECK(std::string(f->GetFieldAsString("types")).find("REC.") != std::string::npos);
    }
}

TEST_CASE("shapefile export writes prj and cpg and uses the documented short field names", "[export][shapefile]") {
    Demo demo;
    const auto path = export_services(demo, geo::ExportFormat::shapefile, "services");
    for (const char* ext : {".shx", ".dbf", ".prj", ".cpg"})
        CHECK(std::filesystem::exists(std::filesystem::path(path).replace_extension(ext)));
    std::ifstream cpg(std::filesystem::path(path).replace_extension(".cpg"));
    std::string encoding;
    std::getline(cpg, encoding);
    CHECK(encoding.find("UTF-8") != std::string::npos);

    auto ds = open(path);
    auto* defn = ds->GetLayer(0)->GetLayerDefn();
    const auto names = geo::shapefile_field_names({"es", "en", "fr"});
    REQUIRE(static_cast<int>(names.size()) == defn->GetFieldCount());
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        CHECK(std::string(defn->GetFieldDefn(i)->GetNameRef()) == names[i].second);
        CHECK(names[i].second.size() <= 10);
    }
    CHECK(defn->GetFieldIndex("desc_es") >= 0);
    auto* srs = ds->GetLayer(0)->GetSpatialRef();
    REQUIRE(srs);
    CHECK(srs->IsGeographic());
}

TEST_CASE("HXL export has the hashtags in row 2 and one row per service", "[export][hxl]") {
    Demo demo;
    const auto path = export_services(demo, geo::ExportFormat::hxl, "services");
    CHECK(ogrinfo_reads(path));
    const auto rows = read_csv_rows(path);
    REQUIRE(rows.size() >= 2);
    CHECK(static_cast<std::int64_t>(rows.size()) == demo.registry.count(core::ServiceQuery{}) + 2);
    const auto& tags = rows[1];
    for (const char* tag :
         {"#org+id", "#org+name+i_es", "#service+name+i_es", "#service+code", "#sector+code", "#description+i_en",
          "#status", "#geo+lat", "#geo+lon", "#country+code+v_iso2", "#adm1+name", "#contact+email", "#contact+phone",
          "#date+reported", "#meta+id", "#meta+source", "#country+code+v_iso2+service_area", "#adm1+code+service_area"})
        CHECK(std::find(tags.begin(), tags.end(), tag) != tags.end());
    for (const auto& tag : tags)
        CHECK(tag.rfind("#", 0) == 0);

    const auto id = std::to_string(demo.id_of(shelter));
    const int id_col = column(rows[0], "id"), lat_col = column(rows[0], "lat"),
              org_col = column(rows[0], "org_name_es");
    bool found = false;
    for (std::size_t r = 2; r < rows.size(); ++r) {
        if (rows[r][id_col] != id) continue;
        found = true;
        CHECK(std::abs(std::stod(rows[r][lat_col]) - shelter_lat) > 0.01);
        CHECK_FALSE(rows[r][org_col].empty());
    }
    CHECK(found);

    // The demo's four services without a site (two country-wide services, two national hotlines):
    // their area is in the +service_area columns.
    const int area_col = column(rows[0], "area_countries");
    int without_site = 0;
    for (std::size_t r = 2; r < rows.size(); ++r) {
        if (!rows[r][lat_col].empty()) continue;
        ++without_site;
        CHECK_FALSE(rows[r][area_col].empty());
    }
    CHECK(without_site == 4);
}

TEST_CASE("HSDS export is a tabular data package with the HSDS tables", "[export][hsds]") {
    Demo demo;
    const auto folder = export_services(demo, geo::ExportFormat::hsds, "hsds");
    std::ifstream in(folder + "/datapackage.json");
    const auto package = nlohmann::json::parse(in);
    CHECK(package["profile"] == "tabular-data-package");
    std::vector<std::string> names;
    for (const auto& r : package["resources"]) {
        names.push_back(r["name"]);
        const auto file = folder + "/" + r["path"].get<std::string>();
        REQUIRE(std::filesystem::exists(file));
        const auto rows = read_csv_rows(file);
        REQUIRE_FALSE(rows.empty());
        CHECK(rows[0].size() == r["schema"]["fields"].size()); // header matches the schema
        CHECK(ogrinfo_reads(file));
    }
    // HSDS 3.0 names its tables in the singular (the files in the plural: services.csv).
    for (const char* table : {"organization", "service", "location", "service_at_location", "address", "phone",
                              "schedule", "language", "service_area", "taxonomy", "taxonomy_term", "attribute"})
        CHECK(std::find(names.begin(), names.end(), table) != names.end());

    const auto services = read_csv_rows(folder + "/services.csv");
    CHECK(static_cast<std::int64_t>(services.size()) == demo.registry.count(core::ServiceQuery{}) + 1);
    for (const char* field :
         {"id", "organization_id", "name", "description", "status", "name_es", "name_en", "description_fr"})
        column(services[0], field);

    // The shelter's location, through its service (x_id is the registry's id) and service_at_location.
    const auto id = std::to_string(demo.id_of(shelter));
    std::string service_id, location_id;
    for (const auto& row : services)
        if (row[column(services[0], "x_id")] == id) service_id = row[column(services[0], "id")];
    const auto links = read_csv_rows(folder + "/service_at_location.csv");
    for (const auto& row : links)
        if (row[column(links[0], "service_id")] == service_id) location_id = row[column(links[0], "location_id")];
    REQUIRE_FALSE(location_id.empty());
    const auto locations = read_csv_rows(folder + "/locations.csv");
    const int lat = column(locations[0], "latitude");
    bool found = false;
    for (const auto& row : locations)
        if (row[0] == location_id) {
            found = true;
            CHECK(std::abs(std::stod(row[lat]) - shelter_lat) > 0.01);
        }
    CHECK(found);
    const auto organizations = read_csv_rows(folder + "/organizations.csv");
    CHECK(organizations.size() > 1);
}

TEST_CASE("actors and practices export as CSV, XLSX and JSON tables", "[export]") {
    Demo demo;
    const auto format = GENERATE(geo::ExportFormat::csv, geo::ExportFormat::xlsx, geo::ExportFormat::json);
    const auto kind = GENERATE(geo::RecordKind::actor, geo::RecordKind::practice);
    geo::ExportOptions options;
    options.format = format;
    options.kind = kind;
    const auto path =
        demo.dir.file(std::string(kind == geo::RecordKind::actor ? "actors" : "practices") + extension(format));
    const auto summary = geo::export_records(demo.registry, path, options);
    CHECK(summary.records > 0);
    std::int64_t expected = 0;
    if (kind == geo::RecordKind::actor) {
        core::ActorQuery q;
        q.limit = core::ServiceQuery::max_limit;
        expected = static_cast<std::int64_t>(demo.registry.find(q).items.size());
    } else {
        core::PracticeQuery q;
        q.limit = core::ServiceQuery::max_limit;
        expected = static_cast<std::int64_t>(demo.registry.find(q).items.size());
    }
    CHECK(summary.records == expected);
    if (format == geo::ExportFormat::json) {
        std::ifstream in(path);
        const auto doc = nlohmann::json::parse(in);
        CHECK(static_cast<std::int64_t>(doc[kind == geo::RecordKind::actor ? "actors" : "practices"].size()) ==
              expected);
    } else {
        CHECK(ogrinfo_reads(path));
        auto ds = open(path);
        CHECK(ds->GetLayer(0)->GetFeatureCount() == expected);
        CHECK(ds->GetLayer(0)->GetLayerDefn()->GetFieldIndex(kind == geo::RecordKind::actor ? "name_es" : "title_es") >=
              0);
    }
}

TEST_CASE("export refuses map formats for tables and an existing file without overwrite", "[export]") {
    Demo demo;
    geo::ExportOptions options;
    options.kind = geo::RecordKind::actor;
    options.format = geo::ExportFormat::gpkg;
    CHECK_THROWS_AS(geo::export_records(demo.registry, demo.dir.file("a.gpkg"), options), geo::geo_error);

    options.kind = geo::RecordKind::service;
    options.format = geo::ExportFormat::geojson;
    const auto path = demo.dir.file("twice.geojson");
    geo::export_records(demo.registry, path, options);
    CHECK_THROWS_AS(geo::export_records(demo.registry, path, options), geo::geo_error);
    options.overwrite = true;
    CHECK(geo::export_records(demo.registry, path, options).records > 0);
}

TEST_CASE("export formats are named and guessed from the file extension", "[export]") {
    CHECK(geo::export_format_for_path("out/services.geojson") == geo::ExportFormat::geojson);
    CHECK(geo::export_format_for_path("a.geojsonl") == geo::ExportFormat::geojsonseq);
    CHECK(geo::export_format_for_path("a.SHP") == geo::ExportFormat::shapefile);
    CHECK(geo::export_format_for_path("a.gpkg") == geo::ExportFormat::gpkg);
    CHECK(geo::export_format_for_path("a.hxl.csv") == geo::ExportFormat::hxl);
    CHECK(geo::export_format_for_path("a.csv") == geo::ExportFormat::csv);
    CHECK(geo::export_format_for_path("a.fgb") == geo::ExportFormat::flatgeobuf);
    CHECK(geo::export_format_for_path("hsds-package") == geo::ExportFormat::hsds);
    CHECK_FALSE(geo::export_format_for_path("a.docx"));
    for (const char* name :
         {"geojson", "geojsonseq", "shp", "gpkg", "csv", "xlsx", "kml", "fgb", "hxl", "hsds", "json"})
        CHECK(geo::to_string(*geo::parse_export_format(name)) == name);
}
