// Columns the import must not lose without a word: shapefile names cut to 10 characters by
// ogr2ogr, every column nothing reads named in the report, and an empty column (KML's own `Name`)
// never winning over one that has the value. Inputs are made by ogr2ogr from CSVs the test writes.
#include "enlace/geo/importer.hpp"

#include "geo/import_fixtures.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <string>

using namespace enlace;

namespace {

void ogr2ogr(const std::string& arguments) {
    const std::string command = "ogr2ogr " + arguments + " > /dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
}

core::Service stored(const core::Registry& registry, const std::string& source, const std::string& id) {
    auto key = registry.find_service_id({source, id});
    REQUIRE(key);
    return *registry.service_record(*key);
}

geo::ImportReport import_file(core::Registry& registry, const std::string& path) {
    geo::ImportOptions o;
    o.path = path;
    return geo::import_layer(registry, o);
}

/// The report's "unmapped" entry for a column, or null.
nlohmann::json unmapped_entry(const geo::ImportReport& report, const std::string& column) {
    const auto json = nlohmann::json::parse(geo::report_json(report));
    for (const auto& u : json.value("unmapped", nlohmann::json::array()))
        if (u.value("column", "") == column) return u;
    return nullptr;
}

} // namespace

TEST_CASE("A shapefile made by ogr2ogr from a Spanish CSV keeps its ages and verification dates",
          "[import][shapefile][columns]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto csv = dir.file("servicios.csv");
    test::write_text(csv, "id,nombre,tipo,pais,latitud,longitud,edad_minima,edad_maxima,fecha_verificacion,"
                          "correo_electronico,observaciones,notas_internas\n"
                          "s1,Casa del migrante,REC.SHORTSTAY,GT,14.6349,-90.5069,12,17,2026-03-01,"
                          "casa@example.org,Abre sábados,\n"
                          "s2,Asesoría legal Xela,LEG.AID,GT,14.8347,-91.5181,0,17,15/02/2026,,,\n");
    const auto shp = dir.file("servicios.shp");
    ogr2ogr("-f 'ESRI Shapefile' -lco ENCODING=UTF-8 -oo X_POSSIBLE_NAMES=longitud -oo "
            "Y_POSSIBLE_NAMES=latitud '" +
            shp + "' '" + csv + "'");

    const auto report = import_file(registry, shp);
    INFO(geo::report_table(report));
    REQUIRE(report.created == 2);
    CHECK(report.mapping.at("age_min") == "edad_minim");
    CHECK(report.mapping.at("age_max") == "edad_maxim");
    CHECK(report.mapping.at("last_verified") == "fecha_veri");
    CHECK(report.mapping.at("email") == "correo_ele");
    const auto s1 = stored(registry, "servicios", "s1");
    CHECK(s1.age.min == 12);
    CHECK(s1.age.max == 17);
    CHECK(s1.last_verified == "2026-03-01");
    CHECK(stored(registry, "servicios", "s2").last_verified == "2026-02-15");

    // What nothing reads is named, in the JSON report and in the table, with how many rows had a value.
    const auto observations = unmapped_entry(report, "observacio");
    REQUIRE_FALSE(observations.is_null());
    CHECK(observations.at("rows_with_value") == 1);
    const auto internal = unmapped_entry(report, "notas_inte");
    REQUIRE_FALSE(internal.is_null());
    CHECK(internal.at("rows_with_value") == 0);
    // The point came from the shape: ogr2ogr keeps latitud/longitud as attributes, and those are read.
    CHECK(unmapped_entry(report, "latitud").is_null());
    const auto table = geo::report_table(report);
    CHECK(table.find("'observacio'") != std::string::npos);
    CHECK(table.find("'notas_inte'") != std::string::npos);
    bool noted = false;
    for (const auto& note : report.notes)
        noted = noted || note.find("'observacio'") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("A 10-character name is read as the one known column it begins", "[import][mapping][columns]") {
    CHECK(geo::recognise_column("edad_minim", "", geo::RecordKind::service) == "age_min");
    CHECK(geo::recognise_column("FECHA_VERI", "", geo::RecordKind::service) == "last_verified");
    CHECK(geo::recognise_column("horario_de", "", geo::RecordKind::service) == "hours");
    CHECK(geo::recognise_column("area_servi", "", geo::RecordKind::service) == "area_countries");
    // Shorter names are not cut names: "edad_mi" is nothing.
    CHECK_FALSE(geo::recognise_column("edad_mi", "", geo::RecordKind::service));
}

TEST_CASE("A KML made by ogr2ogr takes its names from `nombre`, not from its empty Name", "[import][kml][columns]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto csv = dir.file("puntos.csv");
    test::write_text(csv, "id,nombre,descripcion,tipo,pais,lat,lon\n"
                          "k1,Defensoría de la niñez,Atención a niñez migrante,PRO.AUTHORITY,GT,14.6349,-90.5069\n"
                          "k2,Asesoría legal Xela,,LEG.AID,GT,14.8347,-91.5181\n");
    const auto kml = dir.file("puntos.kml");
    ogr2ogr("-f KML '" + kml + "' '" + csv + "' -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat");

    const auto report = import_file(registry, kml);
    INFO(geo::report_table(report));
    REQUIRE(report.created == 2);
    CHECK(report.mapping.at("name") == "nombre");
    CHECK(report.mapping.at("description") == "descripcion");
    const auto k1 = stored(registry, "puntos", "k1");
    CHECK(k1.name.at("es") == "Defensoría de la niñez");
    CHECK(k1.description.at("es") == "Atención a niñez migrante");
    CHECK(stored(registry, "puntos", "k2").name.at("es") == "Asesoría legal Xela");
    // KML's own empty fields are the reader's, not the data's: not reported as lost.
    CHECK(unmapped_entry(report, "timestamp").is_null());
    const auto json = nlohmann::json::parse(geo::report_json(report));
    CHECK(json.at("fallbacks").at("name") == nlohmann::json::array({"Name"}));
}

TEST_CASE("Of two columns for one field, each row reads the one that has a value", "[import][csv][columns]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("mezcla.csv");
    test::write_text(path, "id,name,nombre,tipo,pais,lat,lon\n"
                           "m1,,Oficina de niñez,PRO.AUTHORITY,GT,14.6349,-90.5069\n"
                           "m2,Legal desk,,LEG.AID,GT,14.8347,-91.5181\n");
    const auto report = import_file(registry, path);
    INFO(geo::report_table(report));
    REQUIRE(report.created == 2);
    CHECK(stored(registry, "mezcla", "m1").name.at("es") == "Oficina de niñez");
    CHECK(stored(registry, "mezcla", "m2").name.at("es") == "Legal desk");
}
