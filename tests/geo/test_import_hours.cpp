// Opening hours typed in a spreadsheet (docs/import.md, "Opening hours"): read from a column the
// focal point names with `enlace import --field hours=COLUMN`, and a value that is not hours is a
// row error naming the column and the value.
#include "enlace/geo/importer.hpp"

#include "geo/import_fixtures.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

using namespace enlace;

namespace {

int run(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

core::Service stored(const core::Registry& registry, const std::string& source, const std::string& id) {
    auto key = registry.find_service_id({source, id});
    REQUIRE(key);
    return *registry.service_record(*key);
}

constexpr std::uint8_t weekdays = 0x1f, saturday = 0x20, every_day = 0x7f;

} // namespace

TEST_CASE("enlace import --field hours=COLUMN reads hours as a focal point types them", "[import][cli][hours]") {
    test::ScratchDir dir;
    { auto registry = test::make_registry(dir); }
    const auto db = dir.registry();
    const auto csv = dir.file("horarios.csv");
    // Spanish day names, an en dash a spreadsheet put in, a shift past midnight, a closure with a
    // note, 24/7 with its zone, the JSON of an older export, and two values that are not hours.
    test::write_text(csv,
                     "id,nombre,tipo,pais,lat,lon,Atiende,zona\n"
                     "h1,Asesoría legal,LEG.AID,GT,14.6349,-90.5069,\"lu-vi 8:00-12:30, 14:00-17:00; sá 9:00-12:00\",\n"
                     "h2,Albergue nocturno,REC.SHORTSTAY,GT,14.8347,-91.5181,\"Mo-Su 20:00\xE2\x80\x93"
                     "07:00; "
                     "2026-12-24/2026-12-26 off Cierre de fin de año\",\n"
                     "h3,Línea,VIO.HOTLINE,MX,19.4326,-99.1332,24/7,America/Tijuana\n"
                     "h4,Oficina,PRO.AUTHORITY,GT,14.6350,-90.5070,\"{\"\"weekly\"\": [{\"\"days\"\": [\"\"sa\"\"], "
                     "\"\"opens\"\": \"\"09:00\"\", \"\"closes\"\": \"\"12:00\"\"}]}\",\n"
                     "h5,Mal escrito,PRO.AUTHORITY,GT,14.6351,-90.5071,lunes de 8 a 5,\n"
                     "h6,Día raro,PRO.AUTHORITY,GT,14.6352,-90.5072,Mo-Fx 08:00-12:00,\n");
    const std::string enlace = std::string(ENLACE_BINARY) + " --db '" + db + "' import " + csv +
                               " --field hours=Atiende --field timezone=zona --quiet";
    CHECK(run(enlace + " --report " + dir.file("r.json") + " > " + dir.file("out.txt") + " 2>&1") == 1);
    std::ifstream in(dir.file("r.json"));
    const auto report = nlohmann::json::parse(in);
    CHECK(report["committed"] == false);
    CHECK(report["invalid"] == 2);
    CHECK(report["mapping"]["hours"] == "Atiende");
    std::map<std::string, nlohmann::json> issues;
    for (const auto& issue : report["issues"])
        issues[issue["source_id"]] = issue;
    REQUIRE(issues.size() == 2);
    for (const char* id : {"h5", "h6"}) {
        CAPTURE(id);
        CHECK(issues[id]["field"] == "hours");
        CHECK(issues[id]["column"] == "Atiende");
        CHECK(issues[id]["severity"] == "error");
    }
    CHECK(issues["h5"]["value"] == "lunes de 8 a 5");
    CHECK(issues["h6"]["reason"].get<std::string>().find("'Fx'") != std::string::npos);

    CHECK(run(enlace + " --skip-invalid > " + dir.file("out.txt") + " 2>&1") == 0);
    auto registry = core::Registry::open(db, core::Registry::mode::read_write);
    const auto h1 = stored(registry, "horarios", "h1");
    REQUIRE(h1.hours);
    CHECK(h1.hours->timezone == "America/Guatemala"); // the country's, when no zone is given
    REQUIRE(h1.hours->weekly.size() == 3);
    CHECK(h1.hours->weekly[0].days == weekdays);
    CHECK(h1.hours->weekly[0].opens == 8 * 60);
    CHECK(h1.hours->weekly[0].closes == 12 * 60 + 30);
    CHECK(h1.hours->weekly[1].days == weekdays);
    CHECK(h1.hours->weekly[1].opens == 14 * 60);
    CHECK(h1.hours->weekly[2].days == saturday);
    CHECK(h1.hours->weekly[2].closes == 12 * 60);
    const auto h2 = stored(registry, "horarios", "h2");
    REQUIRE(h2.hours);
    REQUIRE(h2.hours->weekly.size() == 1);
    CHECK(h2.hours->weekly[0].days == every_day);
    CHECK(h2.hours->weekly[0].opens == 20 * 60);
    CHECK(h2.hours->weekly[0].closes == 7 * 60);
    REQUIRE(h2.hours->closures.size() == 1);
    CHECK(h2.hours->closures[0].from == "2026-12-24");
    CHECK(h2.hours->closures[0].to == "2026-12-26");
    CHECK(h2.hours->closures[0].note == core::LocalizedText{{"es", "Cierre de fin de año"}});
    const auto h3 = stored(registry, "horarios", "h3");
    REQUIRE(h3.hours);
    CHECK(h3.hours->always_open);
    CHECK(h3.hours->timezone == "America/Tijuana");
    const auto h4 = stored(registry, "horarios", "h4");
    REQUIRE(h4.hours);
    REQUIRE(h4.hours->weekly.size() == 1);
    CHECK(h4.hours->weekly[0].days == saturday);
}

TEST_CASE("A column named horario is read as opening hours without a mapping", "[import][csv][hours]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto path = dir.file("oficinas.csv");
    test::write_text(path, "id,nombre,tipo,pais,lat,lon,Horario de atención\n"
                           "o1,Oficina,PRO.AUTHORITY,SV,13.6929,-89.2182,Lu-Vi 07:30-15:30\n");
    geo::ImportOptions o;
    o.path = path;
    const auto report = geo::import_layer(registry, o);
    INFO(geo::report_table(report));
    REQUIRE(report.created == 1);
    CHECK(report.mapping.at("hours") == "Horario de atención");
    const auto s = stored(registry, "oficinas", "o1");
    REQUIRE(s.hours);
    CHECK(s.hours->timezone == "America/El_Salvador");
    REQUIRE(s.hours->weekly.size() == 1);
    CHECK(s.hours->weekly[0].opens == 7 * 60 + 30);
}
