#include "enlace/geo/importer.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/geo/errors.hpp"
#include "geo/import_fixtures.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

using namespace enlace;
using enlace::test::FeatureSpec;

namespace {

// Guatemala City, Quetzaltenango, Escuintla, Cobán: inside Guatemala's box only.
const std::vector<std::string> fields = {"id", "nombre", "tipo", "pais"};
std::vector<FeatureSpec> three_services() {
    return {{"POINT (-90.5069 14.6349)", {"a1", "Procuraduría de la Niñez", "PRO.AUTHORITY", "GT"}},
            {"POINT (-91.5181 14.8347)", {"a2", "Asesoría legal Xela", "Asesoría y representación legal", "Guatemala"}},
            {"POINT (-90.7850 14.3050)", {"a3", "Casa de acogida", "Legal aid & representation", "GTM"}}};
}

geo::ImportOptions options_for(const std::string& path) {
    geo::ImportOptions o;
    o.path = path;
    return o;
}

core::Service stored(const core::Registry& registry, const std::string& source, const std::string& id) {
    auto key = registry.find_service_id({source, id});
    REQUIRE(key);
    auto s = registry.service_record(*key);
    REQUIRE(s);
    return *s;
}

std::int64_t count_all(const core::Registry& registry) {
    core::ServiceQuery q;
    q.audience = core::Audience::authorised;
    q.statuses = {core::ServiceStatus::active, core::ServiceStatus::temporarily_closed, core::ServiceStatus::inactive,
                  core::ServiceStatus::defunct};
    return registry.count(q);
}

bool has_issue(const geo::ImportReport& r, std::int64_t row, const std::string& field) {
    for (const auto& i : r.issues)
        if (i.row == row && i.field == field) return true;
    return false;
}

} // namespace

TEST_CASE("GeoJSON points become services and a re-import changes nothing", "[import]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("ong.geojson");
    test::write_layer(path, "GeoJSON", fields, three_services());

    auto first = geo::import_layer(registry, options_for(path));
    CHECK(first.committed);
    CHECK(first.rows == 3);
    CHECK(first.created == 3);
    CHECK(first.invalid == 0);
    CHECK(first.source == "ong");
    auto s = stored(registry, "ong", "a2");
    CHECK(s.name.at("es") == "Asesoría legal Xela");
    CHECK(s.types == std::vector<std::string>{"LEG.AID"});
    CHECK(s.country == "GT");
    CHECK(s.site->point.lon == Approx(-91.5181));
    CHECK(s.site->point.lat == Approx(14.8347));
    CHECK(stored(registry, "ong", "a3").types == std::vector<std::string>{"LEG.AID"});

    auto again = geo::import_layer(registry, options_for(path));
    CHECK(again.unchanged == 3);
    CHECK(again.created == 0);
    CHECK(count_all(registry) == 3);
}

TEST_CASE("A changed file updates in place, reports and prunes records gone from it", "[import]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("red.geojson");
    test::write_layer(path, "GeoJSON", fields, three_services());
    REQUIRE(geo::import_layer(registry, options_for(path)).created == 3);

    auto changed = three_services();
    changed[0].values[1] = "Procuraduría General de la Niñez";
    changed.pop_back(); // a3 is gone
    test::write_layer(path, "GeoJSON", fields, changed);

    auto report = geo::import_layer(registry, options_for(path));
    CHECK(report.updated == 1);
    CHECK(report.unchanged == 1);
    REQUIRE(report.missing.size() == 1);
    CHECK(report.missing[0].second == "a3");
    CHECK(report.pruned == 0);
    CHECK(stored(registry, "red", "a1").name.at("es") == "Procuraduría General de la Niñez");
    CHECK(stored(registry, "red", "a3").status == core::ServiceStatus::active);

    auto prune = options_for(path);
    prune.prune = true;
    auto pruned = geo::import_layer(registry, prune);
    CHECK(pruned.pruned == 1);
    CHECK(stored(registry, "red", "a3").status == core::ServiceStatus::inactive);
    CHECK(count_all(registry) == 3);
}

TEST_CASE("A record swapped for a new one in a file of the same length is reported missing", "[import]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("red.geojson");
    test::write_layer(path, "GeoJSON", fields, three_services());
    REQUIRE(geo::import_layer(registry, options_for(path)).created == 3);

    auto swapped = three_services();
    swapped[1].values[0] = "a4"; // a2 is gone and a4 is new: still three rows
    test::write_layer(path, "GeoJSON", fields, swapped);
    const auto report = geo::import_layer(registry, options_for(path));
    CHECK(report.created == 1);
    CHECK(report.unchanged == 2);
    REQUIRE(report.missing.size() == 1);
    CHECK(report.missing[0].second == "a2");

    // A row whose record is still in the file but is now invalid is not "missing".
    auto broken = swapped;
    broken[0].values[2] = "NOT.A.TYPE";
    test::write_layer(path, "GeoJSON", fields, broken);
    auto o = options_for(path);
    o.skip_invalid = true;
    const auto skipped = geo::import_layer(registry, o);
    CHECK(skipped.invalid == 1);
    CHECK(skipped.unchanged == 2);
    REQUIRE(skipped.missing.size() == 1);
    CHECK(skipped.missing[0].second == "a2");
}

TEST_CASE("An id repeated in a file is refused at its second row, and records gone are listed in id order",
          "[import]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("red.geojson");
    std::vector<FeatureSpec> five;
    for (const char* id : {"b5", "b4", "b3", "b2", "b1"}) // b5 gets the smallest registry id
        five.push_back({"POINT (-90.5069 14.6349)", {id, std::string("Servicio ") + id, "PRO.AUTHORITY", "GT"}});
    test::write_layer(path, "GeoJSON", fields, five);
    REQUIRE(geo::import_layer(registry, options_for(path)).created == 5);
    const auto b4 = registry.find_service_id({"red", "b4"}), b2 = registry.find_service_id({"red", "b2"});
    REQUIRE((b4 && b2 && *b4 < *b2));

    auto repeated = five;
    repeated.erase(repeated.begin() + 3); // b2 is gone
    repeated.erase(repeated.begin() + 1); // b4 is gone
    repeated.push_back(repeated[1]);      // b3 again, renamed
    repeated.back().values[1] = "Otro nombre";
    test::write_layer(path, "GeoJSON", fields, repeated);
    auto o = options_for(path);
    const auto refused = geo::import_layer(registry, o);
    CHECK_FALSE(refused.committed);
    CHECK(refused.invalid == 1);
    REQUIRE(refused.issues.size() == 1);
    CHECK(refused.issues[0].row == 4);
    CHECK(refused.issues[0].source_id == "b3");
    CHECK(refused.issues[0].reason == "appears more than once in this file");
    const std::vector<std::pair<std::int64_t, std::string>> gone{{*b4, "b4"}, {*b2, "b2"}};
    CHECK(refused.missing == gone);

    o.dry_run = true;
    o.prune = true;
    const auto dry = geo::import_layer(registry, o);
    CHECK(dry.missing == gone);
    CHECK(dry.pruned == 2);
    CHECK(stored(registry, "red", "b4").status == core::ServiceStatus::active);

    o.dry_run = false;
    o.skip_invalid = true;
    const auto pruned = geo::import_layer(registry, o);
    CHECK(pruned.committed);
    CHECK(pruned.missing == gone);
    CHECK(pruned.pruned == 2);
    CHECK(stored(registry, "red", "b4").status == core::ServiceStatus::inactive);
    CHECK(stored(registry, "red", "b2").status == core::ServiceStatus::inactive);
    CHECK(stored(registry, "red", "b3").name.at("es") == "Servicio b3"); // the first row of b3 counts
    CHECK(geo::import_layer(registry, o).pruned == 0);                   // inactive already
}

TEST_CASE("A dry run counts exactly and writes nothing", "[import]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("dry.geojson");
    test::write_layer(path, "GeoJSON", fields, three_services());
    auto o = options_for(path);
    o.dry_run = true;
    auto report = geo::import_layer(registry, o);
    CHECK(report.created == 3);
    CHECK_FALSE(report.committed);
    CHECK(count_all(registry) == 0);

    REQUIRE(geo::import_layer(registry, options_for(path)).created == 3);
    auto changed = three_services();
    changed[1].values[1] = "Otro nombre";
    test::write_layer(path, "GeoJSON", fields, changed);
    auto second = geo::import_layer(registry, o);
    CHECK(second.updated == 1);
    CHECK(second.unchanged == 2);
    CHECK(stored(registry, "dry", "a2").name.at("es") == "Asesoría legal Xela");
}

TEST_CASE("Invalid rows are reported with row, field, value and reason, and stop the import", "[import]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("malas.csv");
    test::write_text(path, "id,nombre,tipo,pais,lat,lon\n"
                           "b1,Bueno,PRO.AUTHORITY,GT,14.6349,-90.5069\n"
                           "b2,Tipo malo,NOPE,GT,14.6,-90.5\n"
                           "b3,País malo,PRO.AUTHORITY,Atlantis,14.6,-90.5\n"
                           "b4,Sin número,PRO.AUTHORITY,GT,abc,-90.5\n"
                           "b5,Fuera de rango,PRO.AUTHORITY,GT,95,-90.5\n"
                           "b6,Lejos,PRO.AUTHORITY,GT,40.4,-3.7\n"
                           "b7,NaN,PRO.AUTHORITY,GT,NaN,-90.5\n"
                           "b1,Repetido,PRO.AUTHORITY,GT,14.6,-90.5\n");
    auto report = geo::import_layer(registry, options_for(path));
    CHECK_FALSE(report.committed);
    CHECK(report.rows == 8);
    CHECK(report.created == 1);
    CHECK(report.invalid == 7);
    CHECK(count_all(registry) == 0);
    CHECK(has_issue(report, 2, "type"));
    CHECK(has_issue(report, 3, "country"));
    CHECK(has_issue(report, 4, "lat"));
    CHECK(has_issue(report, 5, "lat"));
    CHECK(has_issue(report, 6, "location"));
    CHECK(has_issue(report, 7, "lat"));
    CHECK(has_issue(report, 8, "id"));
    for (const auto& i : report.issues)
        if (i.row == 2) {
            CHECK(i.value == "NOPE");
            CHECK(i.column == "tipo");
            CHECK(i.source_id == "b2");
            CHECK_FALSE(i.reason.empty());
        }

    const auto table = geo::report_table(report);
    CHECK(table.find("NOPE") != std::string::npos);
    CHECK(table.find("nothing written") != std::string::npos);
    const auto json = nlohmann::json::parse(geo::report_json(report));
    CHECK(json["invalid"] == 7);
    CHECK(json["issues"].size() >= 7);
    CHECK(json["issues"][0].contains("row"));
    CHECK(json["issues"][0].contains("reason"));

    auto skip = options_for(path);
    skip.skip_invalid = true;
    auto partial = geo::import_layer(registry, skip);
    CHECK(partial.committed);
    CHECK(partial.created == 1);
    CHECK(count_all(registry) == 1);
}

TEST_CASE("CSV with semicolons, a BOM, Spanish headers and decimal commas", "[import][csv]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("servicios.csv");
    test::write_text(path, "\xEF\xBB\xBF"
                           "Código;Nombre;Tipo de servicio;País;Latitud;Longitud;Teléfono;Estado\n"
                           "c1;Oficina de niñez;Autoridad de protección de la niñez;El Salvador;13,6929;-89,2182;"
                           "+503 2222 0000;Jalisco\n");
    auto report = geo::import_layer(registry, options_for(path));
    INFO(geo::report_table(report));
    REQUIRE(report.created == 1);
    CHECK(report.mapping.at("id") == "Código");
    CHECK(report.mapping.at("lat") == "Latitud");
    auto s = stored(registry, "servicios", "c1");
    CHECK(s.country == "SV");
    CHECK(s.types == std::vector<std::string>{"PRO.AUTHORITY"});
    CHECK(s.site->point.lat == Approx(13.6929));
    CHECK(s.site->point.lon == Approx(-89.2182));
    CHECK(s.address.admin1_name == "Jalisco");
    REQUIRE(s.contacts.size() == 1);
    CHECK(s.contacts[0].value == "+503 2222 0000");
}

TEST_CASE("HXL hashtags in the second row map the columns", "[import][csv][hxl]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("3w.csv");
    test::write_text(path,
                     "Ref,Servicio (inglés),Actividad,ISO3,Y coord,X coord,Departamento\n"
                     "#meta+id,#service+name+i_en,#sector+code,#country+code+v_iso3,#geo+lat,#geo+lon,#adm1+name\n"
                     "h1,Legal desk,LEG.AID,GTM,14.6349,-90.5069,Guatemala\n"
                     "h2,Health post,Atención médica,GTM,14.8347,-91.5181,Quetzaltenango\n");
    auto report = geo::import_layer(registry, options_for(path));
    INFO(geo::report_table(report));
    REQUIRE(report.created == 2);
    CHECK(report.rows == 2);
    auto s = stored(registry, "3w", "h2");
    CHECK(s.name.at("en") == "Health post");
    CHECK(s.types == std::vector<std::string>{"HLT.MED"});
    CHECK(s.address.admin1_name == "Quetzaltenango");
}

TEST_CASE("HSDS column names and English headers are recognised", "[import][csv]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("hsds.csv");
    test::write_text(path, "id,name,description,taxonomy_term,country,latitude,longitude,address_1,city,"
                           "state_province,postal_code,minimum_age,maximum_age,assured_date,status\n"
                           "s1,Family tracing,Tracing for separated children,FAM.RFL,MX,19.4326,-99.1332,"
                           "Av. Juárez 1,Ciudad de México,CDMX,06000,0,17,2025-02-01,active\n");
    auto report = geo::import_layer(registry, options_for(path));
    INFO(geo::report_table(report));
    REQUIRE(report.created == 1);
    auto s = stored(registry, "hsds", "s1");
    CHECK(s.description.at("es") == "Tracing for separated children");
    CHECK(s.address.street == "Av. Juárez 1");
    CHECK(s.address.locality == "Ciudad de México");
    CHECK(s.age.max == 17);
    CHECK(s.last_verified == "2025-02-01");
}

TEST_CASE("Service area columns give services without a site their area", "[import][csv][area]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("lineas.csv");
    // The export's own names (area_countries, area_admin1) and record_visibility, as KML carries it.
    test::write_text(path, "id,name,types,country,area_countries,area_admin1,record_visibility,visibility\n"
                           "l1,Línea de ayuda,FAM.RFL,MX,\"mx, gtm,Honduras\",\"MX-CHP,MX-OAX\",restricted,1\n"
                           "l2,Línea nacional,FAM.RFL,MX,MX,,public,0\n");
    auto report = geo::import_layer(registry, options_for(path));
    INFO(geo::report_table(report));
    REQUIRE(report.created == 2);
    CHECK(report.mapping.at("area_countries") == "area_countries");
    CHECK(report.mapping.at("area_admin1") == "area_admin1");
    CHECK(report.mapping.at("visibility") == "record_visibility");
    auto s = stored(registry, "lineas", "l1");
    CHECK_FALSE(s.site.has_value());
    CHECK(s.area.countries == std::vector<std::string>{"GT", "HN", "MX"}); // the core keeps them sorted
    CHECK(s.area.admin1 == std::vector<std::string>{"MX-CHP", "MX-OAX"});
    CHECK(s.visibility == core::Visibility::restricted);
    CHECK(stored(registry, "lineas", "l2").area.countries == std::vector<std::string>{"MX"});

    // The Spanish alias, the shapefile short names; an unknown area country is an invalid row.
    CHECK(geo::recognise_column("Área servicio", "", geo::RecordKind::service) == "area_countries");
    CHECK(geo::recognise_column("area_ctry", "", geo::RecordKind::service) == "area_countries");
    CHECK(geo::recognise_column("area_adm1", "", geo::RecordKind::service) == "area_admin1");
    CHECK_FALSE(geo::recognise_column("visibility", "", geo::RecordKind::service));
    CHECK_FALSE(geo::recognise_column("area_countries", "", geo::RecordKind::actor));

    // HXL: the export's +service_area hashtags, whatever the headers say (the service's own
    // #country and #adm1 columns stay what they were).
    const auto hxl = dir.file("lineas_hxl.csv");
    test::write_text(hxl, "Ref,Servicio,Tipo,País,Cobertura,Cobertura estatal\n"
                          "#meta+id,#service+name,#service+code,#country+code+v_iso2,"
                          "#country+code+v_iso2+service_area,#adm1+code+service_area\n"
                          "x1,Línea de ayuda,FAM.RFL,MX,\"GT,HN,MX\",\"MX-CHP,MX-OAX\"\n");
    auto tagged = geo::import_layer(registry, options_for(hxl));
    INFO(geo::report_table(tagged));
    REQUIRE(tagged.created == 1);
    CHECK(tagged.mapping.at("area_countries") == "Cobertura");
    CHECK(tagged.mapping.at("area_admin1") == "Cobertura estatal");
    CHECK(tagged.mapping.at("country") == "País");
    const auto x1 = stored(registry, "lineas_hxl", "x1");
    CHECK_FALSE(x1.site.has_value());
    CHECK(x1.area.countries == std::vector<std::string>{"GT", "HN", "MX"});
    CHECK(x1.area.admin1 == std::vector<std::string>{"MX-CHP", "MX-OAX"});
    CHECK(geo::recognise_column("#country +service_area", "", geo::RecordKind::service) == "area_countries");
    CHECK(geo::recognise_column("x", "#adm1+service_area+code", geo::RecordKind::service) == "area_admin1");
    CHECK(geo::recognise_column("x", "#adm1+code", geo::RecordKind::service) == "admin1_code");
    const auto bad = dir.file("malas.csv");
    test::write_text(bad, "id,name,types,country,area_servicio\n"
                          "b1,Línea,FAM.RFL,MX,Atlantis\n"
                          "b2,Sin sede ni área,FAM.RFL,MX,\n");
    auto refused = geo::import_layer(registry, options_for(bad));
    INFO(geo::report_table(refused));
    CHECK(refused.invalid == 2);
    CHECK(has_issue(refused, 1, "area_countries"));
    CHECK(has_issue(refused, 2, "location"));
}

TEST_CASE("An explicit mapping overrides the built-in one, constants included", "[import][mapping]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("raro.csv");
    test::write_text(path, "codigo,nombre,etiqueta,otro_nombre,lat,lon\n"
                           "m1,Nombre ignorado,LEG.AID,Nombre bueno,14.6349,-90.5069\n");
    auto o = options_for(path);
    o.mapping = {{"name", "otro_nombre"}, {"type", "etiqueta"}, {"country", "=GT"}};
    auto report = geo::import_layer(registry, o);
    INFO(geo::report_table(report));
    REQUIRE(report.created == 1);
    auto s = stored(registry, "raro", "m1");
    CHECK(s.name.at("es") == "Nombre bueno");
    CHECK(s.country == "GT");

    o.mapping = {{"name", "no_such_column"}};
    CHECK_THROWS_AS(geo::import_layer(registry, o), geo::geo_error);
    o.mapping = {{"no_such_field", "nombre"}};
    CHECK_THROWS_AS(geo::import_layer(registry, o), geo::geo_error);
    CHECK(geo::parse_field_flag("name=NOMBRE") == std::pair<std::string, std::string>{"name", "NOMBRE"});
    CHECK_THROWS_AS(geo::parse_field_flag("name"), std::invalid_argument);
}

TEST_CASE("Likely duplicates from other sources are reported", "[import][duplicates]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    auto existing = test::service_at(-90.5069, 14.6349, "GT", "PRO.AUTHORITY", "Procuraduría de la Niñez");
    existing.source = "otra";
    existing.source_id = "x";
    const auto other_id = registry.put(existing).id;
    const auto path = dir.file("dup.geojson");
    // 20 m north, the same name without accents and in capitals; and one 500 m away.
    test::write_layer(path, "GeoJSON", fields,
                      {{"POINT (-90.5069 14.63508)", {"d1", "PROCURADURIA DE LA NINEZ", "PRO.AUTHORITY", "GT"}},
                       {"POINT (-90.5069 14.6394)", {"d2", "Procuraduría de la Niñez", "PRO.AUTHORITY", "GT"}}});
    auto report = geo::import_layer(registry, options_for(path));
    REQUIRE(report.duplicates.size() == 1);
    CHECK(report.duplicates[0].source_id == "d1");
    CHECK(report.duplicates[0].other_id == other_id);
    CHECK(report.duplicates[0].distance_m == Approx(20).margin(2));
    CHECK(geo::report_table(report).find("possible duplicate") != std::string::npos);
}

TEST_CASE("Names that differ only in dashes, quotes, spaces or accent encoding are likely duplicates",
          "[import][duplicates]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    auto put_other = [&](double lon, double lat, const std::string& name) {
        auto s = test::service_at(lon, lat, "GT", "PRO.AUTHORITY", name);
        s.source = "otra";
        s.source_id = name;
        return registry.put(s).id;
    };
    const auto huehue = put_other(-91.4714, 15.3197, "Defensoría de la niñez - Huehuetenango");
    const auto casa = put_other(-90.5069, 14.6349, "Casa \"Nuestros Hijos\"");
    const auto oficina = put_other(-91.5181, 14.8347, "Oficina de atención a la niñez");
    const auto path = dir.file("guiones.geojson");
    // 0.0003° of latitude is 33 m. En dash, em dash with no-break spaces, curly quotes, a minus
    // sign, and a name whose ñ is n + a combining tilde, each beside the record it repeats.
    test::write_layer(
        path, "GeoJSON", fields,
        {{"POINT (-91.4714 15.3200)", {"e1", "Defensoría de la niñez \u2013 Huehuetenango", "PRO.AUTHORITY", "GT"}},
         {"POINT (-91.4714 15.3194)",
          {"e2", "Defensoría de la niñez\u00a0\u2014\u00a0Huehuetenango", "PRO.AUTHORITY", "GT"}},
         {"POINT (-90.5069 14.6352)", {"e3", "Casa \u201cNuestros Hijos\u201d", "PRO.AUTHORITY", "GT"}},
         {"POINT (-91.5181 14.8350)", {"e4", "Oficina de atención a la nin\u0303ez", "PRO.AUTHORITY", "GT"}},
         {"POINT (-91.4717 15.3197)", {"e5", "Defensoría de la niñez \u2212 Huehuetenango", "PRO.AUTHORITY", "GT"}},
         {"POINT (-91.4711 15.3197)", {"e6", "Defensoría de la niñez – Quetzaltenango", "PRO.AUTHORITY", "GT"}}});
    const auto report = geo::import_layer(registry, options_for(path));
    INFO(geo::report_table(report));
    REQUIRE(report.created == 6);
    std::map<std::string, std::int64_t> found;
    for (const auto& d : report.duplicates)
        found[d.source_id] = d.other_id;
    CHECK(found == std::map<std::string, std::int64_t>{
                       {"e1", huehue}, {"e2", huehue}, {"e3", casa}, {"e4", oficina}, {"e5", huehue}});
    for (const auto& d : report.duplicates)
        if (d.source_id == "e1") CHECK(d.distance_m == Approx(33.4).margin(1));
}

TEST_CASE("Polygons are imported at a point on their surface, lines and null geometries refused",
          "[import][geometry]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("formas.geojson");
    test::write_layer(path, "GeoJSON", fields,
                      {{"POLYGON ((-90.52 14.62,-90.49 14.62,-90.49 14.65,-90.52 14.65,-90.52 14.62))",
                        {"p1", "Polígono", "PRO.AUTHORITY", "GT"}},
                       {"LINESTRING (-90.52 14.62,-90.49 14.65)", {"p2", "Línea", "PRO.AUTHORITY", "GT"}},
                       {"MULTIPOINT ((-90.52 14.62),(-90.49 14.65))", {"p3", "Multipunto", "PRO.AUTHORITY", "GT"}},
                       {"POINT (-90.5 14.6)", {"p4", "Punto", "PRO.AUTHORITY", "GT"}}});
    // A null geometry in the same layer (GDAL writes it as "geometry": null).
    {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        std::string s = text.str();
        const auto at = s.rfind("]\n}");
        REQUIRE(at != std::string::npos);
        s.insert(at, ",\n{ \"type\": \"Feature\", \"properties\": { \"id\": \"p5\", \"nombre\": \"Nulo\", "
                     "\"tipo\": \"PRO.AUTHORITY\", \"pais\": \"GT\" }, \"geometry\": null }\n");
        test::write_text(path, s);
    }
    auto o = options_for(path);
    o.skip_invalid = true;
    auto report = geo::import_layer(registry, o);
    INFO(geo::report_table(report));
    CHECK(report.rows == 5);
    CHECK(report.created == 2);
    CHECK(report.invalid == 3);
    CHECK(has_issue(report, 2, "geometry"));
    CHECK(has_issue(report, 3, "geometry"));
    CHECK(has_issue(report, 5, "location"));
    bool warned = false;
    for (const auto& i : report.issues)
        warned = warned || (i.row == 1 && i.warning);
    CHECK(warned);
    auto p = stored(registry, "formas", "p1");
    CHECK(p.site->point.lon > -90.52);
    CHECK(p.site->point.lon < -90.49);
    CHECK(p.site->point.lat > 14.62);
    CHECK(p.site->point.lat < 14.65);
}

TEST_CASE("Bad sources give a clear error and leave the registry unchanged", "[import][errors]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    auto expect_error = [&](const std::string& path, const std::string& words, const std::string& encoding = {}) {
        auto o = options_for(path);
        o.encoding = encoding;
        try {
            geo::import_layer(registry, o);
            FAIL("no error for " << path);
        } catch (const geo::geo_error& e) {
            INFO(e.what());
            CHECK(std::string(e.what()).find(words) != std::string::npos);
        }
        CHECK(count_all(registry) == 0);
    };
    expect_error(dir.file("missing.geojson"), "no such file");

    test::write_text(dir.file("broken.geojson"), "{\"type\": \"FeatureCollection\", \"features\": [ {\"type\": ");
    expect_error(dir.file("broken.geojson"), "cannot");

    test::write_layer(dir.file("empty.geojson"), "GeoJSON", fields, {});
    expect_error(dir.file("empty.geojson"), "no features");

    test::write_text(dir.file("only_header.csv"), "id,nombre,lat,lon\n");
    expect_error(dir.file("only_header.csv"), "no features");

    test::write_layer(dir.file("sin_dbf.shp"), "ESRI Shapefile", fields, three_services());
    std::remove(dir.file("sin_dbf.dbf").c_str());
    expect_error(dir.file("sin_dbf.shp"), ".dbf");

    test::write_layer(dir.file("sin_shx.shp"), "ESRI Shapefile", fields, three_services());
    std::remove(dir.file("sin_shx.shx").c_str());
    expect_error(dir.file("sin_shx.shp"), ".shx");

    test::write_layer(dir.file("corto.shp"), "ESRI Shapefile", fields, three_services());
    {
        std::ifstream in(dir.file("corto.shp"), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        test::write_text(dir.file("corto.shp"), bytes.substr(0, bytes.size() - 30));
    }
    expect_error(dir.file("corto.shp"), "corto.shp");

    test::write_layer(dir.file("ok.geojson"), "GeoJSON", fields, three_services());
    expect_error(dir.file("ok.geojson"), "unknown encoding", "KLINGON-8");
    auto o = options_for(dir.file("ok.geojson"));
    o.layer = "nope";
    CHECK_THROWS_AS(geo::import_layer(registry, o), geo::geo_error);
}
