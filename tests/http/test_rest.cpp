// The REST API through the pure handler over a real demo registry (no socket).
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using enlace::test::body;
using enlace::test::DemoHandler;

TEST_CASE("healthz answers ok as JSON") {
    DemoHandler h;
    const auto r = h.get("/healthz");
    CHECK(r.status == 200);
    CHECK(r.content_type == "application/json");
    CHECK(body(r)["status"] == "ok");
}

TEST_CASE("services list has items, next_cursor and available_here") {
    DemoHandler h;
    const auto r = h.get("/api/v1/services?country=SV,GT&limit=3");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/json");
    const auto doc = body(r);
    CHECK(doc["items"].size() == 3);
    CHECK(doc["next_cursor"].is_string());
    CHECK(doc["available_here"].is_array());
    for (const auto& item : doc["items"]) CHECK((item["country"] == "SV" || item["country"] == "GT"));
    CHECK(r.header("Cache-Control") == "public, max-age=60");

    const auto next = h.get("/api/v1/services?country=SV,GT&limit=3&cursor=" + doc["next_cursor"].get<std::string>());
    REQUIRE(next.status == 200);
    CHECK(body(next)["items"][0]["id"] != doc["items"][0]["id"]);
}

TEST_CASE("services near a point list the services without a site that cover it, with their total") {
    DemoHandler h;
    // Tapachula, Mexico: the demo's two country-wide lines both cover Mexico, only one Guatemala.
    auto doc = body(h.get("/api/v1/services?lat=14.9&lon=-92.26&k=5"));
    CHECK(doc["available_here_total"] == 2);
    CHECK(doc["available_here"].size() == 2);
    doc = body(h.get("/api/v1/services?lat=14.63&lon=-90.51&k=5&f=geojson"));
    CHECK(doc["available_here_total"] == 1);
    REQUIRE(doc["available_here"].size() == 1);
    CHECK(doc["available_here"][0]["source_id"] == "rcrc-rfl-route-calls");
}

TEST_CASE("services near a point carry distance_m in order, and are never cached") {
    DemoHandler h;
    const auto r = h.get("/api/v1/services?lat=14.9&lon=-92.26&k=5&lang=en");
    REQUIRE(r.status == 200);
    CHECK(r.header("Cache-Control") == "no-store");
    const auto items = body(r)["items"];
    REQUIRE(items.size() == 5);
    for (std::size_t i = 1; i < items.size(); ++i) CHECK(items[i - 1]["distance_m"] <= items[i]["distance_m"]);
    CHECK(items[0]["name"].is_string());  // resolved by lang
    CHECK(items[0]["resolved_language"]["name"]["language"] == "en");
}

TEST_CASE("places sit at their services' own points; a place of shelters only is approximate") {
    DemoHandler h;
    const auto places = body(h.get("/api/v1/places"))["places"];
    const auto shelters = body(h.get("/api/v1/services?type=REC.SHORTSTAY&limit=100"))["items"];
    REQUIRE_FALSE(places.empty());
    for (const auto& place : places) {
        INFO(place.dump());
        CHECK(place["approximate"].is_boolean());
        if (place["approximate"] == true) continue;
        // A place that has an open (not sensitive) service is never at a shelter's coarsened point.
        for (const auto& s : shelters)
            CHECK_FALSE((place["lon"] == s["location"]["lon"] && place["lat"] == s["location"]["lat"]));
    }
    // Tapachula has only the DIF shelter in the demo: at its public point, marked approximate.
    const auto tapachula =
        std::find_if(places.begin(), places.end(), [](const auto& p) { return p["name"] == "Tapachula"; });
    REQUIRE(tapachula != places.end());
    CHECK((*tapachula)["approximate"] == true);
}

TEST_CASE("services as GeoJSON by f=geojson and by Accept") {
    DemoHandler h;
    for (const auto& r : {h.get("/api/v1/services?f=geojson&limit=4"),
                          h.get("/api/v1/services?limit=4", "application/geo+json")}) {
        REQUIRE(r.status == 200);
        CHECK(r.content_type == "application/geo+json");
        const auto doc = body(r);
        CHECK(doc["type"] == "FeatureCollection");
        REQUIRE(doc["features"].size() == 4);
        const auto& f = doc["features"][0];
        CHECK(f["id"].is_number_integer());
        CHECK(f["geometry"]["type"] == "Point");
        CHECK_FALSE(f["properties"].contains("location"));
        CHECK(f["properties"]["types"].is_array());
    }
}

TEST_CASE("one service by id, and 404 problem+json for an unknown id") {
    DemoHandler h;
    const auto r = h.get("/api/v1/services/1");
    REQUIRE(r.status == 200);
    CHECK(body(r)["id"] == 1);
    for (const auto* target : {"/api/v1/services/999999", "/api/v1/services/abc", "/api/v1/nothing"}) {
        const auto missing = h.get(target);
        CHECK(missing.status == 404);
        CHECK(missing.content_type == "application/problem+json");
        CHECK(body(missing)["status"] == 404);
    }
}

TEST_CASE("taxonomy, countries and stats") {
    DemoHandler h;
    CHECK(body(h.get("/api/v1/taxonomy"))["items"].size() > 10);
    CHECK(body(h.get("/api/v1/countries"))["items"].size() == 11);
    const auto stats = h.get("/api/v1/stats");
    REQUIRE(stats.status == 200);
    CHECK(body(stats)["cells"].size() > 0);
}

TEST_CASE("an unknown parameter is a 400 problem naming it") {
    DemoHandler h;
    for (const auto* target : {"/api/v1/services?contry=SV", "/api/v1/taxonomy?contry=SV", "/ogcapi/collections?contry=SV",
                               "/ogcapi/collections/services/items?contry=SV"}) {
        const auto r = h.get(target);
        CHECK(r.status == 400);
        CHECK(r.content_type == "application/problem+json");
        CHECK(body(r)["parameter"] == "contry");
    }
}

TEST_CASE("bad values are 400 problems naming the parameter") {
    DemoHandler h;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/api/v1/services?lat=abc&lon=-90", "lat"},       {"/api/v1/services?lat=95&lon=-90", "lat"},
        {"/api/v1/services?lat=14&lon=-90&k=0", "k"},      {"/api/v1/services?bbox=1,2,3", "bbox"},
        {"/api/v1/services?country=XX", "country"},        {"/api/v1/services?type=NOPE", "type"},
        {"/api/v1/services?limit=20000", "limit"},         {"/api/v1/services?f=xml", "f"},
        {"/api/v1/services?q=%zz", "q"},                   {"/api/v1/services?country=SV&country=GT", "country"},
        {"/ogcapi/collections/services/items?lat=abc&lon=1", "lat"}};
    for (const auto& [target, parameter] : cases) {
        INFO(target);
        const auto r = h.get(target);
        CHECK(r.status == 400);
        CHECK(body(r)["parameter"] == parameter);
    }
    CHECK(h.get("/api/v1/services?lat=abc&lon=-90").header("Cache-Control") == "no-store");
}

TEST_CASE("only GET, HEAD and OPTIONS are served") {
    DemoHandler h;
    const auto r = h.get("/api/v1/services", {}, "POST");
    CHECK(r.status == 405);
    CHECK(r.header("Allow") == "GET, HEAD, OPTIONS");
}

TEST_CASE("sensitive shelters are coarsened in REST answers") {
    DemoHandler h;
    const auto shelters = enlace::test::exact_shelters(h.registry);
    REQUIRE(shelters.size() >= 3);
    const auto lists = {h.get("/api/v1/services?type=REC.SHORTSTAY&limit=100"),
                        h.get("/api/v1/services?type=REC.SHORTSTAY&limit=100&f=geojson"),
                        h.get("/api/v1/services?limit=100"), h.get("/api/v1/services?lat=15&lon=-90&k=50"),
                        h.get("/api/v1/places")};
    for (const auto& shelter : shelters) {
        const auto exact = shelter.site->point;
        const auto one = h.get("/api/v1/services/" + std::to_string(shelter.id));
        REQUIRE(one.status == 200);
        CHECK(body(one)["location"]["coarsened"] == true);
        CHECK_FALSE(enlace::test::holds_point(body(one), exact.lon, exact.lat));
        for (const auto& r : lists) CHECK_FALSE(enlace::test::holds_point(body(r), exact.lon, exact.lat));
    }
}
