// The REST API through the pure handler over a real demo registry (no socket).
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
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
    for (const auto& item : doc["items"])
        CHECK((item["country"] == "SV" || item["country"] == "GT"));
    CHECK(r.header("Cache-Control") == "public, max-age=60");

    const auto next = h.get("/api/v1/services?country=SV,GT&limit=3&cursor=" + doc["next_cursor"].get<std::string>());
    REQUIRE(next.status == 200);
    CHECK(body(next)["items"][0]["id"] != doc["items"][0]["id"]);
}

TEST_CASE("services near a point list the services without a site that cover it, with their total") {
    DemoHandler h;
    // Tapachula, Mexico: two of the demo's country-wide services cover Mexico (the family-links
    // calls and the OPI officers); in Guatemala City, the family-links calls and Guatemala's own
    // hotline (the demo's Honduran hotline covers Honduras only).
    auto doc = body(h.get("/api/v1/services?lat=14.9&lon=-92.26&k=5"));
    CHECK(doc["available_here_total"] == 2);
    CHECK(doc["available_here"].size() == 2);
    doc = body(h.get("/api/v1/services?lat=14.63&lon=-90.51&k=5&f=geojson"));
    CHECK(doc["available_here_total"] == 2);
    REQUIRE(doc["available_here"].size() == 2);
    CHECK(doc["available_here"][0]["source_id"] == "rcrc-rfl-route-calls");
    CHECK(doc["available_here"][1]["source_id"] == "gt-pgn-hotline");
    doc = body(h.get("/api/v1/services?lat=14.07&lon=-87.19&k=5"));
    CHECK(doc["available_here_total"] == 2);
    CHECK(doc["available_here"][1]["source_id"] == "hn-dinaf-hotline");
}

TEST_CASE("services near a point carry distance_m in order, and are never cached") {
    DemoHandler h;
    const auto r = h.get("/api/v1/services?lat=14.9&lon=-92.26&k=5&lang=en");
    REQUIRE(r.status == 200);
    CHECK(r.header("Cache-Control") == "no-store");
    const auto items = body(r)["items"];
    REQUIRE(items.size() == 5);
    for (std::size_t i = 1; i < items.size(); ++i)
        CHECK(items[i - 1]["distance_m"] <= items[i]["distance_m"]);
    CHECK(items[0]["name"].is_string()); // resolved by lang
    CHECK(items[0]["resolved_language"]["name"]["language"] == "en");
}

TEST_CASE("with_total gives the number of matches beside a page, for lists and for nearest pages") {
    DemoHandler h;
    const auto all = body(h.get("/api/v1/services?limit=500"))["items"].size();
    auto doc = body(h.get("/api/v1/services?limit=5&with_total=true"));
    CHECK(doc["items"].size() == 5);
    CHECK(doc["total"] == all);
    CHECK(doc["next_cursor"].is_string());
    CHECK_FALSE(body(h.get("/api/v1/services?limit=5"))["total"].is_number()); // only when asked
    CHECK_FALSE(body(h.get("/api/v1/services?limit=5&with_total=false"))["total"].is_number());
    const auto guatemala = body(h.get("/api/v1/services?country=GT&limit=500"))["items"].size();
    CHECK(body(h.get("/api/v1/services?country=GT&limit=2&with_total=true&f=geojson"))["total"] == guatemala);
    // Near a point within a radius: every match within it; with k, at most k.
    const std::string near = "/api/v1/services?lat=14.63&lon=-90.51&radius_km=300";
    const auto ring = body(h.get(near + "&limit=500"))["items"].size();
    REQUIRE(ring > 3);
    CHECK(body(h.get(near + "&limit=2&with_total=true"))["total"] == ring);
    CHECK(body(h.get("/api/v1/services?lat=14.63&lon=-90.51&k=3&with_total=true"))["total"] == 3);
    const auto bad = h.get("/api/v1/services?with_total=1");
    CHECK(bad.status == 400);
    CHECK(body(bad)["parameter"] == "with_total");
}

TEST_CASE("a nearest page says which countries hold the point") {
    DemoHandler h;
    const auto countries = [&](const std::string& where) {
        return body(h.get("/api/v1/services?k=1&" + where))["point_countries"];
    };
    CHECK(countries("lat=14.63&lon=-90.51") == nlohmann::json{"GT"});
    CHECK(countries("lat=14.9&lon=-92.26&f=geojson") == nlohmann::json{"MX"});
    CHECK(countries("lat=5&lon=-100") == nlohmann::json::array()); // at sea
    CHECK_FALSE(body(h.get("/api/v1/services?limit=1")).contains("point_countries"));
}

TEST_CASE("view=map gives every match in a light form: id, name, types and the public location") {
    DemoHandler h;
    const auto full = h.get("/api/v1/services?limit=500&f=geojson&lang=en");
    const auto map = h.get("/api/v1/services?limit=500&f=geojson&view=map&lang=en");
    REQUIRE(map.status == 200);
    CHECK(map.content_type == "application/geo+json");
    const auto features = body(map)["features"];
    const auto full_features = body(full)["features"];
    REQUIRE(features.size() == full_features.size());
    CHECK(map.body.size() * 4 < full.body.size());
    for (std::size_t i = 0; i < features.size(); ++i) {
        const auto& f = features[i];
        const auto& g = full_features[i];
        INFO(f.dump());
        CHECK(f["id"] == g["id"]);
        CHECK(f["geometry"] == g["geometry"]);
        CHECK(f["properties"]["name"] == g["properties"]["name"]);
        CHECK(f["properties"]["types"] == g["properties"]["types"]);
        std::set<std::string> keys;
        for (const auto& [key, value] : f["properties"].items())
            keys.insert(key);
        if (f["geometry"].is_null())
            CHECK(keys == std::set<std::string>{"name", "types"});
        else
            CHECK(keys == std::set<std::string>{"name", "types", "precision", "coarsened"});
    }
    // A shelter is at its coarsened public point, said to be coarsened.
    const auto shelters = body(h.get("/api/v1/services?type=REC.SHORTSTAY&view=map&limit=50"))["items"];
    REQUIRE(shelters.size() >= 3);
    for (const auto& s : shelters) {
        CHECK(s["location"]["coarsened"] == true);
        CHECK(s["location"]["precision"] == "approximate");
        CHECK(s.size() == 4); // id, name, types, location
    }
    CHECK(h.get("/api/v1/services?view=tiny").status == 400);
}

TEST_CASE("places sit at their services' own points, a place of shelters only is approximate") {
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
    for (const auto& r :
         {h.get("/api/v1/services?f=geojson&limit=4"), h.get("/api/v1/services?limit=4", "application/geo+json")}) {
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
    for (const auto* target : {"/api/v1/services?contry=SV", "/api/v1/taxonomy?contry=SV",
                               "/ogcapi/collections?contry=SV", "/ogcapi/collections/services/items?contry=SV"}) {
        const auto r = h.get(target);
        CHECK(r.status == 400);
        CHECK(r.content_type == "application/problem+json");
        CHECK(body(r)["parameter"] == "contry");
    }
}

TEST_CASE("bad values are 400 problems naming the parameter") {
    DemoHandler h;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/api/v1/services?lat=abc&lon=-90", "lat"},
        {"/api/v1/services?lat=95&lon=-90", "lat"},
        {"/api/v1/services?lat=14&lon=-90&k=0", "k"},
        {"/api/v1/services?bbox=1,2,3", "bbox"},
        {"/api/v1/services?country=XX", "country"},
        {"/api/v1/services?type=NOPE", "type"},
        {"/api/v1/services?limit=20000", "limit"},
        {"/api/v1/services?f=xml", "f"},
        {"/api/v1/services?q=%zz", "q"},
        {"/api/v1/services?country=SV&country=GT", "country"},
        {"/ogcapi/collections/services/items?lat=abc&lon=1", "lat"}};
    for (const auto& [target, parameter] : cases) {
        INFO(target);
        const auto r = h.get(target);
        CHECK(r.status == 400);
        CHECK(body(r)["parameter"] == parameter);
    }
    CHECK(h.get("/api/v1/services?lat=abc&lon=-90").header("Cache-Control") == "no-store");
}

TEST_CASE("the public reads, a write without a token is 401, a method a resource does not take 405") {
    DemoHandler h;
    const auto r = h.get("/api/v1/services", {}, "POST");
    CHECK(r.status == 401);
    CHECK(r.header("WWW-Authenticate").rfind("Bearer", 0) == 0);
    const auto put = h.get("/api/v1/stats", {}, "PUT");
    CHECK(put.status == 405);
    CHECK(put.header("Allow") == "GET, HEAD, OPTIONS");
}

TEST_CASE("sensitive shelters are coarsened in REST answers") {
    DemoHandler h;
    const auto shelters = enlace::test::exact_shelters(h.registry);
    REQUIRE(shelters.size() >= 3);
    const auto lists = {h.get("/api/v1/services?type=REC.SHORTSTAY&limit=100"),
                        h.get("/api/v1/services?type=REC.SHORTSTAY&limit=100&f=geojson"),
                        h.get("/api/v1/services?limit=100"),
                        h.get("/api/v1/services?lat=15&lon=-90&k=50"),
                        h.get("/api/v1/services?limit=100&view=map"),
                        h.get("/api/v1/services?limit=100&view=map&f=geojson"),
                        h.get("/api/v1/places")};
    for (const auto& shelter : shelters) {
        const auto exact = shelter.site->point;
        const auto one = h.get("/api/v1/services/" + std::to_string(shelter.id));
        REQUIRE(one.status == 200);
        CHECK(body(one)["location"]["coarsened"] == true);
        CHECK_FALSE(enlace::test::holds_point(body(one), exact.lon, exact.lat));
        for (const auto& r : lists)
            CHECK_FALSE(enlace::test::holds_point(body(r), exact.lon, exact.lat));
    }
}
