// The OGC API collection `countries` through the pure handler over a real demo registry.
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <set>

using enlace::test::body;
using enlace::test::DemoHandler;
using nlohmann::json;

namespace {

std::int64_t active_public(const enlace::core::Registry& registry, const std::string& country) {
    enlace::core::ServiceQuery q;
    q.countries = {country};
    q.statuses = {enlace::core::ServiceStatus::active};
    return registry.count(q);
}

} // namespace

TEST_CASE("collections list services and countries, each with an extent") {
    DemoHandler h;
    const auto doc = body(h.get("/ogcapi/collections"));
    REQUIRE(doc["collections"].size() == 2);
    CHECK(doc["collections"][0]["id"] == "services");
    const auto& countries = doc["collections"][1];
    CHECK(countries["id"] == "countries");
    CHECK(countries["itemType"] == "feature");
    CHECK(countries["extent"]["spatial"]["bbox"][0] == json{-180.0, 5.42, 180.0, 83.22});
    CHECK(body(h.get("/ogcapi/collections/countries"))["id"] == "countries");
}

TEST_CASE("countries items are the member countries with outlines (or boxes) and public active service counts") {
    DemoHandler h;
    const auto r = h.get("/ogcapi/collections/countries/items?limit=100&lang=en");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/geo+json");
    const auto doc = body(r);
    CHECK(doc["type"] == "FeatureCollection");
    CHECK(doc["numberMatched"] == 11);
    REQUIRE(doc["numberReturned"] == 11);
    std::int64_t total = 0;
    for (const auto& f : doc["features"]) {
        const auto alpha2 = f["properties"]["alpha2"].get<std::string>();
        INFO(alpha2);
        CHECK(f["id"] == alpha2);
        CHECK(f["properties"]["alpha3"].get<std::string>().size() == 3);
        CHECK(f["properties"]["name"].is_string());
        CHECK(f["properties"]["services"] == active_public(h.registry, alpha2));
        total += f["properties"]["services"].get<std::int64_t>();
        const auto* country = h.registry.reference().country(alpha2);
        REQUIRE(country);
        if (!country->outline.empty()) { // the reference data's outline, as a MultiPolygon
            REQUIRE(f["geometry"]["type"] == "MultiPolygon");
            CHECK(f["geometry"]["coordinates"].size() == country->outline.size());
        } else if (alpha2 == "US") {
            REQUIRE(f["geometry"]["type"] == "MultiPolygon");
            CHECK(f["geometry"]["coordinates"].size() == 2);
            CHECK(f["geometry"]["coordinates"][0][0][1] == json{180.0, country->bbox.south});
            CHECK(f["geometry"]["coordinates"][1][0][0] == json{-180.0, country->bbox.south});
        } else {
            REQUIRE(f["geometry"]["type"] == "Polygon");
            const auto& ring = f["geometry"]["coordinates"][0];
            CHECK(ring.size() == 5);
            CHECK(ring[0] == ring[4]);
            CHECK(ring[0] == json{country->bbox.west, country->bbox.south});
            CHECK(ring[2] == json{country->bbox.east, country->bbox.north});
        }
    }
    CHECK(total > 0);
    const auto gt = body(h.get("/ogcapi/collections/countries/items/GT?lang=en"));
    CHECK(gt["properties"]["name"] == "Guatemala");
    CHECK(gt["properties"]["alpha3"] == "GTM");
}

TEST_CASE("countries items page through absolute next links") {
    DemoHandler h;
    std::set<std::string> seen;
    std::string target = "/ogcapi/collections/countries/items?limit=4";
    for (int page = 0; page < 10 && !target.empty(); ++page) {
        const auto doc = body(h.get(target));
        for (const auto& f : doc["features"])
            CHECK(seen.insert(f["id"].get<std::string>()).second);
        target.clear();
        for (const auto& l : doc["links"])
            if (l["rel"] == "next")
                target = l["href"].get<std::string>().substr(std::string("http://example.test:8080").size());
    }
    CHECK(seen.size() == 11);
}

TEST_CASE("countries errors: unknown feature 404, bad cursor and parameters 400") {
    DemoHandler h;
    CHECK(h.get("/ogcapi/collections/countries/items/XX").status == 404);
    CHECK(h.get("/ogcapi/collections/nothing/items").status == 404);
    CHECK(body(h.get("/ogcapi/collections/countries/items?cursor=abc"))["parameter"] == "cursor");
    CHECK(body(h.get("/ogcapi/collections/countries/items?limit=0"))["parameter"] == "limit");
    CHECK(body(h.get("/ogcapi/collections/countries/items?country=GT"))["parameter"] == "country");
    CHECK(h.get("/ogcapi/collections/countries/items?limit=5000").status == 200); // clamped
}
