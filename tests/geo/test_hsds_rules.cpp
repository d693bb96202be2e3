// The HSDS 3.0 checker itself (tests/geo/hsds_rules.*): its transcription of the specification,
// its value checks, and that it reports each kind of breach in a small hand-written package (a
// checker that finds nothing would let any export pass).
#include "geo/hsds_rules.hpp"

#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <string>

namespace hsds = enlace::test::hsds;
using enlace::test::ScratchDir;

TEST_CASE("the HSDS rules are the specification's tables, paths, required fields and keys", "[hsds][rules]") {
    const std::map<std::string, std::string> paths{{"organization", "organizations.csv"},
                                                   {"service", "services.csv"},
                                                   {"location", "locations.csv"},
                                                   {"service_at_location", "service_at_location.csv"},
                                                   {"address", "addresses.csv"},
                                                   {"phone", "phones.csv"},
                                                   {"schedule", "schedules.csv"},
                                                   {"language", "languages.csv"},
                                                   {"service_area", "service_areas.csv"},
                                                   {"taxonomy", "taxonomies.csv"},
                                                   {"taxonomy_term", "taxonomy_terms.csv"},
                                                   {"attribute", "attributes.csv"}};
    CHECK(hsds::tables().size() == paths.size());
    for (const auto& [name, path] : paths) {
        CAPTURE(name);
        const auto* t = hsds::table(name);
        REQUIRE(t);
        CHECK(t->path == path);
        const auto* id = t->field("id");
        REQUIRE(id);
        CHECK((id->required && id->unique && id->format == hsds::Format::uuid));
        for (const auto& f : t->fields) // every *_id field but the tax id is a uuid that refers to a table
            if (f.name.size() > 3 && f.name.ends_with("_id") && f.name != "tax_id") {
                CAPTURE(f.name);
                CHECK(f.format == hsds::Format::uuid);
                CHECK_FALSE(f.references.empty());
            }
    }
    const auto required = [](const char* table) {
        std::vector<std::string> names;
        for (const auto& f : hsds::table(table)->fields)
            if (f.required) names.push_back(f.name);
        return names;
    };
    CHECK(required("organization") == std::vector<std::string>{"id", "name", "description"});
    CHECK(required("service") == std::vector<std::string>{"id", "organization_id", "name", "status"});
    CHECK(required("address") == std::vector<std::string>{"id", "address_1", "city", "state_province", "postal_code",
                                                          "country", "address_type"});
    CHECK(required("attribute") == std::vector<std::string>{"id", "link_id", "taxonomy_term_id", "link_entity"});
    CHECK(required("taxonomy_term") == std::vector<std::string>{"id", "name", "description"});
    CHECK(required("schedule") == std::vector<std::string>{"id"});
    CHECK(hsds::table("schedule")->field("timezone")->type == hsds::Type::number);
    CHECK(hsds::table("schedule")->field("opens_at")->type == hsds::Type::time);
    CHECK(hsds::table("service")->field("last_modified")->type == hsds::Type::datetime);
    CHECK(hsds::table("service")->field("minimum_age")->type == hsds::Type::number);
    CHECK(hsds::table("service")->field("status")->enumeration ==
          std::vector<std::string>{"active", "inactive", "defunct", "temporarily closed"});
    CHECK(hsds::table("taxonomy_term")->field("code")->unique);
    CHECK(hsds::table("taxonomy_term")->field("taxonomy_id")->references == "taxonomy");
    CHECK(hsds::table("phone")->field("contact_id")->references == "contact");
    CHECK(hsds::other_hsds_table("contact"));
}

TEST_CASE("the HSDS value checks accept what the definitions allow and nothing else", "[hsds][rules]") {
    CHECK(hsds::is_uuid("2ebb2399-526a-4c04-a628-6fff173ba530"));
    CHECK_FALSE(hsds::is_uuid("12"));
    CHECK_FALSE(hsds::is_uuid("12-1"));
    CHECK_FALSE(hsds::is_uuid("2ebb2399526a4c04a6286fff173ba530"));
    CHECK_FALSE(hsds::is_uuid("2ebb2399-526a-4c04-a628-6fff173ba53g"));

    CHECK(hsds::is_email("desk@example.org"));
    CHECK(hsds::is_email("coordinación@refugio.example.org"));
    CHECK_FALSE(hsds::is_email("desk"));
    CHECK_FALSE(hsds::is_email("desk@localhost"));
    CHECK_FALSE(hsds::is_email("a b@example.org"));
    CHECK_FALSE(hsds::is_email(".desk@example.org"));

    CHECK(hsds::is_uri("https://pgn.example.org/asesoria"));
    CHECK(hsds::is_uri("https://example.org/ni%C3%B1ez?q=1#top"));
    CHECK(hsds::is_uri("mailto:desk@example.org"));
    CHECK_FALSE(hsds::is_uri("www.example.org"));
    CHECK_FALSE(hsds::is_uri("https://example.org/niñez"));
    CHECK_FALSE(hsds::is_uri("https://example.org/a b"));
    CHECK_FALSE(hsds::is_uri("https:///path"));
    CHECK_FALSE(hsds::is_uri("https://example.org/%zz"));

    CHECK(hsds::is_date("2024-02-29"));
    CHECK_FALSE(hsds::is_date("2023-02-29"));
    CHECK_FALSE(hsds::is_date("2026-13-01"));
    CHECK_FALSE(hsds::is_date("26-11-28"));

    CHECK(hsds::is_time("08:00:00"));
    CHECK(hsds::is_time("23:59:59"));
    CHECK(hsds::is_time("09:00:00-05:00"));
    CHECK_FALSE(hsds::is_time("24:00:00"));
    CHECK_FALSE(hsds::is_time("24:00"));
    CHECK_FALSE(hsds::is_time("08:00")); // Table Schema's time is hh:mm:ss
    CHECK_FALSE(hsds::is_time("8:00:00"));

    CHECK(hsds::is_datetime("2026-11-28T22:50:01Z"));
    CHECK(hsds::is_datetime("2026-11-28T16:50:01.5-06:00"));
    CHECK_FALSE(hsds::is_datetime("2026-11-28T22:50:01")); // no offset
    CHECK_FALSE(hsds::is_datetime("2026-11-28"));

    CHECK(hsds::is_number("-6"));
    CHECK(hsds::is_number("-3.5"));
    CHECK(hsds::is_number("14.91"));
    CHECK(hsds::is_number("1e-05"));
    CHECK_FALSE(hsds::is_number("America/Guatemala"));
    CHECK_FALSE(hsds::is_number("-"));
    CHECK_FALSE(hsds::is_number("1,5"));
    CHECK(hsds::is_integer("17"));
    CHECK_FALSE(hsds::is_integer("17.0"));
    CHECK(hsds::is_boolean("true"));
    CHECK_FALSE(hsds::is_boolean("yes"));
}

namespace {

// A small package that conforms: one organization, one service, one service area, one schedule.
struct MiniPackage {
    nlohmann::json descriptor;
    std::map<std::string, std::string> files;

    MiniPackage() {
        const auto field = [](const char* name, const char* type = "string", const char* format = nullptr,
                              bool required = false) {
            nlohmann::json f{{"name", name}, {"type", type}};
            if (format) f["format"] = format;
            if (required) f["constraints"] = {{"required", true}};
            return f;
        };
        const auto resource = [](const char* name, const char* path, nlohmann::json fields,
                                 nlohmann::json keys = nlohmann::json::array()) {
            nlohmann::json schema{{"fields", fields}, {"primaryKey", "id"}};
            if (!keys.empty()) schema["foreignKeys"] = keys;
            return nlohmann::json{
                {"name", name}, {"path", path}, {"profile", "tabular-data-resource"}, {"schema", schema}};
        };
        const auto to_service = [](const char* f) {
            return nlohmann::json{{"fields", f}, {"reference", {{"resource", "service"}, {"fields", "id"}}}};
        };
        nlohmann::json status = field("status", "string", nullptr, true);
        status["constraints"]["enum"] = {"active", "inactive", "defunct", "temporarily closed"};
        descriptor = {{"name", "mini"},
                      {"profile", "tabular-data-package"},
                      {"resources",
                       {resource("organization", "organizations.csv",
                                 {field("id", "string", "uuid", true), field("name", "string", nullptr, true),
                                  field("description", "string", nullptr, true)}),
                        resource("service", "services.csv",
                                 {field("id", "string", "uuid", true), field("organization_id", "string", "uuid", true),
                                  field("name", "string", nullptr, true), status, field("minimum_age", "number"),
                                  field("x_id", "integer")},
                                 {{{"fields", "organization_id"},
                                   {"reference", {{"resource", "organization"}, {"fields", "id"}}}}}),
                        resource("schedule", "schedules.csv",
                                 {field("id", "string", "uuid", true), field("service_id", "string", "uuid"),
                                  field("timezone", "number"), field("byday"), field("opens_at", "time"),
                                  field("closes_at", "time")},
                                 {to_service("service_id")}),
                        resource("service_area", "service_areas.csv",
                                 {field("id", "string", "uuid", true), field("service_id", "string", "uuid"),
                                  field("name"), field("extent"), field("extent_type")},
                                 {to_service("service_id")})}}};
        files["organizations.csv"] = "id,name,description\n"
                                     "11111111-1111-5111-8111-111111111111,PANI,Autoridad\n";
        files["services.csv"] = "id,organization_id,name,status,minimum_age,x_id\n"
                                "22222222-2222-5222-8222-222222222222,11111111-1111-5111-8111-111111111111,"
                                "Espacio seguro,active,0,12\n";
        files["schedules.csv"] = "id,service_id,timezone,byday,opens_at,closes_at\n"
                                 "33333333-3333-5333-8333-333333333333,22222222-2222-5222-8222-222222222222,-6,"
                                 "\"MO,TU\",08:00:00,23:59:59\n";
        files["service_areas.csv"] =
            "id,service_id,name,extent,extent_type\n"
            "44444444-4444-5444-8444-444444444444,22222222-2222-5222-8222-222222222222,Costa Rica,"
            "\"{\"\"type\"\":\"\"MultiPolygon\"\",\"\"coordinates\"\":[[[[-85,10],[-83,10],[-83,11],[-85,10]]"
            "]]}\","
            "geojson\n";
    }

    std::vector<std::string> check(const ScratchDir& dir, const std::string& name) const {
        const auto folder = dir.path() / name;
        std::filesystem::create_directories(folder);
        std::ofstream(folder / "datapackage.json") << descriptor.dump(2);
        for (const auto& [file, text] : files)
            std::ofstream(folder / file, std::ios::binary) << text;
        return hsds::check_package(folder);
    }

    nlohmann::json& resource(const std::string& name) {
        for (auto& r : descriptor["resources"])
            if (r["name"] == name) return r;
        throw std::runtime_error("no resource " + name);
    }
    void replace(const std::string& file, const std::string& from, const std::string& to) {
        auto& text = files.at(file);
        const auto at = text.find(from);
        if (at == std::string::npos) throw std::runtime_error("no '" + from + "' in " + file);
        text.replace(at, from.size(), to);
    }
};

bool mentions(const std::vector<std::string>& problems, const std::string& what) {
    for (const auto& p : problems)
        if (p.find(what) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("the HSDS checker passes a conforming package and reports each kind of breach", "[hsds][rules]") {
    ScratchDir dir;
    {
        const auto problems = MiniPackage().check(dir, "good");
        INFO(nlohmann::json(problems).dump(1));
        CHECK(problems.empty());
    }
    struct Breach {
        const char* what;
        std::function<void(MiniPackage&)> make;
        const char* reported;
    };
    const std::vector<Breach> breaches{
        {"a plural table name", [](MiniPackage& p) { p.resource("service")["name"] = "services"; },
         "not an HSDS 3.0 table name"},
        {"another path", [](MiniPackage& p) { p.resource("service")["path"] = "service.csv"; }, "is not HSDS's"},
        {"an id that is no UUID",
         [](MiniPackage& p) { p.replace("services.csv", "22222222-2222-5222-8222-222222222222,1", "12,1"); },
         "is not a UUID"},
        {"an empty required field", [](MiniPackage& p) { p.replace("organizations.csv", ",Autoridad", ","); },
         "required and empty"},
        {"a value outside the enum", [](MiniPackage& p) { p.replace("services.csv", ",active,", ",closed,"); },
         "is not one of HSDS's values"},
        {"a foreign key to no row",
         [](MiniPackage& p) {
             p.replace("services.csv", ",11111111-1111-5111-8111-111111111111,",
                       ",11111111-1111-5111-8111-999999999999,");
         },
         "is no id of organization"},
        {"a header unlike the schema", [](MiniPackage& p) { p.replace("services.csv", "x_id\n", "xid\n"); },
         "header is not the field list"},
        {"a repeated id",
         [](MiniPackage& p) { p.files["organizations.csv"] += "11111111-1111-5111-8111-111111111111,Otra,Otra\n"; },
         "is not unique"},
        {"a foreign key HSDS declares, left out",
         [](MiniPackage& p) { p.resource("service")["schema"].erase("foreignKeys"); }, "(declared by HSDS) is missing"},
        {"an IANA zone in schedule.timezone",
         [](MiniPackage& p) { p.replace("schedules.csv", ",-6,", ",America/Guatemala,"); }, "is not a number"},
        {"24:00 as a time", [](MiniPackage& p) { p.replace("schedules.csv", "23:59:59", "24:00"); }, "is not a time"},
        {"a day that is not RFC 5545's", [](MiniPackage& p) { p.replace("schedules.csv", "\"MO,TU\"", "\"mo,tu\""); },
         "comma-separated list"},
        {"a country code as the extent",
         [](MiniPackage& p) {
             auto& text = p.files["service_areas.csv"];
             text = text.substr(0, text.find("Costa Rica,")) + "Costa Rica,CR,geojson\n";
         },
         "is not a GeoJSON object"},
        {"a required column missing",
         [](MiniPackage& p) {
             auto& fields = p.resource("organization")["schema"]["fields"];
             fields.erase(fields.begin() + 2);
             p.files["organizations.csv"] = "id,name\n11111111-1111-5111-8111-111111111111,PANI\n";
         },
         "required HSDS field 'description' is not a column"},
        {"a type unlike HSDS's",
         [](MiniPackage& p) { p.resource("service")["schema"]["fields"][4]["type"] = "integer"; },
         "where HSDS has number"},
        {"a column that is neither HSDS's nor an extension",
         [](MiniPackage& p) {
             p.resource("service")["schema"]["fields"][5]["name"] = "registry_id";
             p.replace("services.csv", "x_id\n", "registry_id\n");
         },
         "neither an HSDS field"},
        {"a value unlike its declared type", [](MiniPackage& p) { p.replace("services.csv", ",12\n", ",doce\n"); },
         "is not an integer"},
        {"a required field not declared required",
         [](MiniPackage& p) { p.resource("organization")["schema"]["fields"][1].erase("constraints"); },
         "the schema does not say required"},
    };
    int n = 0;
    for (const auto& breach : breaches) {
        CAPTURE(breach.what);
        MiniPackage p;
        breach.make(p);
        const auto problems = p.check(dir, "breach" + std::to_string(++n));
        INFO(nlohmann::json(problems).dump(1));
        CHECK(mentions(problems, breach.reported));
    }
}
