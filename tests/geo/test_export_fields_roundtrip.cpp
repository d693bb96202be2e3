// Round trips of real-shaped records (tests/data/field_records.json: a hotline without a site, a
// sensitive GBV shelter, personal contacts, a restricted service, two shifts a day and a closure,
// ...) and of the illustrative demo: every service format, exported for the public and for
// authorised users and imported into a fresh registry, gives back every record field by field,
// within the limits docs/export.md lists ("Round trip").
#include "enlace/geo/exporter.hpp"
#include "enlace/geo/importer.hpp"

#include "support/service_checks.hpp"
#include "support/temp_registry.hpp"

#include "enlace/core/registry.hpp"
#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace core = enlace::core;
namespace geo = enlace::geo;
using enlace::test::make_registry;
using enlace::test::ScratchDir;

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

const std::vector<core::ServiceStatus> every_status = {core::ServiceStatus::active,
                                                       core::ServiceStatus::temporarily_closed,
                                                       core::ServiceStatus::inactive, core::ServiceStatus::defunct};

std::vector<core::Service> services_of(const core::Registry& registry, core::Audience audience) {
    core::ServiceQuery q;
    q.audience = audience;
    q.statuses = every_status;
    q.limit = core::ServiceQuery::max_limit;
    std::vector<core::Service> out;
    for (auto& hit : registry.find(q).items)
        out.push_back(enlace::test::comparable(hit.service));
    return out;
}

/// The field records and the demo, with one demo service inactive so that every status the
/// fixture lacks round-trips too.
core::Registry original_registry(const ScratchDir& dir) {
    auto registry = make_registry(dir, "original.db");
    registry.load_dataset(read_text(std::string(ENLACE_TEST_DATA) + "/field_records.json"));
    registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));
    auto demo = services_of(registry, core::Audience::authorised);
    auto sited = std::find_if(demo.begin(), demo.end(),
                              [](const core::Service& s) { return s.source == "demo" && s.site.has_value(); });
    REQUIRE(sited != demo.end());
    sited->status = core::ServiceStatus::inactive;
    registry.put(*sited);
    return registry;
}

// A shapefile's text stops at 254 bytes, cut where a UTF-8 character starts.
std::string cut_for_dbf(const std::string& text) {
    if (text.size() <= 254) return text;
    std::size_t end = 254;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    return text.substr(0, end);
}

int kind_rank(core::ContactKind kind) {
    switch (kind) {
    case core::ContactKind::phone:
        return 0;
    case core::ContactKind::hotline:
        return 1;
    case core::ContactKind::whatsapp:
        return 2;
    case core::ContactKind::email:
        return 3;
    case core::ContactKind::url:
        return 4;
    }
    return 5;
}

/// What a flat file keeps of `exported` (the record as the export saw it): the import keys it by
/// the exporting registry's record id under its own source; contacts come back by kind (phone,
/// hotline, WhatsApp, email, URL), personal ones last, without labels; no organisation link.
core::Service kept_by_flat_file(core::Service exported, geo::ExportFormat format, const std::string& source) {
    exported.source = source;
    exported.source_id = std::to_string(exported.id);
    exported.actor_id.reset();
    for (auto& c : exported.contacts)
        c.label.clear();
    std::stable_sort(exported.contacts.begin(), exported.contacts.end(),
                     [](const core::Contact& a, const core::Contact& b) {
                         const auto key = [](const core::Contact& c) {
                             return std::pair(c.personal ? 1 : 0, c.personal ? 0 : kind_rank(c.kind));
                         };
                         return key(a) < key(b);
                     });
    if (format == geo::ExportFormat::shapefile) {
        for (auto* text : {&exported.name, &exported.description})
            for (auto& [language, value] : *text)
                value = cut_for_dbf(value);
    }
    return exported;
}

/// Columns of an export that the import leaves to the registry it goes into (docs/import.md).
std::set<std::string> registry_owned(geo::ExportFormat format) {
    if (format == geo::ExportFormat::shapefile) return {"source", "source_id", "actor_id", "created", "updated"};
    if (format == geo::ExportFormat::hxl)
        return {"org_id",   "org_name_es", "org_name_en", "org_name_fr", "org_acronym",
                "org_type", "source",      "source_id",   "updated_at"};
    return {"source", "source_id", "actor_id", "created_at", "updated_at"};
}

} // namespace

TEST_CASE("Field records round-trip through every service format, field by field", "[export][roundtrip][fields]") {
    const auto [format, ext] = GENERATE(table<geo::ExportFormat, std::string>({
        {geo::ExportFormat::geojson, ".geojson"},
        {geo::ExportFormat::geojsonseq, ".geojsonl"},
        {geo::ExportFormat::shapefile, ".shp"},
        {geo::ExportFormat::gpkg, ".gpkg"},
        {geo::ExportFormat::csv, ".csv"},
        {geo::ExportFormat::xlsx, ".xlsx"},
        {geo::ExportFormat::kml, ".kml"},
        {geo::ExportFormat::flatgeobuf, ".fgb"},
        {geo::ExportFormat::hxl, ".hxl.csv"},
    }));
    const auto audience = GENERATE(core::Audience::public_, core::Audience::authorised);
    CAPTURE(geo::to_string(format), audience == core::Audience::public_ ? "public" : "authorised");
    ScratchDir dir;
    const auto original = original_registry(dir);

    geo::ExportOptions options;
    options.format = format;
    options.services.audience = audience;
    options.services.statuses = every_status;
    const auto path = dir.file("services" + ext);
    const auto summary = geo::export_records(original, path, options);

    auto copy = make_registry(dir, "copy.db");
    geo::ImportOptions import;
    import.path = path;
    import.source = "copy";
    const auto report = geo::import_layer(copy, import);
    INFO(geo::report_table(report));
    CHECK(report.committed);
    CHECK(report.invalid == 0);
    CHECK(report.created == summary.records);
    for (const auto& issue : report.issues) {
        CAPTURE(issue.row, issue.field, issue.column, issue.value, issue.reason);
        CHECK(issue.warning);
    }
    // Every column the export wrote is read back, but for the exporting registry's own.
    const auto json = nlohmann::json::parse(geo::report_json(report));
    std::set<std::string> unread;
    for (const auto& u : json.value("unmapped", nlohmann::json::array()))
        unread.insert(u.at("column").get<std::string>());
    CHECK(unread == registry_owned(format));

    const auto exported = services_of(original, audience);
    const auto imported = services_of(copy, core::Audience::authorised);
    const bool fgb = format == geo::ExportFormat::flatgeobuf; // leaves services without a site out
    const auto kept = std::count_if(exported.begin(), exported.end(),
                                    [&](const core::Service& s) { return !fgb || s.site.has_value(); });
    CHECK(imported.size() == static_cast<std::size_t>(kept));
    CHECK(summary.skipped == static_cast<std::int64_t>(exported.size()) - kept);

    enlace::test::SameService how;
    how.coordinate_tolerance = 1e-7; // GeoJSON writes 7 decimals, text formats 15 digits
    for (const auto& want : exported) {
        if (fgb && !want.site) continue;
        CAPTURE(want.source, want.source_id);
        const auto id = copy.find_service_id({"copy", std::to_string(want.id)});
        REQUIRE(id);
        const auto got = copy.service_record(*id);
        REQUIRE(got);
        enlace::test::check_same_service(*got, kept_by_flat_file(want, format, "copy"), how);
        if (audience == core::Audience::public_ && want.coarsened) {
            // The public file holds the coarsened place only: it comes back as the site, marked
            // approximate, and the copy shows the public the same place.
            CHECK(got->site->precision == core::LocationPrecision::approximate);
            const auto shown = copy.public_service(*id);
            REQUIRE(shown);
            CHECK(std::abs(shown->site->point.lon - want.site->point.lon) <= 1e-7);
            CHECK(std::abs(shown->site->point.lat - want.site->point.lat) <= 1e-7);
        }
    }

    // What the fixture is there for, named: the hotline keeps its number and hours, the demo stays
    // illustrative, a restricted service and personal contacts reach authorised files only.
    const auto hotline =
        copy.find_service_id({"copy", std::to_string(*original.find_service_id({"field-test", "gt-hotline"}))});
    REQUIRE(hotline.has_value() == !fgb);
    if (hotline) CHECK(copy.service_record(*hotline)->contacts.at(0).value == "1599");
    const auto restricted = original.find_service_id({"field-test", "gt-casework-restricted"});
    CHECK(copy.find_service_id({"copy", std::to_string(*restricted)}).has_value() ==
          (audience == core::Audience::authorised));
    const auto demo_count =
        std::count_if(imported.begin(), imported.end(), [](const core::Service& s) { return s.illustrative; });
    CHECK(demo_count >= 40);
}

TEST_CASE("A public export imported over its authorised copy cannot replace an exact sensitive site",
          "[export][roundtrip][privacy]") {
    ScratchDir dir;
    const auto original = original_registry(dir);
    auto export_as = [&](core::Audience audience, const std::string& name) {
        geo::ExportOptions options;
        options.format = geo::ExportFormat::csv;
        options.services.audience = audience;
        const auto path = dir.file(name);
        geo::export_records(original, path, options);
        return path;
    };
    auto copy = make_registry(dir, "copy.db");
    geo::ImportOptions import;
    import.source = "copy";
    import.path = export_as(core::Audience::authorised, "authorised.csv");
    REQUIRE(geo::import_layer(copy, import).committed);

    const auto shelter = *original.find_service_id({"field-test", "gt-gbv-shelter"});
    const auto key = core::RecordKey{"copy", std::to_string(shelter)};
    const auto exact = copy.service_record(*copy.find_service_id(key));
    REQUIRE(exact->site->precision == core::LocationPrecision::exact);

    import.path = export_as(core::Audience::public_, "public.csv");
    import.skip_invalid = true;
    const auto report = geo::import_layer(copy, import);
    INFO(geo::report_table(report));
    bool refused = false;
    for (const auto& issue : report.issues)
        refused = refused || (issue.source_id == key.source_id && !issue.warning &&
                              issue.reason.find("exact site") != std::string::npos);
    CHECK(refused);
    const auto after = copy.service_record(*copy.find_service_id(key));
    CHECK(after->site->point == exact->site->point);
    CHECK(after->site->precision == core::LocationPrecision::exact);
    CHECK(after->address.street == exact->address.street);
}

TEST_CASE("Demo actors and practices stay illustrative, with their countries, through a CSV round trip",
          "[export][roundtrip][fields]") {
    const auto kind = GENERATE(geo::RecordKind::actor, geo::RecordKind::practice);
    ScratchDir dir;
    auto original = make_registry(dir, "original.db");
    original.load_dataset(std::string(*enlace::data::embedded("demo.json")));
    geo::ExportOptions options;
    options.format = geo::ExportFormat::csv;
    options.kind = kind;
    const auto path = dir.file("records.csv");
    const auto summary = geo::export_records(original, path, options);
    REQUIRE(summary.records > 0);

    auto copy = make_registry(dir, "copy.db");
    geo::ImportOptions import;
    import.path = path;
    import.source = "copy";
    import.kind = kind;
    const auto report = geo::import_layer(copy, import);
    INFO(geo::report_table(report));
    REQUIRE(report.created == summary.records);
    // Each copy, found by the key the import gave it (the original's record id).
    auto compare = [](const auto& originals, const auto& copies) {
        std::int64_t compared = 0;
        for (const auto& want : originals)
            for (const auto& got : copies)
                if (got.source_id == std::to_string(want.id)) {
                    CAPTURE(want.source_id);
                    CHECK(want.illustrative);
                    CHECK(got.illustrative == want.illustrative);
                    CHECK(got.countries == want.countries);
                    ++compared;
                }
        return compared;
    };
    std::int64_t compared = 0;
    if (kind == geo::RecordKind::actor) {
        core::ActorQuery q;
        q.limit = core::ServiceQuery::max_limit;
        compared = compare(original.find(q).items, copy.find(q).items);
    } else {
        core::PracticeQuery q;
        q.limit = core::ServiceQuery::max_limit;
        core::PracticeQuery all = q;
        all.audience = core::Audience::authorised; // imported practices are drafts
        compared = compare(original.find(q).items, copy.find(all).items);
    }
    CHECK(compared == summary.records);
}
