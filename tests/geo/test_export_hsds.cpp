// The HSDS export against HSDS 3.0's rules (tests/geo/hsds_rules.*): the demo registry and the
// real-shaped field records (hotlines without a site, a GBV shelter with an exact point and
// personal contacts, a restricted service, split shifts and closures), public and with restricted
// data, pass every rule for every table, row and value. Then each decision docs/export.md states:
// ids, privacy, schedules, service areas, addresses, organizations, taxonomy, formats.
#include "enlace/geo/exporter.hpp"

#include "geo/hsds_rules.hpp"
#include "hsds_uuid.hpp" // geo/src: the export's UUIDs, checked against Python's uuid.uuid5
#include "support/temp_registry.hpp"

#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace core = enlace::core;
namespace geo = enlace::geo;
namespace hsds = enlace::test::hsds;
using enlace::test::make_registry;
using enlace::test::ScratchDir;

namespace {

/// 2026-11-28T12:00:00Z: North America is on standard time until 2027-03-14.
const core::instant late_november = *core::parse_rfc3339("2026-11-28T12:00:00Z");

struct Registry {
    ScratchDir dir;
    core::Registry registry = make_registry(dir);
    Registry() {
        registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));
        registry.load_dataset(enlace::test::test_data("field_records.json"));
    }
    std::int64_t id_of(const std::string& source, const std::string& source_id) const {
        return *registry.find_service_id(core::RecordKey{source, source_id});
    }
    std::int64_t field(const std::string& source_id) const { return id_of("field-test", source_id); }
};

using Row = std::map<std::string, std::string>;

/// An exported package, its tables read by file name.
struct Package {
    std::filesystem::path folder;
    std::vector<Row> rows(const std::string& file) const {
        const auto csv = hsds::read_csv(folder / file);
        std::vector<Row> out;
        for (std::size_t r = 1; r < csv.size(); ++r) {
            Row row;
            for (std::size_t c = 0; c < csv[0].size() && c < csv[r].size(); ++c)
                row[csv[0][c]] = csv[r][c];
            out.push_back(std::move(row));
        }
        return out;
    }
    std::vector<Row> rows_where(const std::string& file, const std::string& field, const std::string& value) const {
        std::vector<Row> out;
        for (auto& row : rows(file))
            if (row[field] == value) out.push_back(row);
        return out;
    }
    /// Every byte of every file, to look for what must not be there.
    std::string all_text() const {
        std::string out;
        for (const auto& entry : std::filesystem::directory_iterator(folder)) {
            std::ifstream in(entry.path(), std::ios::binary);
            out.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        return out;
    }
};

Package export_hsds(const core::Registry& registry, const ScratchDir& dir, const std::string& name,
                    core::Audience audience = core::Audience::public_, core::instant as_of = late_november) {
    geo::ExportOptions options;
    options.format = geo::ExportFormat::hsds;
    options.services.audience = audience;
    options.as_of = as_of;
    const auto folder = dir.file(name);
    geo::export_records(registry, folder, options);
    return {folder};
}

std::string service_uuid(std::int64_t id) { return enlace::geo::detail::hsds_id("service/" + std::to_string(id)); }

void require_conformant(const Package& package) {
    const auto problems = hsds::check_package(package.folder);
    std::string listed;
    for (const auto& p : problems)
        listed += p + "\n";
    INFO(listed);
    CHECK(problems.empty());
}

const char* audience_name(core::Audience a) { return a == core::Audience::public_ ? "public" : "authorised"; }

} // namespace

TEST_CASE("the HSDS export of the demo and the field records passes every HSDS 3.0 rule", "[export][hsds]") {
    Registry r;
    const auto audience = GENERATE(core::Audience::public_, core::Audience::authorised);
    CAPTURE(audience_name(audience));
    const auto package = export_hsds(r.registry, r.dir, audience_name(audience), audience);
    require_conformant(package);

    // The twelve tables, every one.
    std::ifstream in(package.folder / "datapackage.json");
    const auto descriptor = nlohmann::json::parse(in);
    std::set<std::string> names;
    for (const auto& resource : descriptor["resources"])
        names.insert(resource["name"].get<std::string>());
    std::set<std::string> expected;
    for (const auto& t : hsds::tables())
        expected.insert(t.name);
    CHECK(names == expected);
    core::ServiceQuery query;
    query.audience = audience;
    CHECK(static_cast<std::int64_t>(package.rows("services.csv").size()) == r.registry.count(query));
    // Not empty where the data has rows of that kind: the checker saw real values.
    for (const char* file : {"organizations.csv", "locations.csv", "service_at_location.csv", "addresses.csv",
                             "phones.csv", "schedules.csv", "languages.csv", "service_areas.csv", "taxonomy_terms.csv",
                             "taxonomies.csv", "attributes.csv"}) {
        CAPTURE(file);
        CHECK_FALSE(package.rows(file).empty());
    }
}

TEST_CASE("HSDS ids are version-5 UUIDs of the registry's ids, the same on every export", "[export][hsds]") {
    namespace detail = enlace::geo::detail;
    // RFC 4122 version 5, as Python computes it: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") and
    // uuid.uuid5(UUID("2ebb2399-526a-4c04-a628-6fff173ba530"), "service/1").
    const detail::UuidBytes dns{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    CHECK(detail::uuid_v5(dns, "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    CHECK(detail::hsds_id("service/1") == "1234742f-98bf-54c1-8c33-bdb86ae3ca71");

    Registry r;
    const auto first = export_hsds(r.registry, r.dir, "first");
    const auto second = export_hsds(r.registry, r.dir, "second");
    for (const auto& entry : std::filesystem::directory_iterator(first.folder)) {
        CAPTURE(entry.path().filename());
        std::ifstream a(entry.path(), std::ios::binary), b(second.folder / entry.path().filename(), std::ios::binary);
        REQUIRE(b);
        CHECK(std::string(std::istreambuf_iterator<char>(a), {}) == std::string(std::istreambuf_iterator<char>(b), {}));
    }

    // Each service's id is the UUID of "service/<x_id>", x_id its registry id (to join back).
    core::ServiceQuery all;
    all.limit = core::ServiceQuery::max_limit;
    std::set<std::string> registry_ids, exported_ids;
    for (const auto& hit : r.registry.find(all).items)
        registry_ids.insert(std::to_string(hit.service->id));
    for (auto& row : first.rows("services.csv")) {
        exported_ids.insert(row["x_id"]);
        CHECK(row["id"] == detail::hsds_id("service/" + row["x_id"]));
    }
    CHECK(exported_ids == registry_ids);
    for (auto& row : first.rows("organizations.csv"))
        if (!row["x_id"].empty()) CHECK(row["id"] == detail::hsds_id("organization/" + row["x_id"]));
    // Every id of every table is version 5.
    for (const auto& t : hsds::tables())
        for (auto& row : first.rows(t.path)) {
            CAPTURE(t.path, row["id"]);
            CHECK(row["id"].substr(14, 1) == "5");
        }
    // A child row's id depends on what it is, not where it is: the public export (without the
    // shelter's personal phone) and the restricted one give the shelter's admissions desk one id.
    const auto restricted = export_hsds(r.registry, r.dir, "restricted", core::Audience::authorised);
    const auto shelter = service_uuid(r.field("gt-gbv-shelter"));
    const auto desk = [&](const Package& p) {
        for (auto& row : p.rows_where("phones.csv", "service_id", shelter))
            if (row["number"] == "+502 7700 0123") return row["id"];
        return std::string();
    };
    CHECK_FALSE(desk(first).empty());
    CHECK(desk(first) == desk(restricted));
}

TEST_CASE("public HSDS packages hold coarsened points only, no personal contact, no restricted service",
          "[export][hsds][privacy]") {
    Registry r;
    const auto shelter_id = r.field("gt-gbv-shelter");
    const auto shelter = service_uuid(shelter_id);
    const auto public_point = r.registry.public_service(shelter_id)->site->point;
    const auto location_of = [&](const Package& p) {
        const auto links = p.rows_where("service_at_location.csv", "service_id", shelter);
        REQUIRE(links.size() == 1);
        const auto locations = p.rows_where("locations.csv", "id", links[0].at("location_id"));
        REQUIRE(locations.size() == 1);
        return locations[0];
    };
    // What only authorised users may see: the exact point, the street and postal code, the
    // personal phone and mailbox, the restricted service (its name, street and phone).
    const std::vector<std::string> restricted_text{"-91.51803",
                                                   "14.83472",
                                                   "4a Calle 12-34",
                                                   "09001",
                                                   "+502 5500 0456",
                                                   "coordinacion.personal@refugio.example.org",
                                                   "Equipo de gestión de casos",
                                                   "15 Avenida 9-69",
                                                   "+502 2200 0300"};

    const auto open = export_hsds(r.registry, r.dir, "public");
    require_conformant(open);
    auto location = location_of(open);
    CHECK(std::stod(location["latitude"]) == Approx(public_point.lat));
    CHECK(std::stod(location["longitude"]) == Approx(public_point.lon));
    CHECK(std::abs(std::stod(location["latitude"]) - 14.83472) > 0.01);
    CHECK(location["x_location_precision"] == "approximate");
    CHECK(location["x_address_1"].empty());
    CHECK(open.rows_where("addresses.csv", "location_id", location["id"]).empty());
    const auto text = open.all_text();
    for (const auto& value : restricted_text) {
        CAPTURE(value);
        CHECK(text.find(value) == std::string::npos);
    }
    CHECK(open.rows_where("services.csv", "x_id", std::to_string(r.field("gt-casework-restricted"))).empty());

    const auto full = export_hsds(r.registry, r.dir, "authorised", core::Audience::authorised);
    require_conformant(full);
    location = location_of(full);
    CHECK(std::stod(location["latitude"]) == Approx(14.83472));
    CHECK(std::stod(location["longitude"]) == Approx(-91.51803));
    CHECK(location["x_location_precision"] == "exact");
    const auto address = full.rows_where("addresses.csv", "location_id", location["id"]);
    REQUIRE(address.size() == 1);
    CHECK(address[0].at("address_1") == "4a Calle 12-34, Zona 3");
    const auto all = full.all_text();
    for (const auto& value : restricted_text) {
        CAPTURE(value);
        CHECK(all.find(value) != std::string::npos);
    }
    std::ifstream in(full.folder / "datapackage.json");
    CHECK(nlohmann::json::parse(in)["x_audience"].get<std::string>().find("not for publication") != std::string::npos);
}

TEST_CASE("HSDS schedules: a UTC offset with the IANA zone, valid times, shifts past midnight, 24/7, closures",
          "[export][hsds]") {
    Registry r;
    // A night service in Toronto (daylight saving time): a day shift, a shift past midnight on
    // Friday and Saturday, and one to midnight on Sunday.
    auto night = enlace::test::service_at(-79.38, 43.65, "CA", "PRO.CASEMGMT", "Servicio nocturno");
    night.source = "test";
    night.source_id = "night";
    night.hours = core::OpeningHours{
        "America/Toronto",
        false,
        {core::Shift{0x1f, 9 * 60, 17 * 60}, core::Shift{0x30, 22 * 60, 2 * 60}, core::Shift{0x40, 18 * 60, 24 * 60}},
        {}};
    const auto night_id = service_uuid(r.registry.put(night).id);

    struct Season {
        const char* as_of;
        const char* offset;
        const char* valid_to; // the last day before the clocks change
    };
    for (const auto& season :
         {Season{"2026-01-15T12:00:00Z", "-5", "2026-03-07"}, Season{"2026-07-15T12:00:00Z", "-4", "2026-10-31"}}) {
        CAPTURE(season.as_of);
        const auto p = export_hsds(r.registry, r.dir, std::string("s") + season.valid_to, core::Audience::public_,
                                   *core::parse_rfc3339(season.as_of));
        require_conformant(p);
        std::set<std::vector<std::string>> rows;
        for (auto& row : p.rows_where("schedules.csv", "service_id", night_id)) {
            CHECK(row["timezone"] == season.offset);
            CHECK(row["valid_to"] == season.valid_to);
            CHECK(row["x_timezone"] == "America/Toronto");
            CHECK(row["freq"] == "WEEKLY");
            rows.insert({row["byday"], row["opens_at"], row["closes_at"], row["description"]});
        }
        CHECK(rows == std::set<std::vector<std::string>>{
                          {"MO,TU,WE,TH,FR", "09:00:00", "17:00:00", ""},
                          {"FR,SA", "22:00:00", "23:59:59", "FR,SA 22:00-02:00"},
                          {"SA,SU", "00:00:00", "02:00:00", "FR,SA 22:00-02:00"},
                          {"SU", "18:00:00", "23:59:59", "SU 18:00-24:00"},
                      });
    }

    const auto p = export_hsds(r.registry, r.dir, "november");
    for (auto& row : p.rows("schedules.csv")) {
        CAPTURE(row["id"]);
        CHECK(row["opens_at"] < row["closes_at"]); // hh:mm:ss: every row is one span within a day
        CHECK(row["closes_at"] != "24:00:00");
    }
    // The Guatemalan hotline is open 24/7: one row, every day, the whole day; Guatemala keeps
    // UTC-6 all year, so the row has no end.
    const auto hotline = p.rows_where("schedules.csv", "service_id", service_uuid(r.field("gt-hotline")));
    REQUIRE(hotline.size() == 1);
    CHECK(hotline[0].at("byday") == "MO,TU,WE,TH,FR,SA,SU");
    CHECK(hotline[0].at("opens_at") == "00:00:00");
    CHECK(hotline[0].at("closes_at") == "23:59:59");
    CHECK(hotline[0].at("description") == "24/7");
    CHECK(hotline[0].at("timezone") == "-6");
    CHECK(hotline[0].at("valid_to").empty());
    CHECK(hotline[0].at("x_timezone") == "America/Guatemala");
    // Two shifts on weekdays and Saturday morning; the year-end closure in notes and x_closures.
    const auto legal = p.rows_where("schedules.csv", "service_id", service_uuid(r.field("gt-legal-aid")));
    REQUIRE(legal.size() == 3);
    for (const auto& row : legal) {
        CHECK(row.at("notes") == "Cerrado 2026-12-24/2026-12-26: Cierre de fin de año");
        CHECK(row.at("x_closures") == "2026-12-24/2026-12-26");
    }
}

TEST_CASE("HSDS service areas: a country's outline as GeoJSON named by the country, admin1 areas by code",
          "[export][hsds]") {
    Registry r;
    core::Service regional;
    regional.source = "test";
    regional.source_id = "admin1-line";
    regional.name = {{"es", "Línea departamental"}};
    regional.types = {"VIO.HOTLINE"};
    regional.country = "GT";
    regional.area.admin1 = {"GT09"};
    regional.contacts = {core::Contact{core::ContactKind::hotline, "1510", {}, false}};
    const auto regional_id = service_uuid(r.registry.put(regional).id);

    const auto p = export_hsds(r.registry, r.dir, "areas");
    require_conformant(p);
    const auto* guatemala = r.registry.reference().country("GT");
    REQUIRE(guatemala);
    REQUIRE_FALSE(guatemala->outline.empty());
    const auto hotline = p.rows_where("service_areas.csv", "service_id", service_uuid(r.field("gt-hotline")));
    REQUIRE(hotline.size() == 1);
    CHECK(hotline[0].at("name") == "Guatemala");
    CHECK(hotline[0].at("name_en") == "Guatemala");
    CHECK(hotline[0].at("extent_type") == "geojson");
    CHECK(nlohmann::json::parse(hotline[0].at("extent")) == core::to_geojson(guatemala->outline));
    CHECK(hotline[0].at("x_area_type") == "country");
    CHECK(hotline[0].at("x_area_code") == "GT");

    std::set<std::string> mexican_line;
    for (auto& row : p.rows_where("service_areas.csv", "service_id", service_uuid(r.field("mx-hotline"))))
        mexican_line.insert(row["name"]);
    CHECK(mexican_line == std::set<std::string>{"Guatemala", "México"});

    const auto admin1 = p.rows_where("service_areas.csv", "service_id", regional_id);
    REQUIRE(admin1.size() == 1);
    CHECK(admin1[0].at("name") == "GT09");
    CHECK(admin1[0].at("x_area_type") == "admin1");
    CHECK(admin1[0].at("x_area_code") == "GT09");
    CHECK(admin1[0].at("extent").empty());
    CHECK(admin1[0].at("extent_type").empty());
}

TEST_CASE("HSDS addresses only when complete, the known parts at the location, organizations always named",
          "[export][hsds]") {
    Registry r;
    const auto p = export_hsds(r.registry, r.dir, "places");
    const auto location_of = [&](std::int64_t id) {
        const auto links = p.rows_where("service_at_location.csv", "service_id", service_uuid(id));
        REQUIRE(links.size() == 1);
        return p.rows_where("locations.csv", "id", links[0].at("location_id")).at(0);
    };
    // The legal-aid office has every part: an address row.
    auto legal = location_of(r.field("gt-legal-aid"));
    const auto address = p.rows_where("addresses.csv", "location_id", legal["id"]);
    REQUIRE(address.size() == 1);
    CHECK(address[0].at("address_1") == "8a Avenida 10-67, Zona 1");
    CHECK(address[0].at("city") == "Ciudad de Guatemala");
    CHECK(address[0].at("state_province") == "Guatemala");
    CHECK(address[0].at("postal_code") == "01001");
    CHECK(address[0].at("country") == "GT");
    CHECK(address[0].at("address_type") == "physical");
    // The first-contact office has a locality and a department, no street: no address row (HSDS
    // would need a street and a postal code), what is known at the location.
    auto office = location_of(r.field("sv-frontline"));
    CHECK(p.rows_where("addresses.csv", "location_id", office["id"]).empty());
    CHECK(office["description"] == "Ahuachapán, Ahuachapán, El Salvador");
    CHECK(office["x_city"] == "Ahuachapán");
    CHECK(office["x_state_province"] == "Ahuachapán");
    CHECK(office["x_country"] == "SV");
    // The demo records only localities: no address rows at all for them.
    CHECK(p.rows("addresses.csv").size() == 1);

    // The office has no organization in the registry: HSDS requires one, so it names the one
    // placeholder row, which says so (and has no registry id).
    const auto service = p.rows_where("services.csv", "x_id", std::to_string(r.field("sv-frontline"))).at(0);
    const auto organization = p.rows_where("organizations.csv", "id", service.at("organization_id"));
    REQUIRE(organization.size() == 1);
    CHECK(organization[0].at("name") == "Organización no registrada");
    CHECK(organization[0].at("name_en") == "Organization not recorded");
    CHECK(organization[0].at("x_id").empty());
    CHECK(office["organization_id"].empty());
    // An actor without a description is described by what the registry knows: type and countries.
    const auto legal_aid = p.rows_where("services.csv", "x_id", std::to_string(r.field("gt-legal-aid"))).at(0);
    const auto pgn = p.rows_where("organizations.csv", "id", legal_aid.at("organization_id"));
    REQUIRE(pgn.size() == 1);
    CHECK(pgn[0].at("alternate_name") == "PGN");
    CHECK(pgn[0].at("description") == "Autoridad de protección de la niñez – Guatemala");
    CHECK(pgn[0].at("description_es").empty()); // the translations are the registry's own texts
}

TEST_CASE("HSDS taxonomy: one taxonomy, the terms in use with their families, each described", "[export][hsds]") {
    Registry r;
    const auto p = export_hsds(r.registry, r.dir, "taxonomy");
    const auto taxonomies = p.rows("taxonomies.csv");
    REQUIRE(taxonomies.size() == 1);
    CHECK(taxonomies[0].at("name") == "Enlace");
    std::set<std::string> used, codes;
    for (auto& row : p.rows("attributes.csv")) {
        CHECK(row["link_entity"] == "service");
        used.insert(row["taxonomy_term_id"]);
    }
    std::map<std::string, std::string> parent_of;
    for (auto& row : p.rows("taxonomy_terms.csv")) {
        CAPTURE(row["code"]);
        codes.insert(row["code"]);
        CHECK(row["taxonomy_id"] == taxonomies[0].at("id"));
        CHECK(row["taxonomy"] == "Enlace");
        CHECK(row["language"] == "es");
        CHECK_FALSE(row["description"].empty());
        CHECK(row["x_sensitive"] == (r.registry.reference().term(row["code"])->sensitive ? "true" : "false"));
        if (!used.contains(row["id"])) // not used itself: the family of a term in use
            CHECK(row["parent_id"].empty());
    }
    CHECK(codes.contains("VIO.GBV"));
    CHECK(codes.contains("VIO"));
    CHECK(codes.size() < r.registry.reference().terms().size()); // the demo uses most, not all
    const auto shelter = p.rows_where("taxonomy_terms.csv", "code", "REC.SHORTSTAY").at(0);
    CHECK(shelter.at("description") == "Albergue temporal / primera acogida (Recepción y acogida)");
    CHECK(shelter.at("x_sensitive") == "true");
}

TEST_CASE("HSDS url, email and website hold only what the formats accept, the rest stays in x_..._text",
          "[export][hsds]") {
    Registry r;
    auto s = enlace::test::service_at(-84.09, 9.93, "CR", "LEG.AID", "Asesoría");
    s.source = "test";
    s.source_id = "links";
    s.contacts = {core::Contact{core::ContactKind::url, "www.example.org/asesoria", {}, false},
                  core::Contact{core::ContactKind::email, "mesa@ejemplo", {}, false}};
    const auto plain = service_uuid(r.registry.put(s).id);
    s.source_id = "iri";
    s.contacts = {core::Contact{core::ContactKind::url, "https://example.org/niñez", {}, false}};
    const auto iri = service_uuid(r.registry.put(s).id);

    const auto p = export_hsds(r.registry, r.dir, "links");
    require_conformant(p);
    auto row = p.rows_where("services.csv", "id", plain).at(0);
    CHECK(row["url"].empty());
    CHECK(row["x_url_text"] == "www.example.org/asesoria");
    CHECK(row["email"].empty());
    CHECK(row["x_email_text"] == "mesa@ejemplo");
    row = p.rows_where("services.csv", "id", iri).at(0);
    CHECK(row["url"] == "https://example.org/ni%C3%B1ez"); // the IRI as a URI (RFC 3987)
    CHECK(row["x_url_text"].empty());
}
