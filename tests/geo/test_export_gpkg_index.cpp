// The spatial index of a GPKG export, which enlace builds packed instead of GDAL: it must be what
// GDAL itself would have made (the same triggers and extension row), hold every sited service's
// box, answer GDAL's spatial filters, and stay exact when the file is edited later through GDAL.
#include "enlace/geo/exporter.hpp"

#include "support/temp_registry.hpp"

#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <string>
#include <utility>
#include <vector>

namespace core = enlace::core;
namespace geo = enlace::geo;
namespace sqlite = enlace::core::sqlite;
using enlace::test::ScratchDir;

namespace {

// A grid of services inside Guatemala, more than the few rows that go in by plain INSERTs, and
// some services without a site.
constexpr int grid_side = 20, unsited = 3;

/// A service with no site: one that serves a whole country.
core::Service unsited_service() {
    auto s = enlace::test::service_at(-90.5, 14.6);
    s.site.reset();
    s.area.countries = {"GT"};
    return s;
}

core::Registry registry_with_grid(const ScratchDir& dir) {
    auto registry = enlace::test::make_registry(dir);
    registry.batch([&] {
        for (int i = 0; i < grid_side * grid_side; ++i)
            registry.put(enlace::test::service_at(-91.3 + (i % grid_side) * 0.08, 14.7 + (i / grid_side) * 0.05));
        for (int i = 0; i < unsited; ++i) {
            registry.put(unsited_service());
        }
    });
    return registry;
}

std::string export_gpkg(const core::Registry& registry, const std::string& path) {
    geo::ExportOptions options;
    options.format = geo::ExportFormat::gpkg;
    geo::export_records(registry, path, options);
    return path;
}

/// A GeoPackage layer laid out as the export's, with the spatial index GDAL builds itself.
std::string gdal_reference(const ScratchDir& dir) {
    GDALAllRegister();
    const auto path = dir.file("gdal.gpkg");
    auto* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    REQUIRE(driver);
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    REQUIRE(ds);
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    const char* const options[] = {"FID=fid", "GEOMETRY_NAME=geom", nullptr};
    auto* layer = ds->CreateLayer("services", &wgs84, wkbPoint, const_cast<char**>(options));
    REQUIRE(layer);
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetGeometryDirectly(new OGRPoint(-90.5, 14.6));
    REQUIRE(layer->CreateFeature(f.get()) == OGRERR_NONE);
    return path;
}

using Rows = std::vector<std::pair<std::string, std::string>>;

Rows rows_of(const std::string& path, const std::string& sql) {
    sqlite::Database db(path, sqlite::open_mode::read_only);
    sqlite::Statement stmt(db, sql);
    Rows out;
    while (stmt.step())
        out.emplace_back(stmt.column_text(0), stmt.column_text(1));
    return out;
}

std::string scalar(const std::string& path, const std::string& sql) {
    sqlite::Database db(path, sqlite::open_mode::read_only);
    sqlite::Statement stmt(db, sql);
    REQUIRE(stmt.step());
    return stmt.column_text(0);
}

const std::string index_triggers =
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_%' ORDER BY name";
const std::string index_extension = "SELECT column_name, definition || ' ' || scope FROM gpkg_extensions "
                                    "WHERE table_name = 'services' AND extension_name = 'gpkg_rtree_index'";

GDALDatasetUniquePtr open_gpkg(const std::string& path, bool update) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : 0)));
    REQUIRE(ds);
    return ds;
}

bool has_spatial_index(GDALDataset& ds) {
    auto* result = ds.ExecuteSQL("SELECT HasSpatialIndex('services', 'geom')", nullptr, nullptr);
    REQUIRE(result);
    OGRFeatureUniquePtr f(result->GetNextFeature());
    const bool yes = f && f->GetFieldAsInteger(0) == 1;
    ds.ReleaseResultSet(result);
    return yes;
}

/// Every feature's point lies in its own R*Tree box, which is no wider than float32 rounding.
void check_boxes(const std::string& path) {
    auto ds = open_gpkg(path, false);
    auto* layer = ds->GetLayerByName("services");
    sqlite::Database db(path, sqlite::open_mode::read_only);
    sqlite::Statement box(db, "SELECT minx, maxx, miny, maxy FROM rtree_services_geom WHERE id = ?");
    layer->ResetReading();
    while (OGRFeatureUniquePtr f{layer->GetNextFeature()}) {
        const auto* geometry = f->GetGeometryRef();
        box.bind(1, static_cast<std::int64_t>(f->GetFID()));
        if (!geometry) {
            CHECK_FALSE(box.step());
        } else {
            const auto* p = geometry->toPoint();
            REQUIRE(box.step());
            CHECK(box.column_double(0) <= p->getX());
            CHECK(p->getX() <= box.column_double(1));
            CHECK(box.column_double(2) <= p->getY());
            CHECK(p->getY() <= box.column_double(3));
            CHECK(box.column_double(1) - box.column_double(0) < 1e-4);
        }
        box.reset();
    }
}

} // namespace

TEST_CASE("A GPKG export carries the spatial index GDAL would have built", "[export][gpkg]") {
    ScratchDir dir;
    const auto registry = registry_with_grid(dir);
    const auto path = export_gpkg(registry, dir.file("services.gpkg"));
    const auto reference = gdal_reference(dir);

    const auto triggers = rows_of(path, index_triggers);
    CHECK(triggers.size() == 6);
    CHECK(triggers == rows_of(reference, index_triggers));
    CHECK(rows_of(path, index_extension) == rows_of(reference, index_extension));
    CHECK(scalar(path, "SELECT rtreecheck('rtree_services_geom')") == "ok");
    CHECK(scalar(path, "SELECT count(*) FROM rtree_services_geom") == std::to_string(grid_side * grid_side));
    CHECK(scalar(path, "PRAGMA integrity_check") == "ok");
    check_boxes(path);

    auto ds = open_gpkg(path, false);
    CHECK(has_spatial_index(*ds));
    auto* layer = ds->GetLayerByName("services");
    REQUIRE(layer->GetFeatureCount() == grid_side * grid_side + unsited);
    // GDAL answers a box through the index: columns 5..9 (lon -90.9..-90.58) and rows 2..4.
    layer->SetSpatialFilterRect(-90.91, 14.79, -90.57, 14.91);
    CHECK(layer->GetFeatureCount() == 5 * 3);
}

TEST_CASE("Edits made later through GDAL keep the exported spatial index exact", "[export][gpkg]") {
    ScratchDir dir;
    const auto registry = registry_with_grid(dir);
    const auto path = export_gpkg(registry, dir.file("services.gpkg"));
    {
        auto ds = open_gpkg(path, true);
        auto* layer = ds->GetLayerByName("services");
        layer->ResetReading();
        OGRFeatureUniquePtr first(layer->GetNextFeature()), second(layer->GetNextFeature()),
            third(layer->GetNextFeature());
        REQUIRE((first && second && third));
        first->SetGeometryDirectly(new OGRPoint(-89.0, 16.0)); // moved
        REQUIRE(layer->SetFeature(first.get()) == OGRERR_NONE);
        second->SetGeometryDirectly(nullptr); // its site removed
        REQUIRE(layer->SetFeature(second.get()) == OGRERR_NONE);
        REQUIRE(layer->DeleteFeature(third->GetFID()) == OGRERR_NONE);
        OGRFeatureUniquePtr added(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        added->SetGeometryDirectly(new OGRPoint(-88.5, 15.5));
        REQUIRE(layer->CreateFeature(added.get()) == OGRERR_NONE);
    }
    CHECK(scalar(path, "SELECT rtreecheck('rtree_services_geom')") == "ok");
    CHECK(scalar(path, "SELECT count(*) FROM rtree_services_geom") == std::to_string(grid_side * grid_side - 1));
    check_boxes(path);
}

TEST_CASE("A GPKG export with no sited service still has an empty spatial index", "[export][gpkg]") {
    ScratchDir dir;
    auto registry = enlace::test::make_registry(dir);
    registry.put(unsited_service());
    const auto path = export_gpkg(registry, dir.file("services.gpkg"));
    CHECK(scalar(path, "SELECT count(*) FROM rtree_services_geom") == "0");
    CHECK(scalar(path, "SELECT rtreecheck('rtree_services_geom')") == "ok");
    auto ds = open_gpkg(path, false);
    CHECK(has_spatial_index(*ds));
    CHECK(ds->GetLayerByName("services")->GetFeatureCount() == 1);
}
