// The filters the README promises on every interface, over REST and OGC API items, on real-shaped
// records: status, dates, gender, own country versus availability, datetime, and what a public
// practice may name.
#include "demo_handler.hpp"

#include "enlace/core/registry.hpp"

#include <catch2/catch.hpp>

#include <set>

using enlace::test::body;
using enlace::test::DemoHandler;
using nlohmann::json;

namespace {

struct FieldHandler : DemoHandler {
    FieldHandler() { add_field_records(); }

    std::int64_t id(const std::string& source_id) {
        const auto found = registry.find_service_id({"field-test", source_id});
        REQUIRE(found);
        return *found;
    }

    /// The ids a REST list answers (every page of up to 10000).
    std::set<std::int64_t> ids(const std::string& query) {
        const auto r = get("/api/v1/services?limit=10000&" + query);
        INFO(query << ": " << r.body);
        REQUIRE(r.status == 200);
        std::set<std::int64_t> out;
        const auto doc = body(r); // kept: a loop over body(r)[...] would read a destroyed temporary
        for (const auto& item : doc["items"])
            out.insert(item["id"].get<std::int64_t>());
        return out;
    }

    /// The ids OGC API items answer.
    std::set<std::int64_t> ogc_ids(const std::string& query) {
        const auto r = get("/ogcapi/collections/services/items?limit=1000&" + query);
        INFO(query << ": " << r.body);
        REQUIRE(r.status == 200);
        std::set<std::int64_t> out;
        const auto doc = body(r);
        for (const auto& f : doc["features"])
            out.insert(f["id"].get<std::int64_t>());
        return out;
    }

    /// The parameter a 400 names.
    std::string refused(const std::string& target) {
        const auto r = get(target);
        INFO(target << ": " << r.body);
        REQUIRE(r.status == 400);
        return body(r)["parameter"].get<std::string>();
    }
};

} // namespace

TEST_CASE("REST takes status, updated_since, verified_since and verified_before") {
    FieldHandler h;
    const auto frontline = h.id("sv-frontline");  // temporarily closed, last verified 2024-03-10
    const auto legal = h.id("gt-legal-aid");      // active, verified 2026-11-03
    const auto mexican_line = h.id("mx-hotline"); // verified 2025-01-15

    CHECK(h.ids("status=temporarily_closed").count(frontline) == 1);
    CHECK(h.ids("status=temporarily_closed").count(legal) == 0);
    CHECK(h.ids("status=active,temporarily_closed").count(legal) == 1);
    CHECK(h.ids("status=inactive").empty());
    CHECK(h.refused("/api/v1/services?status=closed") == "status");

    const auto due = h.ids("verified_before=2025-06-01&country=SV,MX");
    CHECK(due.count(frontline) == 1);
    CHECK(due.count(mexican_line) == 1);
    CHECK(due.count(legal) == 0);
    CHECK(h.ids("verified_since=2026-11-01").count(legal) == 1);
    CHECK(h.ids("verified_since=2026-11-01").count(frontline) == 0);
    CHECK(h.refused("/api/v1/services?verified_before=last-year") == "verified_before");

    // Everything was written today: since a date in the past finds them, since tomorrow none.
    CHECK(h.ids("updated_since=2020-01-01").count(legal) == 1);
    CHECK(h.ids("updated_since=2999-01-01").empty());
    CHECK(h.refused("/api/v1/services?updated_since=soon") == "updated_since");

    // The export takes the same filters.
    const auto r = h.get("/api/v1/export?format=csv&status=temporarily_closed&country=SV");
    REQUIRE(r.status == 200);
    CHECK(r.body.find("Ahuachap") != std::string::npos);
}

TEST_CASE("gender filters by the child's gender: services for it or for any") {
    FieldHandler h;
    const auto shelter = h.id("gt-gbv-shelter"); // female only
    const auto legal = h.id("gt-legal-aid");     // any
    CHECK(h.ids("gender=female&country=GT").count(shelter) == 1);
    CHECK(h.ids("gender=female&country=GT").count(legal) == 1);
    CHECK(h.ids("gender=male&country=GT").count(shelter) == 0);
    CHECK(h.ids("gender=male&country=GT").count(legal) == 1);
    CHECK(h.refused("/api/v1/services?gender=girl") == "gender");
    // Near a point too, where the index answers and the record decides.
    const auto near = h.get("/api/v1/services?lat=14.84&lon=-91.52&k=5&gender=male");
    REQUIRE(near.status == 200);
    const auto doc = body(near);
    for (const auto& item : doc["items"])
        CHECK(item["gender"] != "female");
}

TEST_CASE("country is the service's own, available_in adds the hotlines serving it") {
    FieldHandler h;
    const auto mexican_line = h.id("mx-hotline"); // Mexico's, its area covers GT and MX
    const auto gt_line = h.id("gt-hotline");
    CHECK(h.ids("country=GT").count(mexican_line) == 0);
    CHECK(h.ids("country=GT").count(gt_line) == 1);
    CHECK(h.ids("country=MX").count(mexican_line) == 1);
    CHECK(h.ids("available_in=GT").count(mexican_line) == 1);
    CHECK(h.ids("available_in=GT").count(gt_line) == 1);
    CHECK(h.ids("available_in=SV").count(mexican_line) == 0);
    CHECK(h.ogc_ids("country=GT").count(mexican_line) == 0);
    CHECK(h.ogc_ids("available_in=GT").count(mexican_line) == 1);
    CHECK(h.refused("/api/v1/services?available_in=ZZ") == "available_in");
}

TEST_CASE("OGC items take datetime on the last change, instant or interval") {
    FieldHandler h;
    const auto all = h.ogc_ids("");
    REQUIRE(all.size() > 5);
    CHECK(h.ogc_ids("datetime=2020-01-01T00:00:00Z/..") == all);
    CHECK(h.ogc_ids("datetime=../2999-12-31") == all);
    CHECK(h.ogc_ids("datetime=2020-01-01/2999-12-31") == all);
    CHECK(h.ogc_ids("datetime=2999-01-01/..").empty());
    CHECK(h.ogc_ids("datetime=../2020-01-01").empty());
    CHECK(h.ogc_ids("datetime=2020-01-01T00:00:00Z").empty());
    // An instant of a date is the whole day: the day the records were written finds them.
    const auto written =
        body(h.get("/ogcapi/collections/services/items?limit=1"))["features"][0]["properties"]["updated_at"]
            .get<std::string>();
    CHECK_FALSE(h.ogc_ids("datetime=" + written.substr(0, 10)).empty());
    CHECK_FALSE(h.ogc_ids("datetime=" + written).empty()); // and the very second
    for (const char* bad : {"yesterday", "2026-02-30", "2026-01-01/2025-01-01", "../..", "..", "a/b/c"})
        CHECK(h.refused(std::string("/ogcapi/collections/services/items?datetime=") + bad) == "datetime");
}

TEST_CASE("OGC features say which records are illustrative") {
    FieldHandler h;
    const auto legal = h.id("gt-legal-aid");
    const auto r = h.get("/ogcapi/collections/services/items?limit=1000");
    REQUIRE(r.status == 200);
    int illustrative = 0, real = 0;
    const auto doc = body(r);
    for (const auto& f : doc["features"]) {
        const auto& value = f["properties"]["illustrative"];
        REQUIRE(value.is_number_integer());
        (value == 1 ? illustrative : real) += 1;
        if (f["id"] == legal) CHECK(value == 0);
    }
    CHECK(illustrative > 30); // the demo
    CHECK(real >= 4);         // the field records the public sees
}

TEST_CASE("a six-number bbox is read with its heights, and a misplaced height is named") {
    FieldHandler h;
    const auto four = h.ogc_ids("bbox=-92,14,-90,15");
    REQUIRE_FALSE(four.empty());
    CHECK(h.ogc_ids("bbox=-92,14,-100,-90,15,100") == four);
    const auto r = h.get("/ogcapi/collections/services/items?bbox=-92,14,-90,15,0,100");
    REQUIRE(r.status == 400);
    CHECK(body(r)["detail"].get<std::string>().find("min height") != std::string::npos);
    const auto swapped = h.get("/ogcapi/collections/services/items?bbox=-92,15,-90,14");
    REQUIRE(swapped.status == 400);
    CHECK(body(swapped)["detail"].get<std::string>().find("south (15)") != std::string::npos);
}

TEST_CASE("a public practice names no service the public may not see") {
    FieldHandler h;
    const auto restricted = h.id("gt-casework-restricted");
    const auto legal = h.id("gt-legal-aid");
    enlace::core::PracticeQuery q;
    q.text = "asesoria legal gratuita";
    q.audience = enlace::core::Audience::authorised;
    const auto page = h.registry.find(q);
    REQUIRE(page.items.size() == 1);
    const auto& stored = page.items[0];
    REQUIRE(std::count(stored.service_ids.begin(), stored.service_ids.end(), restricted) == 1);

    const auto one = h.get("/api/v1/practices/" + std::to_string(stored.id));
    REQUIRE(one.status == 200);
    const auto services = body(one)["services"];
    CHECK(std::count(services.begin(), services.end(), restricted) == 0);
    CHECK(std::count(services.begin(), services.end(), legal) == 1);
    const auto list = h.get("/api/v1/practices?q=asesoria");
    REQUIRE(list.status == 200);
    const auto practices = body(list);
    for (const auto& p : practices["items"])
        CHECK(std::count(p["services"].begin(), p["services"].end(), restricted) == 0);
    CHECK(one.body.find("\"" + std::to_string(restricted) + "\"") == std::string::npos);

    // The authorised reading keeps the link: nothing stored was lost.
    const auto authorised = h.registry.practice(stored.id, enlace::core::Audience::authorised);
    REQUIRE(authorised);
    CHECK(std::count(authorised->service_ids.begin(), authorised->service_ids.end(), restricted) == 1);
}
