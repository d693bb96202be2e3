// OGC API - Features through the pure handler over a real demo registry (no socket).
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <set>

using enlace::test::body;
using enlace::test::DemoHandler;
using nlohmann::json;

namespace {

json link_rel(const json& doc, const std::string& rel) {
    for (const auto& l : doc["links"])
        if (l["rel"] == rel) return l;
    return nullptr;
}

std::string path_of(const std::string& href) {
    const std::string origin = "http://example.test:8080";
    REQUIRE(href.rfind(origin, 0) == 0); // absolute, from the Host header
    return href.substr(origin.size());
}

std::int64_t public_count(const enlace::core::Registry& registry) {
    return registry.count(enlace::core::ServiceQuery{});
}

} // namespace

TEST_CASE("OGC landing page links to the API, docs, conformance and data, absolutely") {
    DemoHandler h;
    for (const auto* target : {"/ogcapi", "/ogcapi/"}) {
        const auto r = h.get(target);
        REQUIRE(r.status == 200);
        CHECK(r.content_type == "application/json");
        const auto doc = body(r);
        CHECK(link_rel(doc, "self")["href"] == "http://example.test:8080/ogcapi");
        CHECK(link_rel(doc, "service-desc")["href"] == "http://example.test:8080/ogcapi/api");
        CHECK(link_rel(doc, "service-desc")["type"] == "application/vnd.oai.openapi+json;version=3.0");
        CHECK(link_rel(doc, "service-doc")["type"] == "text/html");
        CHECK(link_rel(doc, "conformance")["href"] == "http://example.test:8080/ogcapi/conformance");
        CHECK(link_rel(doc, "data")["href"] == "http://example.test:8080/ogcapi/collections");
    }
    CHECK(h.get("/ogcapi/api.html").status == 200);
}

TEST_CASE("OGC links use the public URL when one is configured") {
    DemoHandler h;
    h.config.public_url = "https://enlace.example.org/";
    CHECK(link_rel(body(h.get("/ogcapi")), "data")["href"] == "https://enlace.example.org/ogcapi/collections");
}

TEST_CASE("OGC conformance declares core, geojson and oas30") {
    DemoHandler h;
    const auto classes = body(h.get("/ogcapi/conformance"))["conformsTo"];
    const std::string base = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/";
    CHECK(classes == json{base + "core", base + "geojson", base + "oas30"});
}

TEST_CASE("OGC collections list services with its extent and items link") {
    DemoHandler h;
    const auto r = h.get("/ogcapi/collections");
    REQUIRE(r.status == 200);
    const auto doc = body(r);
    REQUIRE(doc["collections"].size() == 2); // services, countries
    const auto& c = doc["collections"][0];
    CHECK(c["id"] == "services");
    CHECK(c["itemType"] == "feature");
    const auto extent = h.registry.extent({});
    REQUIRE(extent);
    CHECK(c["extent"]["spatial"]["bbox"][0] == json{extent->west, extent->south, extent->east, extent->north});
    CHECK(link_rel(c, "items")["type"] == "application/geo+json");
    CHECK(body(h.get("/ogcapi/collections/services")) == c);
    CHECK(h.get("/ogcapi/collections/actors").status == 404);
}

TEST_CASE("OGC OpenAPI document declares the items parameters GDAL reads") {
    DemoHandler h;
    const auto r = h.get("/ogcapi/api");
    REQUIRE(r.status == 200);
    const auto doc = body(r);
    CHECK(doc["openapi"].get<std::string>().rfind("3.0", 0) == 0);
    const auto params = doc["paths"]["/collections/services/items"]["get"]["parameters"];
    std::set<std::string> names;
    for (const auto& p : params) {
        if (p.contains("$ref")) {
            CHECK(p["$ref"] == "#/components/parameters/limit");
            continue;
        }
        CHECK(p["in"] == "query");
        names.insert(p["name"]);
    }
    for (const auto* name : {"country", "type", "bbox", "cursor", "lat", "lon", "radius_km", "k"})
        CHECK(names.count(name));
    const auto limit = doc["components"]["parameters"]["limit"];
    CHECK(limit["schema"]["default"] == 10);
    CHECK(limit["schema"]["maximum"] == 1000);
}

TEST_CASE("OGC items: GeoJSON with counts, integer ids and flat properties") {
    DemoHandler h;
    const auto r = h.get("/ogcapi/collections/services/items");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/geo+json");
    const auto doc = body(r);
    CHECK(doc["type"] == "FeatureCollection");
    CHECK(doc["numberReturned"] == 10);
    CHECK(doc["features"].size() == 10);
    CHECK(doc["numberMatched"] == public_count(h.registry));
    CHECK(doc["timeStamp"].is_string());
    CHECK(link_rel(doc, "self")["type"] == "application/geo+json");
    for (const auto& f : doc["features"]) {
        CHECK(f["id"].is_number_integer());
        CHECK(f["properties"]["country"].get<std::string>().size() == 2);
        CHECK(f["properties"]["name"].is_string());
        CHECK(f["properties"]["types"].is_string());
        for (const auto& [key, value] : f["properties"].items()) {
            INFO(key);
            CHECK((value.is_string() || value.is_number() || value.is_null()));
        }
    }
}

TEST_CASE("OGC next links are absolute and visit every feature once") {
    DemoHandler h;
    std::set<std::int64_t> seen;
    std::size_t pages = 0;
    std::string target = "/ogcapi/collections/services/items?limit=7&country=MX,GT,SV,HN";
    const auto expected = h.registry.count([] {
        enlace::core::ServiceQuery q;
        q.countries = {"MX", "GT", "SV", "HN"};
        return q;
    }());
    while (!target.empty()) {
        REQUIRE(++pages < 50);
        const auto doc = body(h.get(target));
        CHECK(doc["numberMatched"] == expected);
        for (const auto& f : doc["features"])
            CHECK(seen.insert(f["id"].get<std::int64_t>()).second);
        const auto next = link_rel(doc, "next");
        target = next.is_null() ? std::string{} : path_of(next["href"]);
    }
    CHECK(static_cast<std::int64_t>(seen.size()) == expected);
    CHECK(pages == static_cast<std::size_t>((expected + 6) / 7));
}

TEST_CASE("OGC limit over the maximum is clamped, not refused") {
    DemoHandler h;
    const auto r = h.get("/ogcapi/collections/services/items?limit=5000");
    REQUIRE(r.status == 200);
    const auto doc = body(r);
    CHECK(doc["numberReturned"] == public_count(h.registry));
    CHECK(path_of(link_rel(doc, "self")["href"]).find("limit=1000") != std::string::npos);
}

TEST_CASE("OGC items near a point: vendor parameters, distance and no-store") {
    DemoHandler h;
    const auto r = h.get("/ogcapi/collections/services/items?lat=14.9&lon=-92.26&k=3");
    REQUIRE(r.status == 200);
    CHECK(r.header("Cache-Control") == "no-store");
    const auto doc = body(r);
    CHECK(doc["numberReturned"] == 3);
    CHECK(doc["numberMatched"] == 3);
    CHECK(doc["features"][0]["properties"]["distance_m"].is_number());
    // datetime is a Part 1 parameter of items (it was refused with 400 here once): a bad value still is.
    const auto bad = h.get("/ogcapi/collections/services/items?datetime=yesterday");
    CHECK(bad.status == 400);
    CHECK(body(bad)["parameter"] == "datetime");
}

TEST_CASE("OGC features carry any text exactly: quotes, backslashes, control characters, accents") {
    DemoHandler h;
    auto s = enlace::test::service_at(-90.51, 14.63, "GT", "LEG.AID", "Casa \"La Niña\" \\ norte\n\t\x01 ñ 中");
    s.address.locality = "Ciudad de Guatemala\r";
    s.age = {5, std::nullopt};
    const auto id = h.registry.put(s).id;
    const auto r = h.get("/ogcapi/collections/services/items/" + std::to_string(id));
    REQUIRE(r.status == 200);
    const auto doc = body(r); // parses: the text is valid JSON
    CHECK(doc["properties"]["name"] == s.name.at("es"));
    CHECK(doc["properties"]["locality"] == "Ciudad de Guatemala\r");
    CHECK(doc["properties"]["age_min"] == 5);
    CHECK(doc["properties"]["age_max"].is_null());
    CHECK(doc["geometry"]["coordinates"][0] == -90.51);
    CHECK(doc["geometry"]["coordinates"][1] == 14.63);
    CHECK(doc["links"].size() == 2);
    const auto page = body(h.get("/ogcapi/collections/services/items?bbox=-90.52,14.62,-90.50,14.64&limit=100"));
    bool found = false;
    for (const auto& f : page["features"])
        found = found || (f["id"] == id && f["properties"]["name"] == s.name.at("es"));
    CHECK(found);
}

TEST_CASE("OGC one feature by id, and 404 for an unknown feature") {
    DemoHandler h;
    const auto r = h.get("/ogcapi/collections/services/items/1");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/geo+json");
    CHECK(body(r)["id"] == 1);
    CHECK(h.get("/ogcapi/collections/services/items/999999").status == 404);
    CHECK(h.get("/ogcapi/collections/services/items/x").status == 404);
}

TEST_CASE("sensitive shelters are coarsened in OGC answers") {
    DemoHandler h;
    const auto shelters = enlace::test::exact_shelters(h.registry);
    REQUIRE(shelters.size() >= 3);
    const auto all = body(h.get("/ogcapi/collections/services/items?limit=1000"));
    const auto near = body(h.get("/ogcapi/collections/services/items?lat=15&lon=-90&k=100&limit=100"));
    for (const auto& shelter : shelters) {
        const auto exact = shelter.site->point;
        CHECK_FALSE(enlace::test::holds_point(all, exact.lon, exact.lat));
        CHECK_FALSE(enlace::test::holds_point(near, exact.lon, exact.lat));
        const auto one = body(h.get("/ogcapi/collections/services/items/" + std::to_string(shelter.id)));
        CHECK_FALSE(enlace::test::holds_point(one, exact.lon, exact.lat));
        CHECK(one["properties"]["location_precision"] == "approximate");
    }
}
