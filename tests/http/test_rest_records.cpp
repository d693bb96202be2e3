// The REST API's actors and practices through the pure handler over a real demo registry.
#include "demo_handler.hpp"

#include "enlace/core/errors.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using enlace::test::body;
using enlace::test::DemoHandler;
using nlohmann::json;

namespace {

/// Every id of a list endpoint, following next_cursor with pages of `limit`.
std::vector<std::int64_t> all_ids(DemoHandler& h, const std::string& target, int limit) {
    std::vector<std::int64_t> ids;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
        const auto sep = target.find('?') == std::string::npos ? "?" : "&";
        const auto r =
            h.get(target + sep + "limit=" + std::to_string(limit) + (cursor.empty() ? "" : "&cursor=" + cursor));
        REQUIRE(r.status == 200);
        const auto doc = body(r);
        for (const auto& item : doc["items"])
            ids.push_back(item["id"].get<std::int64_t>());
        if (doc["next_cursor"].is_null()) return ids;
        cursor = doc["next_cursor"].get<std::string>();
    }
    FAIL("paging did not end");
    return ids;
}

} // namespace

TEST_CASE("actors list filtered by country and actor type, paged by cursor without repeats") {
    DemoHandler h;
    const auto r = h.get("/api/v1/actors?country=GT");
    REQUIRE(r.status == 200);
    const auto doc = body(r);
    REQUIRE(doc["items"].size() >= 2);
    for (const auto& item : doc["items"]) {
        const auto countries = item["countries"].get<std::vector<std::string>>();
        CHECK(std::find(countries.begin(), countries.end(), "GT") != countries.end());
    }
    CHECK(doc["next_cursor"].is_null());

    // The document is kept: a loop over body(...)["items"] would walk a destroyed temporary.
    const auto ngos = body(h.get("/api/v1/actors?type=ngo"));
    REQUIRE_FALSE(ngos["items"].empty());
    for (const auto& item : ngos["items"])
        CHECK(item["actor_type"] == "NGO");

    const auto paged = all_ids(h, "/api/v1/actors", 5);
    CHECK(paged.size() == 32);
    CHECK(std::set<std::int64_t>(paged.begin(), paged.end()).size() == paged.size());
}

TEST_CASE("actors by text, one actor by id with lang resolving name") {
    DemoHandler h;
    const auto list = body(h.get("/api/v1/actors?q=humanos"));
    REQUIRE(list["items"].size() >= 1);
    const auto id = list["items"][0]["id"].get<std::int64_t>();
    const auto one = h.get("/api/v1/actors/" + std::to_string(id) + "?lang=en");
    REQUIRE(one.status == 200);
    const auto doc = body(one);
    CHECK(doc["id"] == id);
    CHECK(doc["name"].is_string());
    CHECK(doc["resolved_language"]["name"]["language"] == "en");
    CHECK(body(h.get("/api/v1/actors/" + std::to_string(id)))["name"].is_object()); // all languages without lang
    CHECK(h.get("/api/v1/actors/999999").status == 404);
}

TEST_CASE("practices filtered by country, axis, type, q and year") {
    DemoHandler h;
    const auto mx = body(h.get("/api/v1/practices?country=MX"));
    CHECK(mx["items"].size() == 4); // three in MX and one regional practice naming MX
    const auto axis5 = body(h.get("/api/v1/practices?axis=5"));
    REQUIRE_FALSE(axis5["items"].empty());
    for (const auto& item : axis5["items"]) {
        const auto axes = item["axes"].get<std::vector<int>>();
        CHECK(std::find(axes.begin(), axes.end(), 5) != axes.end());
    }
    CHECK(body(h.get("/api/v1/practices?axis=5"))["items"].size() == 2);
    CHECK(body(h.get("/api/v1/practices?type=REC"))["items"].size() >= 4); // a family includes its children
    CHECK(body(h.get("/api/v1/practices?type=PRO.GUARDIAN"))["items"].size() == 1);
    CHECK(h.get("/api/v1/practices?year=2024").status == 200);
    const auto lang = body(h.get("/api/v1/practices?country=PA&lang=en"));
    REQUIRE(lang["items"].size() == 2); // one in PA and the regional one
    CHECK(lang["items"][0]["title"].is_string());
    CHECK(lang["items"][0]["resolved_language"]["title"]["language"] == "en");
    CHECK(all_ids(h, "/api/v1/practices", 5).size() == 12);
}

TEST_CASE("a practice that is not published is invisible to the public") {
    DemoHandler h;
    auto draft = *h.registry.practice(1, enlace::core::Audience::authorised);
    draft.id = 0;
    draft.source_id = "draft-copy";
    draft.review_status = enlace::core::ReviewStatus::draft;
    const auto id = h.registry.put(draft).id;
    CHECK(h.get("/api/v1/practices/1").status == 200);
    const auto hidden = h.get("/api/v1/practices/" + std::to_string(id));
    CHECK(hidden.status == 404);
    CHECK(hidden.content_type == "application/problem+json");
    const auto published = body(h.get("/api/v1/practices?limit=100"));
    REQUIRE_FALSE(published["items"].empty());
    for (const auto& item : published["items"])
        CHECK(item["id"] != id);
}

TEST_CASE("bad actor and practice parameters are 400 problems naming them") {
    DemoHandler h;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/api/v1/actors?country=XX", "country"},    {"/api/v1/actors?type=NOPE", "type"},
        {"/api/v1/actors?limit=0", "limit"},         {"/api/v1/actors?limit=20000", "limit"},
        {"/api/v1/actors?cursor=zzz", "cursor"},     {"/api/v1/actors?axis=1", "axis"},
        {"/api/v1/practices?axis=6", "axis"},        {"/api/v1/practices?axis=x", "axis"},
        {"/api/v1/practices?year=abc", "year"},      {"/api/v1/practices?type=NOPE", "type"},
        {"/api/v1/practices?country=XX", "country"}, {"/api/v1/practices/1?f=json", "f"}};
    for (const auto& [target, parameter] : cases) {
        INFO(target);
        const auto r = h.get(target);
        CHECK(r.status == 400);
        CHECK(body(r)["parameter"] == parameter);
    }
    CHECK(h.get("/api/v1/practices/abc").status == 404);
}
