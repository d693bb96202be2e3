// The web map's offline copy of a country (GET /api/v1/countries/{country}/bundle): the public
// view only, whoever asks, with what the page needs to search without a network.
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using enlace::test::body;
using enlace::test::DemoHandler;
using nlohmann::json;

namespace {

std::set<std::string> source_ids(const json& items) {
    std::set<std::string> out;
    for (const auto& item : items)
        if (item.contains("source_id")) out.insert(item["source_id"].get<std::string>());
    return out;
}

} // namespace

TEST_CASE("a country's bundle holds its public services, the lines that cover it, its actors and practices") {
    DemoHandler h;
    h.add_field_records();
    const auto r = h.get("/api/v1/countries/GT/bundle");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/json");
    const auto doc = body(r);
    CHECK(doc["country"] == "GT");
    CHECK(doc["generated_at"].get<std::string>().size() == 20);
    CHECK(doc["revision"].get<std::int64_t>() == h.registry.revision());
    CHECK(r.header("Enlace-Revision") == std::to_string(h.registry.revision()));

    // The same services the REST list gives the public for available_in=GT, in the same form.
    const auto listed = body(h.get("/api/v1/services?available_in=GT&limit=10000"));
    CHECK(doc["services"].size() == listed["items"].size());
    CHECK(doc["services"] == listed["items"]);
    const auto ids = source_ids(doc["services"]);
    CHECK(ids.count("gt-hotline") == 1);
    CHECK(ids.count("mx-hotline") == 1); // a neighbour's line whose service area covers GT
    CHECK(ids.count("gt-legal-aid") == 1);
    CHECK(ids.count("sv-frontline") == 0);
    for (const auto& s : doc["services"]) {
        const bool here = s["country"] == "GT" ||
                          std::find(s["service_area"]["countries"].begin(), s["service_area"]["countries"].end(),
                                    "GT") != s["service_area"]["countries"].end();
        CHECK(here);
    }
    // Every organisation of those services is there, a Mexican one included.
    std::set<std::int64_t> actors;
    for (const auto& a : doc["actors"])
        actors.insert(a["id"].get<std::int64_t>());
    for (const auto& s : doc["services"])
        if (s.contains("actor_id") && s["actor_id"].is_number()) CHECK(actors.count(s["actor_id"].get<std::int64_t>()));
    for (const auto& p : doc["practices"])
        CHECK(std::find(p["countries"].begin(), p["countries"].end(), "GT") != p["countries"].end());
    CHECK_FALSE(doc["practices"].empty());
    CHECK(doc["taxonomy"].size() == body(h.get("/api/v1/taxonomy"))["items"].size());
    CHECK(doc["countries"].size() == 11);
    REQUIRE_FALSE(doc["places"].empty());
    for (const auto& p : doc["places"])
        CHECK(p["country"] == "GT");
}

TEST_CASE("a bundle never holds a restricted service or the exact point of a sensitive site, token or not") {
    DemoHandler h;
    h.add_field_records();
    const auto token =
        "Bearer " +
        h.registry.add_user(enlace::core::Caller::holder("test"), "ana", enlace::core::Role::editor, {"GT"}).token;
    for (const bool signed_in : {false, true}) {
        INFO("signed in: " << signed_in);
        auto request = enlace::test::make_request("GET", "/api/v1/countries/gt/bundle");
        if (signed_in) request.authorization = token;
        const auto r = h.send(request);
        REQUIRE(r.status == 200);
        if (signed_in) CHECK(r.header("Cache-Control") == "private, no-store");
        const auto doc = body(r);
        const auto ids = source_ids(doc["services"]);
        CHECK(ids.count("gt-casework-restricted") == 0);
        REQUIRE(ids.count("gt-gbv-shelter") == 1);
        for (const auto& s : doc["services"])
            if (s["source_id"] == "gt-gbv-shelter") CHECK(s["location"]["coarsened"] == true);
        CHECK_FALSE(enlace::test::holds_point(doc, -91.51803, 14.83472)); // the shelter's site
        CHECK_FALSE(enlace::test::holds_point(doc, -90.51327, 14.64072)); // the restricted service's
        for (const auto& shelter : enlace::test::exact_shelters(h.registry))
            CHECK_FALSE(enlace::test::holds_point(doc, shelter.site->point.lon, shelter.site->point.lat));
    }
}

TEST_CASE("a bundle's ETag follows the registry's revision: a current copy gets a 304, a change a new tag") {
    DemoHandler h;
    const auto first = h.get("/api/v1/countries/GT/bundle");
    REQUIRE(first.status == 200);
    const auto tag = first.header("ETag");
    REQUIRE_FALSE(tag.empty());
    CHECK(first.header("Cache-Control") == "public, max-age=60");

    auto again = enlace::test::make_request("GET", "/api/v1/countries/GT/bundle");
    again.if_none_match = "W/" + tag; // as a browser holds the gzipped answer's tag
    auto r = h.send(again);
    CHECK(r.status == 304);
    CHECK(r.body.empty());

    h.registry.load_dataset(enlace::test::test_data("field_records.json"));
    r = h.send(again);
    CHECK(r.status == 200);
    CHECK(r.header("ETag") != tag);
    CHECK(h.get("/api/v1/countries/SV/bundle").header("ETag") != r.header("ETag"));
}

TEST_CASE("a bundle of an unknown country is a 404 naming the parameter, and a bundle takes no query parameter") {
    DemoHandler h;
    for (const auto* target : {"/api/v1/countries/ZZ/bundle", "/api/v1/countries/GTM/bundle"}) {
        INFO(target);
        const auto r = h.get(target);
        CHECK(r.status == 404);
        CHECK(body(r)["detail"].get<std::string>().find("country must be") != std::string::npos);
    }
    CHECK(h.get("/api/v1/countries/GT/bundle?lang=en").status == 400);
    CHECK(h.get("/api/v1/countries/GT/other").status == 404);
    CHECK(h.get("/api/v1/countries/GT/bundle", {}, "POST").status == 405);
}
