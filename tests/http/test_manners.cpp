// HTTP manners through the pure handler: ETag and 304, Cache-Control, HEAD, CORS and its
// preflight, 406 for an Accept nothing matches, 414 for an overlong target.
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

using enlace::test::body;
using enlace::test::DemoHandler;
using enlace::test::make_request;

TEST_CASE("reads carry a strong ETag and public caching, positions are never cached") {
    DemoHandler h;
    const auto r = h.get("/api/v1/services?country=GT");
    REQUIRE(r.status == 200);
    const auto etag = r.header("ETag");
    CHECK(etag.size() == 18);
    CHECK(etag.front() == '"');
    CHECK(etag.back() == '"');
    CHECK(r.header("Cache-Control") == "public, max-age=60");
    CHECK(h.get("/api/v1/services?country=GT").header("ETag") == etag); // the same body, the same tag
    CHECK(h.get("/api/v1/services?country=SV").header("ETag") != etag);

    const auto near = h.get("/api/v1/services?lat=14.6&lon=-90.5&k=3");
    CHECK(near.header("Cache-Control") == "no-store");
    CHECK(h.get("/ogcapi/collections/services/items?lat=14.6&lon=-90.5").header("Cache-Control") == "no-store");
    CHECK(h.get("/api/v1/nothing").header("Cache-Control").empty());
}

TEST_CASE("If-None-Match with the current ETag gives 304 with an empty body") {
    DemoHandler h;
    const auto first = h.get("/ogcapi/collections/countries/items");
    REQUIRE(first.status == 200);
    const auto etag = first.header("ETag");
    for (const auto& value : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
        INFO(value);
        for (const auto* method : {"GET", "HEAD"}) {
            auto request = make_request(method, "/ogcapi/collections/countries/items");
            request.if_none_match = value;
            const auto r = h.send(request);
            CHECK(r.status == 304);
            CHECK(r.body.empty());
            CHECK(r.header("ETag") == etag);
            CHECK(r.header("Cache-Control") == "public, max-age=60");
        }
    }
    auto stale = make_request("GET", "/ogcapi/collections/countries/items");
    stale.if_none_match = "\"0000000000000000\"";
    CHECK(h.send(stale).status == 200);
}

TEST_CASE("HEAD answers with the GET headers") {
    DemoHandler h;
    const auto get = h.get("/api/v1/actors?country=MX");
    const auto head = h.get("/api/v1/actors?country=MX", {}, "HEAD");
    CHECK(head.status == 200);
    CHECK(head.content_type == get.content_type);
    CHECK(head.header("ETag") == get.header("ETag"));
    CHECK(head.body.size() == get.body.size()); // the server sends its length, not the bytes
}

TEST_CASE("CORS echoes a listed origin with Vary, and preflight is answered") {
    DemoHandler h;
    h.config.cors_origin = "https://a.example, https://b.example";
    auto request = make_request("GET", "/api/v1/services");
    request.origin = "https://b.example";
    auto r = h.send(request);
    CHECK(r.header("Access-Control-Allow-Origin") == "https://b.example");
    // Every API answer may differ with a token too (docs/security.md), and with its coding.
    CHECK(r.header("Vary") == "Accept-Encoding, Origin, Authorization");
    request.origin = "https://evil.example";
    r = h.send(request);
    CHECK(r.header("Access-Control-Allow-Origin").empty());
    CHECK(r.header("Vary") == "Accept-Encoding, Origin, Authorization");

    auto preflight = make_request("OPTIONS", "/api/v1/services?country=GT");
    preflight.origin = "https://a.example";
    preflight.access_control_request_method = "GET";
    r = h.send(preflight);
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    CHECK(r.header("Access-Control-Allow-Origin") == "https://a.example");
    CHECK(r.header("Access-Control-Allow-Methods") == "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    CHECK(r.header("Access-Control-Allow-Headers").find("If-None-Match") != std::string::npos);
    CHECK(r.header("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
    CHECK(r.header("Vary") == "Origin");

    preflight.origin = "https://evil.example";
    r = h.send(preflight);
    CHECK(r.status == 204);
    CHECK(r.header("Access-Control-Allow-Origin").empty());
    CHECK(r.header("Access-Control-Allow-Methods").empty());

    h.config.cors_origin = "*";
    request.origin = "https://anyone.example";
    r = h.send(request);
    CHECK(r.header("Access-Control-Allow-Origin") == "*");
    CHECK(r.header("Vary") == "Accept-Encoding, Authorization"); // no Origin: the same for every origin
}

TEST_CASE("without --cors-origin no CORS header is sent, and OPTIONS gives Allow") {
    DemoHandler h;
    auto preflight = make_request("OPTIONS", "/api/v1/services");
    preflight.origin = "https://a.example";
    const auto r = h.send(preflight);
    CHECK(r.status == 204);
    CHECK(r.header("Allow") == "GET, HEAD, OPTIONS");
    CHECK(r.header("Access-Control-Allow-Origin").empty());
    auto get = make_request("GET", "/healthz");
    get.origin = "https://a.example";
    CHECK(h.send(get).header("Access-Control-Allow-Origin").empty());
}

TEST_CASE("406 when Accept excludes every type the endpoint produces") {
    DemoHandler h;
    const auto r = h.get("/api/v1/services", "text/csv");
    CHECK(r.status == 406);
    CHECK(r.content_type == "application/problem+json");
    CHECK(body(r)["status"] == 406);
    CHECK(h.get("/ogcapi/collections/services/items", "text/html").status == 406);
    CHECK(h.get("/api/v1/services", "application/json;q=0, text/csv").status == 406);

    for (const auto* accept : {"*/*", "application/*", "application/json", "text/html, application/json;q=0.9",
                               "application/geo+json", "APPLICATION/JSON"})
        CHECK(h.get("/api/v1/services", accept).status == 200);
    CHECK(h.get("/ogcapi/collections/services/items", "application/json").status == 200); // GeoJSON is JSON
    CHECK(h.get("/ogcapi/api.html", "text/html").status == 200);
    CHECK(h.get("/api/v1/nothing", "text/csv").status == 404); // errors are sent as they are
}

TEST_CASE("a request target over 4096 bytes is 414, and other methods 405") {
    DemoHandler h;
    const auto r = h.get("/api/v1/services?q=" + std::string(5000, 'a'));
    CHECK(r.status == 414);
    CHECK(r.content_type == "application/problem+json");
    CHECK(h.get("/api/v1/services?lang=" + std::string(4000, 'a')).status == 200);
    // A method the resource does not take: 405 naming those it does (writes: tests/http/test_write_api.cpp).
    const auto on_collection = h.get("/api/v1/services", {}, "DELETE");
    CHECK(on_collection.status == 405);
    CHECK(on_collection.header("Allow") == "GET, HEAD, POST, OPTIONS");
    const auto on_reference = h.get("/api/v1/taxonomy", {}, "POST");
    CHECK(on_reference.status == 405);
    CHECK(on_reference.header("Allow") == "GET, HEAD, OPTIONS");
    CHECK(h.get("/api/v1/services", {}, "BREW").status == 405);
}
