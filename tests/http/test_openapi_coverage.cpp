// The OpenAPI documents against the handler: every route the router answers is described, every
// described path answers, and the parameters each endpoint accepts are exactly those declared.
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <set>

using enlace::test::body;
using enlace::test::DemoHandler;
using nlohmann::json;

namespace {

/// A concrete target for a described path ("{id}" -> 1, "{featureId}" -> 1 or GT; a Plan's cell
/// -> action 1.1.1 in GT, confirmed).
std::string instantiate(const std::string& prefix, const std::string& path) {
    const bool countries = path.find("/countries/") != std::string::npos;
    std::string concrete = path;
    if (path.find("/plan/") != std::string::npos) {
        concrete = std::regex_replace(concrete, std::regex("\\{action\\}"), "1.1.1");
        concrete = std::regex_replace(concrete, std::regex("\\{country\\}"), "GT");
        concrete = std::regex_replace(concrete, std::regex("\\{step\\}"), "confirm");
    }
    return prefix + std::regex_replace(concrete, std::regex("\\{[A-Za-z]+\\}"), countries ? "GT" : "1");
}

std::set<std::string> query_names(const json& operation, const json& doc) {
    std::set<std::string> names;
    for (auto p : operation["parameters"]) {
        if (p.contains("$ref")) p = doc["components"]["parameters"][p["$ref"].get<std::string>().substr(24)];
        if (p["in"] == "query") names.insert(p["name"].get<std::string>());
    }
    return names;
}

/// The demo handler with a compiler's token on every request: the write and review routes need
/// one, and a compiler reads every record.
struct SignedIn : DemoHandler {
    std::string token =
        "Bearer " +
        registry.add_user(enlace::core::Caller::holder("test"), "iom", enlace::core::Role::compiler, {}).token;
    // Report 1, for the routes of one report.
    std::int64_t report = registry.file_report(enlace::core::Caller::anyone(), 1, {"moved", ""});
    // As `enlace serve` does before it listens, so that /readyz answers 200.
    bool indexed = (registry.prepare_index(), true);
    enlace::http::Response get(const std::string& target, const std::string& method = "GET") {
        auto request = enlace::test::make_request(method, target);
        request.authorization = token;
        return send(request);
    }
};

/// True when the handler refuses `name` on `target` as a parameter it does not declare.
bool refused(SignedIn& h, const std::string& target, const std::string& name) {
    const auto r = h.get(target + "?" + name + "=1");
    if (r.status != 400) return false;
    const auto problem = body(r);
    return problem["parameter"] == name &&
           problem["detail"].get<std::string>().find("is not a parameter") != std::string::npos;
}

void check_parameters(SignedIn& h, const json& doc, const std::string& prefix) {
    std::set<std::string> universe = {"foo", "page", "offset", "sort", "datetime", "filter", "crs"};
    for (const auto& [path, item] : doc["paths"].items())
        if (item.contains("get"))
            for (const auto& n : query_names(item["get"], doc))
                universe.insert(n);
    for (const auto& [path, item] : doc["paths"].items()) {
        if (!item.contains("get")) continue; // writes: their parameters are in tests/http/test_write_api.cpp
        const auto target = instantiate(prefix, path);
        const auto declared = query_names(item["get"], doc);
        for (const auto& name : universe) {
            INFO(target << " ? " << name);
            CHECK(refused(h, target, name) == (declared.count(name) == 0));
        }
    }
}

} // namespace

TEST_CASE("REST openapi.json is an OpenAPI 3.0 document of every route the router answers") {
    SignedIn h;
    const auto r = h.get("/api/openapi.json");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/vnd.oai.openapi+json;version=3.0");
    const auto doc = body(r);
    CHECK(doc["openapi"] == "3.0.3");
    CHECK(doc["servers"][0]["url"] == "http://example.test:8080");

    // The router's routes outside /ogcapi (handler.cpp), each with a target it answers.
    const std::vector<std::pair<std::string, std::string>> routes = {
        {"/healthz", "/healthz"},
        {"/readyz", "/readyz"},
        {"/api/openapi.json", "/api/openapi.json"},
        {"/api/v1/services", "/api/v1/services"},
        {"/api/v1/services/{id}", "/api/v1/services/1"},
        {"/api/v1/taxonomy", "/api/v1/taxonomy"},
        {"/api/v1/countries", "/api/v1/countries"},
        {"/api/v1/countries/{country}/bundle", "/api/v1/countries/GT/bundle"},
        {"/api/v1/stats", "/api/v1/stats"},
        {"/api/v1/export", "/api/v1/export"},
        {"/api/v1/report", "/api/v1/report"},
        {"/api/v1/places", "/api/v1/places"},
        {"/api/v1/actors", "/api/v1/actors"},
        {"/api/v1/actors/{id}", "/api/v1/actors/1"},
        {"/api/v1/practices", "/api/v1/practices"},
        {"/api/v1/practices/{id}", "/api/v1/practices/1"},
        {"/api/v1/review", "/api/v1/review"},
        {"/api/v1/me", "/api/v1/me"},
        {"/api/v1/stale", "/api/v1/stale"},
        {"/tiles/services/{z}/{x}/{y}.mvt", "/tiles/services/3/2/3.mvt"},
        {"/tiles/services.json", "/tiles/services.json"},
        {"/api/v1/reports", "/api/v1/reports"},
        {"/api/v1/reports/{id}", "/api/v1/reports/1"},
        {"/api/v1/plan", "/api/v1/plan"},
        {"/api/v1/plan/history", "/api/v1/plan/history"},
        {"/api/v1/plan/entries", "/api/v1/plan/entries"},
        {"/api/v1/plan/entries/{action}/{country}", "/api/v1/plan/entries/1.1.1/GT"},
        {"/api/v1/plan/entries/{action}/{country}/history", "/api/v1/plan/entries/1.1.1/GT/history"},
    };
    for (const auto& [path, target] : routes) {
        INFO(path);
        CHECK(doc["paths"].contains(path));
        CHECK(h.get(target).status == 200);
    }
    // The write and review routes of each kind (reads among them answer GET).
    std::size_t write_paths = 0;
    for (const auto* kind : {"services", "actors", "practices"}) {
        const std::string root = std::string("/api/v1/") + kind;
        for (const auto& path : {root + "/{id}/history", root + "/{id}/{action}"}) {
            INFO(path);
            CHECK(doc["paths"].contains(path));
            ++write_paths;
        }
        CHECK(doc["paths"][root].contains("post"));
        for (const auto* method : {"put", "patch", "delete"})
            CHECK(doc["paths"][root + "/{id}"].contains(method));
        if (std::string(kind) != "actors") {
            CHECK(doc["paths"].contains(root + "/{id}/revisions"));
            CHECK(doc["paths"].contains(root + "/{id}/revisions/{revision}/{decision}"));
            write_paths += 2;
        }
    }
    // Problem reports: filed on a service, decided by editors.
    for (const auto* path : {"/api/v1/services/{id}/reports", "/api/v1/reports/{id}/{decision}"}) {
        INFO(path);
        CHECK(doc["paths"][path].contains("post"));
        ++write_paths;
    }
    // The Plan: a cell is proposed by PUT on its own path, confirmed and noted by POST.
    CHECK(doc["paths"]["/api/v1/plan/entries/{action}/{country}"].contains("put"));
    CHECK(doc["paths"]["/api/v1/plan/entries/{action}/{country}/{step}"].contains("post"));
    ++write_paths;
    CHECK(doc["paths"].size() == routes.size() + write_paths);
    for (const auto& [path, item] : doc["paths"].items()) {
        INFO(path);
        if (!item.contains("get")) {
            // A POST-only route is routed (its answer here is a state error), never 405 or "no resource".
            const auto r = h.get(std::regex_replace(instantiate("", path), std::regex("/1$"), "/submit"), "POST");
            CHECK(r.status != 405);
            CHECK(r.body.find("no resource at") == std::string::npos);
            continue;
        }
        CHECK(h.get(instantiate("", path)).status == 200);
        CHECK(item["get"]["responses"].contains("200"));
    }
    for (const auto* unrouted : {"/api/v1", "/api/v2/services", "/api/v1/services/1/extra", "/api/openapi",
                                 "/tiles/services/1/1/1.png", "/tiles/services/1/1", "/tiles/other/1/1/1.mvt"})
        CHECK(h.get(unrouted).status == 404);
}

TEST_CASE("REST endpoints accept exactly the query parameters openapi.json declares") {
    SignedIn h;
    check_parameters(h, body(h.get("/api/openapi.json")), "");
}

TEST_CASE("OGC endpoints accept exactly the query parameters the OGC API document declares") {
    SignedIn h;
    const auto doc = body(h.get("/ogcapi/api"));
    check_parameters(h, doc, "/ogcapi");
    for (const auto& [path, item] : doc["paths"].items()) {
        INFO(path);
        CHECK(h.get(instantiate("/ogcapi", path)).status == 200);
    }
}
