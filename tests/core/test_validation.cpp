// Every validation rule refuses the record with the field and the reason, and writes nothing.
#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

using namespace enlace;

namespace {

std::int64_t service_count(const core::Registry& registry) {
    core::ServiceQuery q;
    q.audience = core::Audience::authorised;
    q.statuses = {core::ServiceStatus::active, core::ServiceStatus::temporarily_closed, core::ServiceStatus::inactive,
                  core::ServiceStatus::defunct};
    return registry.count(q);
}

/// Puts the service, expects a refusal, and returns the refused fields; checks nothing was written.
std::vector<core::validation_issue> refusal(core::Registry& registry, core::Service s) {
    const auto before = service_count(registry);
    const auto history_before = registry.history(core::RecordKind::service, 1).size();
    try {
        registry.put(std::move(s));
    } catch (const core::validation_error& e) {
        REQUIRE(service_count(registry) == before);
        REQUIRE(registry.history(core::RecordKind::service, 1).size() == history_before);
        REQUIRE_FALSE(e.issues().empty());
        for (const auto& issue : e.issues())
            REQUIRE_FALSE(issue.reason.empty());
        return e.issues();
    }
    FAIL("the record was accepted");
    return {};
}

bool names(const std::vector<core::validation_issue>& issues, const std::string& field, const std::string& words = "") {
    for (const auto& issue : issues)
        if (issue.field == field && issue.reason.find(words) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("a valid service is stored, and each invalid variant is refused naming field and reason") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto valid = test::service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "PGN");
    REQUIRE(registry.put(valid).outcome == core::WriteOutcome::created);

    SECTION("unknown country") {
        auto s = valid;
        s.country = "FR";
        REQUIRE(names(refusal(registry, s), "country", "unknown country 'FR'"));
    }
    SECTION("unknown service type") {
        auto s = valid;
        s.types = {"PRO.AUTHORITY", "XYZ.FOO"};
        REQUIRE(names(refusal(registry, s), "types[1]", "XYZ.FOO"));
    }
    SECTION("no service type") {
        auto s = valid;
        s.types.clear();
        REQUIRE(names(refusal(registry, s), "types"));
    }
    SECTION("latitude and longitude out of range, and not numbers") {
        auto s = valid;
        s.site->point = {-190.0, 91.0};
        const auto issues = refusal(registry, s);
        REQUIRE(names(issues, "location.lon", "between -180 and 180"));
        REQUIRE(names(issues, "location.lat", "between -90 and 90"));
        s.site->point = {std::nan(""), 14.0};
        REQUIRE(names(refusal(registry, s), "location.lon"));
    }
    SECTION("a point outside its country's box, with the country it falls in") {
        auto s = valid;
        s.site->point = {-87.19, 14.07}; // Tegucigalpa, filed under Guatemala
        REQUIRE(names(refusal(registry, s), "location", "falls in HN"));
    }
    SECTION("latitude and longitude swapped") {
        auto s = valid;
        s.site->point = {14.63, -90.51};
        REQUIRE(names(refusal(registry, s), "location.lat"));
        auto t = test::service_at(10.0, -84.0, "CR"); // (lat, lon) of a Costa Rican point as (lon, lat)
        REQUIRE(names(refusal(registry, t), "location", "swapped"));
    }
    SECTION("missing name, country, and site or area") {
        core::Service s;
        s.types = {"LEG.AID"};
        const auto issues = refusal(registry, s);
        REQUIRE(names(issues, "name", "required"));
        REQUIRE(names(issues, "country", "required"));
        REQUIRE(names(issues, "location", "service_area"));
    }
    SECTION("inverted and impossible age ranges") {
        auto s = valid;
        s.age = {17, 5};
        REQUIRE(names(refusal(registry, s), "age", "greater than max"));
        s.age = {-1, 200};
        const auto issues = refusal(registry, s);
        REQUIRE(names(issues, "age.min"));
        REQUIRE(names(issues, "age.max"));
    }
    SECTION("malformed opening hours") {
        auto s = valid;
        s.hours = core::OpeningHours{"Mars/Olympus", false, {}, {{"2026-12-31", "2026-12-24", {}}}};
        const auto issues = refusal(registry, s);
        REQUIRE(names(issues, "hours.timezone", "Mars/Olympus"));
        REQUIRE(names(issues, "hours.weekly"));
        REQUIRE(names(issues, "hours.closures[0].to", "before"));
    }
    SECTION("unknown population, bad language tag, bad gender, bad date, bad e-mail") {
        auto s = valid;
        s.populations = {"adults"};
        s.languages = {"spanish language"};
        s.gender = "other";
        s.last_verified = "2026-02-30";
        s.contacts = {{core::ContactKind::email, "not-an-address", {}, false}};
        const auto issues = refusal(registry, s);
        REQUIRE(names(issues, "populations[0]", "adults"));
        REQUIRE(names(issues, "languages[0]"));
        REQUIRE(names(issues, "gender"));
        REQUIRE(names(issues, "last_verified"));
        REQUIRE(names(issues, "contacts[0].value", "e-mail"));
    }
    SECTION("unknown actor and unknown service-area country") {
        auto s = valid;
        s.actor_key = core::RecordKey{"demo", "nobody"};
        s.site.reset();
        s.area.countries = {"ZZ"};
        const auto issues = refusal(registry, s);
        REQUIRE(names(issues, "actor", "nobody"));
        REQUIRE(names(issues, "service_area.countries[0]", "ZZ"));
    }
    SECTION("source and source_id go together") {
        auto s = valid;
        s.source = "import";
        REQUIRE(names(refusal(registry, s), "source_id"));
    }
}

TEST_CASE("malformed JSON fields are named by their path, and the whole record is refused") {
    const auto doc = nlohmann::json::parse(R"({
        "name": {"es": 5}, "types": "LEG", "country": "GT",
        "location": {"lon": "west", "precision": "street"},
        "hours": {"weekly": [{"days": ["mo", "funday"], "opens": "8am", "closes": "25:00"}]},
        "age": {"min": "ten"}, "status": "open", "visibility": "secret", "contacts": [{"kind": "fax", "value": ""}]
    })");
    try {
        core::service_from_json(doc);
        FAIL("accepted");
    } catch (const core::validation_error& e) {
        std::set<std::string> fields;
        for (const auto& issue : e.issues())
            fields.insert(issue.field);
        for (const char* field : {"name.es", "types", "location.lon", "location.lat", "location.precision",
                                  "hours.weekly[0].days", "hours.weekly[0].opens", "hours.weekly[0].closes", "age.min",
                                  "status", "visibility", "contacts[0].kind", "contacts[0].value"})
            CHECK(fields.count(field) == 1);
    }
}

TEST_CASE("a dataset with one bad record writes nothing and reports the record's position") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    auto good = core::to_json(test::service_at(-90.51, 14.63));
    auto bad = core::to_json(test::service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY"));
    bad["location"]["lat"] = 95;
    const nlohmann::json dataset{{"source", "focal-point"}, {"services", {good, good, bad, good}}};
    try {
        registry.load_dataset(dataset.dump());
        FAIL("accepted");
    } catch (const core::validation_error& e) {
        REQUIRE(names(e.issues(), "services[2].location.lat"));
    }
    REQUIRE(service_count(registry) == 0);
}

TEST_CASE("points are checked against country outlines, with a tolerance for simplified coasts and borders") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    REQUIRE_FALSE(test::reference().country("GT")->outline.empty());

    // Tapachula is inside Guatemala's bounding box but about 20 km into Mexico.
    auto tapachula = test::service_at(-92.26, 14.91, "GT");
    REQUIRE(names(refusal(registry, tapachula), "location", "falls in MX"));
    tapachula.country = "MX";
    REQUIRE(registry.put(tapachula).outcome == core::WriteOutcome::created);

    // A port on the Caribbean coast, and a point a few kilometres offshore, are accepted.
    REQUIRE_NOTHROW(registry.put(test::service_at(-88.59, 15.73, "GT", "LEG.AID", "Puerto Barrios")));
    REQUIRE_NOTHROW(registry.put(test::service_at(-88.50, 15.78, "GT", "LEG.AID", "Frente a la costa")));
    // Far out at sea is not.
    REQUIRE(names(refusal(registry, test::service_at(-88.0, 16.5, "GT")), "location", "outside GT's outline"));

    // The US outline is split at the antimeridian: Attu (west of 180°) and Adak (east of it) are in.
    REQUIRE_NOTHROW(registry.put(test::service_at(173.2, 52.85, "US", "LEG.AID", "Attu")));
    REQUIRE_NOTHROW(registry.put(test::service_at(-176.65, 51.87, "US", "LEG.AID", "Adak")));
}

TEST_CASE("a registry keeps its countries' outlines across reopening") {
    test::ScratchDir dir;
    { auto registry = test::make_registry(dir); }
    auto reopened = core::Registry::open(dir.registry(), core::Registry::mode::read_only);
    const auto* guatemala = reopened.reference().country("GT");
    REQUIRE(guatemala);
    REQUIRE(guatemala->outline.size() == test::reference().country("GT")->outline.size());
    REQUIRE(core::geodesy::contains(guatemala->outline, {-90.51, 14.63}));
    REQUIRE_FALSE(core::geodesy::contains(guatemala->outline, {-89.22, 13.69})); // San Salvador
}
