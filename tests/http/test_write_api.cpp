// The write and review API through the pure handler, with real accounts and tokens over a real
// registry: status codes and headers of each write, the read-only members a body cannot set, and
// the security matrix (every write and review endpoint x every kind of caller) as one table that
// fails when a cell is missing.
#include "demo_handler.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/http/auth_throttle.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <thread>

using enlace::test::body;
using enlace::test::DemoHandler;
using nlohmann::json;
namespace core = enlace::core;
namespace http = enlace::http;

namespace {

const core::Caller holder = core::Caller::holder("operator");

/// The demo registry with one user of each kind and their tokens.
struct Api : DemoHandler {
    std::map<std::string, std::string> tokens; // caller name -> Authorization header value

    Api() {
        const auto add = [&](const std::string& name, core::Role role, std::vector<std::string> countries) {
            tokens[name] = "Bearer " + registry.add_user(holder, name, role, countries).token;
        };
        add("viewer_gt", core::Role::viewer, {"GT"});
        add("editor_gt", core::Role::editor, {"GT"});
        add("editor_sv", core::Role::editor, {"SV"});
        add("reviewer_gt", core::Role::reviewer, {"GT"});
        add("reviewer_sv", core::Role::reviewer, {"SV"});
        add("compiler", core::Role::compiler, {});
        add("admin", core::Role::admin, {});
        add("expired", core::Role::editor, {"GT"});
        add("revoked", core::Role::editor, {"GT"});
        add("disabled", core::Role::editor, {"GT"});
        registry.revoke_tokens(holder, "revoked");
        registry.disable_user(holder, "disabled");
        enlace::test::run_sql(dir.registry(), "UPDATE tokens SET expires_at = '2020-01-01T00:00:00Z' WHERE user_id = "
                                              "(SELECT id FROM users WHERE name = 'expired')");
        tokens["none"] = "";
        tokens["garbage"] = "Bearer enl_1_notasecret";
    }

    http::Response call(const std::string& who, const std::string& method, const std::string& target,
                        const std::string& body_text = {}, const std::string& if_match = {},
                        const std::string& content_type = "application/json") {
        auto request = enlace::test::make_request(method, target);
        request.authorization = tokens.at(who);
        request.body = body_text;
        request.content_type = body_text.empty() ? std::string() : content_type;
        request.if_match = if_match;
        request.client = "192.0.2.1";
        return send(request);
    }

    /// A GT service as the holder writes it (published unless `restricted`), named uniquely.
    std::int64_t gt_service(const std::string& name, bool restricted = false) {
        const int n = ++m_serial;
        auto s = enlace::test::service_at(-90.5 + 0.0005 * (n / 100), 14.6 + 0.0005 * (n % 100), "GT", "PRO.AUTHORITY",
                                          name);
        if (restricted) s.visibility = core::Visibility::restricted;
        return registry.put(s).id;
    }

    core::Caller user(const std::string& name) { return registry.caller_of(name); }

    std::string version_of(core::RecordKind kind, std::int64_t id) {
        return "\"v" + std::to_string(registry.status(holder, kind, id).version) + "\"";
    }

    std::string whole_json(core::RecordKind kind, std::int64_t id) { return registry.shown(holder, kind, id)->json; }

    /// A new report, filed by the public on a new published GT service.
    std::int64_t gt_report() {
        return registry.file_report(core::Caller::anyone(), gt_service("Reportado"), {"closed", "Cerrado hace un mes"});
    }

    /// A demo actor of the country (the Plan's entities are actors of the registry).
    std::int64_t actor_of(const std::string& country) {
        core::ActorQuery q;
        q.countries = {country};
        return registry.find(q).items.at(0).id;
    }
    /// One of the Plan's actions, a different one each call (15 in the illustrative Plan).
    std::string next_action() {
        const auto plan = registry.plan(); // kept: actions() points into it
        const auto actions = plan->actions();
        return actions[static_cast<std::size_t>(m_plan_serial++) % actions.size()]->code;
    }
    /// The ETag of a Plan cell, or nothing for a cell never written.
    std::string plan_tag(const std::string& action, const std::string& country) {
        const auto version = registry.plan_entry(holder, action, country).version;
        return version > 0 ? "\"v" + std::to_string(version) + "\"" : std::string();
    }

    int m_serial = 0;
    int m_plan_serial = 0;
};

core::WriteOptions reviewed() {
    core::WriteOptions o;
    o.reviewed = true;
    return o;
}

} // namespace

TEST_CASE("a write without a token is 401 with WWW-Authenticate, and a bad token is refused on reads too", "[write]") {
    Api api;
    const auto r = api.call("none", "POST", "/api/v1/services", R"({"name":{"es":"x"}})");
    CHECK(r.status == 401);
    CHECK(r.header("WWW-Authenticate").rfind("Bearer", 0) == 0);
    CHECK(api.call("garbage", "GET", "/api/v1/services/1").status == 401);
    CHECK(api.call("expired", "GET", "/api/v1/me").status == 401);
    CHECK(api.call("none", "GET", "/api/v1/services/1").status == 200);
}

TEST_CASE("an editor creates a draft, changes it under If-Match, and a reviewer publishes it", "[write]") {
    Api api;
    const std::string create = R"({"name":{"es":"Defensoría móvil"},"types":["PRO.AUTHORITY"],"country":"GT",
                                   "location":{"lon":-91.5,"lat":15.1}})";
    const auto created = api.call("editor_gt", "POST", "/api/v1/services", create);
    REQUIRE(created.status == 201);
    CHECK(created.header("ETag") == "\"v1\"");
    CHECK_FALSE(created.header("Enlace-Revision").empty());
    const auto id = body(created)["id"].get<std::int64_t>();
    CHECK(created.header("Location") == "http://example.test:8080/api/v1/services/" + std::to_string(id));
    CHECK(body(created)["review_status"] == "draft");

    const std::string target = "/api/v1/services/" + std::to_string(id);
    CHECK(api.call("none", "GET", target).status == 404); // a draft is not public
    const auto mine = api.call("editor_gt", "GET", target);
    REQUIRE(mine.status == 200);
    CHECK(mine.header("ETag") == "\"v1\"");
    CHECK(mine.header("Cache-Control") == "private, no-store");
    CHECK(mine.header("Vary").find("Authorization") != std::string::npos);

    CHECK(api.call("editor_gt", "PATCH", target, R"({"capacity":8})", {}, "application/merge-patch+json").status ==
          428);
    CHECK(api.call("editor_gt", "PATCH", target, R"({"capacity":8})", "\"v9\"").status == 412);
    CHECK(api.call("editor_gt", "PATCH", target, R"({"capacity":8})", "nonsense").status == 412);
    const auto patched = api.call("editor_gt", "PATCH", target, R"({"capacity":8,"cost":null})", "\"v1\"",
                                  "application/merge-patch+json");
    REQUIRE(patched.status == 200);
    CHECK(patched.header("ETag") == "\"v2\"");
    CHECK(body(patched)["capacity"] == 8);

    CHECK(api.call("editor_gt", "POST", target + "/submit").status == 200);
    CHECK(api.call("editor_gt", "POST", target + "/approve").status == 403);
    const auto approved = api.call("reviewer_gt", "POST", target + "/approve");
    REQUIRE(approved.status == 200);
    CHECK(body(approved)["review_status"] == "published");
    CHECK(api.call("none", "GET", target).status == 200);

    // Its history, for the reviewer, names who did what; for the public, nobody.
    const auto trail = body(api.call("reviewer_gt", "GET", target + "/history"));
    REQUIRE(trail["items"].size() == 4);
    CHECK(trail["items"][0]["who"] == "user:editor_gt");
    CHECK(trail["items"][3]["action"] == "approve");
    const auto public_trail = body(api.call("none", "GET", target + "/history"));
    for (const auto& item : public_trail["items"])
        CHECK_FALSE(item.contains("who"));
}

TEST_CASE("an edit of a published service waits for review, with a field-by-field diff", "[write]") {
    Api api;
    const auto id = api.gt_service("Oficina");
    const std::string target = "/api/v1/services/" + std::to_string(id);
    const auto r = api.call("editor_gt", "PATCH", target, R"({"name":{"es":"Oficina central"}})",
                            api.version_of(core::RecordKind::service, id), "application/merge-patch+json");
    REQUIRE(r.status == 202);
    CHECK(body(r)["name"]["es"] == "Oficina central");
    CHECK(body(api.call("none", "GET", target))["name"]["es"] == "Oficina"); // the published one stays live

    const auto revisions = body(api.call("reviewer_gt", "GET", target + "/revisions"));
    REQUIRE(revisions["items"].size() == 1);
    const auto& revision = revisions["items"][0];
    REQUIRE(revision["changes"].size() == 1);
    CHECK(revision["changes"][0]["path"] == "name");
    CHECK(revision["changes"][0]["after"]["es"] == "Oficina central");
    const auto rev = std::to_string(revision["revision"].get<std::int64_t>());

    CHECK(api.call("editor_gt", "POST", target + "/submit").status == 200);
    const auto queue = body(api.call("reviewer_gt", "GET", "/api/v1/review?country=GT"));
    REQUIRE(queue["items"].size() == 1);
    CHECK(queue["items"][0]["pending_revision"] == true);
    CHECK(api.call("reviewer_gt", "POST", target + "/revisions/999/approve").status == 404);
    CHECK(api.call("reviewer_gt", "POST", target + "/revisions/" + rev + "/approve").status == 200);
    CHECK(body(api.call("none", "GET", target))["name"]["es"] == "Oficina central");
}

TEST_CASE("a body cannot set what the registry keeps, and every bad member is named by its path", "[write]") {
    Api api;
    const std::string base = R"("name":{"es":"Nuevo"},"types":["PRO.AUTHORITY"],"country":"GT",)"
                             R"("location":{"lon":-90.6,"lat":14.7})";
    for (const auto& member : {R"("id":77)", R"("review_status":"published")", R"("created_at":"2020-01-01T00:00:00Z")",
                               R"("updated_at":"2020-01-01T00:00:00Z")", R"("public_location":{"lon":1,"lat":2})"}) {
        const auto r = api.call("editor_gt", "POST", "/api/v1/services", "{" + base + "," + member + "}");
        INFO(member);
        REQUIRE(r.status == 422);
        CHECK(body(r)["errors"][0]["path"] == json::parse("{" + std::string(member) + "}").begin().key());
    }
    const auto id = api.gt_service("Existente");
    const std::string target = "/api/v1/services/" + std::to_string(id);
    const auto v = api.version_of(core::RecordKind::service, id);
    CHECK(api.call("editor_gt", "PATCH", target, R"({"review_status":"archived"})", v).status == 422);
    CHECK(api.call("editor_gt", "PATCH", target, R"({"id":1})", v).status == 422);
    const auto bad = api.call("editor_gt", "PATCH", target, R"({"country":"XX","age":{"min":-4},"telefono":"1"})", v);
    REQUIRE(bad.status == 422);
    INFO(bad.body);
    std::set<std::string> paths;
    const auto problem = body(bad);
    for (const auto& e : problem["errors"])
        paths.insert(e["path"].get<std::string>());
    CHECK(paths.count("telefono") == 1);
    CHECK(api.call("editor_gt", "POST", "/api/v1/services", "not json").status == 400);
    CHECK(api.call("editor_gt", "POST", "/api/v1/services", "{}", {}, "text/plain").status == 415);
}

TEST_CASE("a delete is 204 whatever Accept names: no representation to negotiate", "[write]") {
    Api api;
    const auto id = api.gt_service("Borrar con Accept");
    auto request = enlace::test::make_request("DELETE", "/api/v1/services/" + std::to_string(id));
    request.authorization = api.tokens.at("editor_gt");
    request.if_match = api.version_of(core::RecordKind::service, id);
    request.accept = "application/json";
    request.client = "192.0.2.1";
    const auto r = api.send(request);
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    // A read that Accept excludes is still 406.
    auto read = enlace::test::make_request("GET", "/api/v1/services");
    read.accept = "image/png";
    CHECK(api.send(read).status == 406);
}

TEST_CASE("strings that look like SQL are stored as text, and oversized values are refused", "[write]") {
    Api api;
    const std::string evil = "x'); DROP TABLE services; --";
    json record{{"name", {{"es", evil}}},
                {"types", {"PRO.AUTHORITY"}},
                {"country", "GT"},
                {"cost", evil},
                {"location", {{"lon", -90.6}, {"lat", 14.7}}},
                {"address", {{"street", evil}, {"locality", evil}}}};
    const auto r = api.call("editor_gt", "POST", "/api/v1/services", record.dump());
    REQUIRE(r.status == 201);
    CHECK(body(api.call("editor_gt", "GET",
                        "/api/v1/services/" + std::to_string(body(r)["id"].get<int>())))["name"]["es"] == evil);
    CHECK(api.call("editor_gt", "GET", "/api/v1/services?q=" + std::string("drop%27%3B")).status == 200);
    record["name"]["es"] = std::string(30000, 'a');
    CHECK(api.call("editor_gt", "POST", "/api/v1/services", record.dump()).status == 422);
}

TEST_CASE("two concurrent edits of one version: one wins, the other gets 412, nothing is lost", "[write]") {
    Api api;
    const auto id = api.gt_service("Concurrida", true); // restricted: a draft-free direct edit path
    // Take it out of published first so edits apply directly.
    api.registry.transition(holder, core::RecordKind::service, id, core::Transition::archive);
    const auto v = api.version_of(core::RecordKind::service, id);
    const std::string target = "/api/v1/services/" + std::to_string(id);
    http::Response first, second;
    auto other = api.registry.another_connection(core::Registry::mode::read_write);
    std::thread a([&] { first = api.call("editor_gt", "PATCH", target, R"({"capacity":1})", v); });
    std::thread b([&] {
        auto request = enlace::test::make_request("PATCH", target);
        request.host = "example.test:8080";
        request.authorization = api.tokens.at("reviewer_gt");
        request.body = R"({"capacity":2})";
        request.content_type = "application/json";
        request.if_match = v;
        http::Context context{other, api.config};
        second = http::handle(request, context);
    });
    a.join();
    b.join();
    std::multiset<int> statuses{first.status, second.status};
    CHECK(statuses == std::multiset<int>{200, 412});
    const auto kept = api.registry.service_record(id)->capacity;
    CHECK(kept == (first.status == 200 ? 1 : 2));
}

TEST_CASE("failed sign-ins from one client get 429 with Retry-After, other clients are not affected", "[write]") {
    Api api;
    http::AuthThrottle throttle(3, std::chrono::seconds(60));
    auto send = [&](const std::string& client, const std::string& token) {
        auto request = enlace::test::make_request("GET", "/api/v1/me");
        request.host = "example.test:8080";
        request.authorization = token;
        request.client = client;
        http::Context context{api.registry, api.config, &throttle};
        return http::handle(request, context);
    };
    for (int i = 0; i < 3; ++i)
        CHECK(send("198.51.100.7", "Bearer enl_1_wrong").status == 401);
    const auto r = send("198.51.100.7", api.tokens.at("editor_gt"));
    CHECK(r.status == 429);
    CHECK(std::stoi(r.header("Retry-After")) > 0);
    CHECK(send("198.51.100.8", api.tokens.at("editor_gt")).status == 200); // the account is not locked
}

// ---- The security matrix.

namespace {

struct Endpoint {
    std::string name;
    /// Prepares a fresh target and sends the request as `who`.
    std::function<http::Response(Api&, const std::string& who)> send;
};

std::vector<Endpoint> endpoints() {
    using K = core::RecordKind;
    const auto on = [](std::int64_t id) { return "/api/v1/services/" + std::to_string(id); };
    // A GT draft written by editor_gt, optionally submitted.
    const auto draft = [](Api& api, bool submitted) {
        const auto id = api.registry
                            .put(api.user("editor_gt"),
                                 enlace::test::service_at(-91.2, 15.3, "GT", "PRO.AUTHORITY",
                                                          "Borrador " + std::to_string(++api.m_serial)),
                                 reviewed())
                            .id;
        if (submitted)
            api.registry.transition(api.user("editor_gt"), K::service, id, core::Transition::submit, reviewed());
        return id;
    };
    return {
        {"create service",
         [](Api& api, const std::string& who) {
             return api.call(who, "POST", "/api/v1/services",
                             R"({"name":{"es":"Nueva )" + std::to_string(++api.m_serial) +
                                 R"("},"types":["PRO.AUTHORITY"],"country":"GT","location":{"lon":-90.6,"lat":14.7}})");
         }},
        {"put service",
         [on](Api& api, const std::string& who) {
             const auto id = api.gt_service("Put");
             auto doc = json::parse(api.whole_json(K::service, id));
             doc["cost"] = "free";
             return api.call(who, "PUT", on(id), doc.dump(), api.version_of(K::service, id));
         }},
        {"patch service",
         [on](Api& api, const std::string& who) {
             const auto id = api.gt_service("Patch");
             return api.call(who, "PATCH", on(id), R"({"capacity":5})", api.version_of(K::service, id));
         }},
        {"delete service",
         [on](Api& api, const std::string& who) {
             const auto id = api.gt_service("Delete");
             return api.call(who, "DELETE", on(id), {}, api.version_of(K::service, id));
         }},
        {"verify service",
         [on](Api& api, const std::string& who) {
             return api.call(who, "POST", on(api.gt_service("Verify")) + "/verify");
         }},
        {"submit draft",
         [on, draft](Api& api, const std::string& who) {
             return api.call(who, "POST", on(draft(api, false)) + "/submit");
         }},
        {"approve",
         [on, draft](Api& api, const std::string& who) {
             return api.call(who, "POST", on(draft(api, true)) + "/approve");
         }},
        {"request changes",
         [on, draft](Api& api, const std::string& who) {
             return api.call(who, "POST", on(draft(api, true)) + "/request-changes", R"({"comment":"revisar"})");
         }},
        {"archive",
         [on](Api& api, const std::string& who) {
             return api.call(who, "POST", on(api.gt_service("Archive")) + "/archive");
         }},
        {"restore",
         [on](Api& api, const std::string& who) {
             const auto id = api.gt_service("Restore");
             api.registry.remove(holder, K::service, id);
             return api.call(who, "POST", on(id) + "/restore");
         }},
        {"history of a draft",
         [on, draft](Api& api, const std::string& who) {
             return api.call(who, "GET", on(draft(api, false)) + "/history");
         }},
        {"review queue", [](Api& api, const std::string& who) { return api.call(who, "GET", "/api/v1/review"); }},
        {"put restricted (BOLA)",
         [on](Api& api, const std::string& who) {
             const auto id = api.gt_service("Restringido", true);
             return api.call(who, "PATCH", on(id), R"({"capacity":3})", api.version_of(K::service, id));
         }},
        {"me", [](Api& api, const std::string& who) { return api.call(who, "GET", "/api/v1/me"); }},
        {"patch actor",
         [](Api& api, const std::string& who) {
             core::Actor actor;
             actor.name = {{"es", "Actor " + std::to_string(++api.m_serial)}};
             actor.actor_type = "GOV_CP";
             actor.countries = {"GT"};
             const auto id = api.registry.put(actor).id;
             return api.call(who, "PATCH", "/api/v1/actors/" + std::to_string(id),
                             R"({"website":"https://example.org"})", api.version_of(K::actor, id));
         }},
        {"create practice",
         [](Api& api, const std::string& who) {
             json p{{"title", {{"es", "Práctica " + std::to_string(++api.m_serial)}}},
                    {"countries", {"GT"}},
                    {"scope", "national"},
                    {"axes", {3}},
                    {"description", {{"es", "Texto."}}}};
             return api.call(who, "POST", "/api/v1/practices", p.dump());
         }},
        {"file report",
         [on](Api& api, const std::string& who) {
             return api.call(who, "POST", on(api.gt_service("Reportado")) + "/reports", R"({"reason":"closed"})");
         }},
        {"file report on a draft",
         [on, draft](Api& api, const std::string& who) {
             return api.call(who, "POST", on(draft(api, false)) + "/reports", R"({"reason":"moved"})");
         }},
        {"list reports",
         [](Api& api, const std::string& who) { return api.call(who, "GET", "/api/v1/reports?country=GT"); }},
        {"read report",
         [](Api& api, const std::string& who) {
             return api.call(who, "GET", "/api/v1/reports/" + std::to_string(api.gt_report()));
         }},
        {"triage report",
         [](Api& api, const std::string& who) {
             return api.call(who, "POST", "/api/v1/reports/" + std::to_string(api.gt_report()) + "/triage");
         }},
        {"resolve report",
         [](Api& api, const std::string& who) {
             return api.call(who, "POST", "/api/v1/reports/" + std::to_string(api.gt_report()) + "/resolve");
         }},
        {"dismiss report",
         [](Api& api, const std::string& who) {
             return api.call(who, "POST", "/api/v1/reports/" + std::to_string(api.gt_report()) + "/dismiss");
         }},
        {"plan entries", [](Api& api, const std::string& who) { return api.call(who, "GET", "/api/v1/plan/entries"); }},
        {"plan cell history",
         [](Api& api, const std::string& who) {
             return api.call(who, "GET", "/api/v1/plan/entries/1.1.1/GT/history");
         }},
        {"propose plan (own country)",
         [](Api& api, const std::string& who) {
             const auto action = api.next_action();
             return api.call(who, "PUT", "/api/v1/plan/entries/" + action + "/GT",
                             R"({"actors":[)" + std::to_string(api.actor_of("GT")) + "]}", api.plan_tag(action, "GT"));
         }},
        {"confirm plan",
         [](Api& api, const std::string& who) {
             // A fresh SV proposal each call, written by the holder.
             const auto action = api.next_action();
             api.registry.propose_plan(holder, action, "SV", {api.actor_of("SV")});
             return api.call(who, "POST", "/api/v1/plan/entries/" + action + "/SV/confirm", {},
                             api.plan_tag(action, "SV"));
         }},
        {"note plan",
         [](Api& api, const std::string& who) {
             return api.call(who, "POST", "/api/v1/plan/entries/2.1.1/GT/notes",
                             R"({"on":"2026-11-30","text":"Avance de la consulta"})");
         }},
        {"ogc create item",
         [](Api& api, const std::string& who) {
             json feature{{"type", "Feature"},
                          {"geometry", {{"type", "Point"}, {"coordinates", {-90.9, 14.9}}}},
                          {"properties",
                           {{"name", {{"es", "OGC " + std::to_string(++api.m_serial)}}},
                            {"types", {"PRO.AUTHORITY"}},
                            {"country", "GT"}}}};
             return api.call(who, "POST", "/ogcapi/collections/services/items", feature.dump(), {},
                             "application/geo+json");
         }},
    };
}

const std::vector<std::string> callers{"none",      "garbage",   "expired",     "revoked",     "disabled", "viewer_gt",
                                       "editor_gt", "editor_sv", "reviewer_gt", "reviewer_sv", "compiler", "admin"};

// Expected status per endpoint, in the order of `callers`.
const std::map<std::string, std::vector<int>> expected{
    //                         none garb exp  rev  dis  vGT  eGT  eSV  rGT  rSV  comp adm
    {"create service", {401, 401, 401, 401, 401, 403, 201, 403, 201, 403, 201, 201}},
    {"put service", {401, 401, 401, 401, 401, 403, 202, 403, 202, 403, 202, 202}},
    {"patch service", {401, 401, 401, 401, 401, 403, 202, 403, 202, 403, 202, 202}},
    {"delete service", {401, 401, 401, 401, 401, 403, 204, 403, 204, 403, 204, 204}},
    {"verify service", {401, 401, 401, 401, 401, 403, 200, 403, 200, 403, 200, 200}},
    {"submit draft", {401, 401, 401, 401, 401, 403, 200, 404, 200, 404, 200, 200}},
    {"approve", {401, 401, 401, 401, 401, 403, 403, 404, 200, 404, 200, 200}},
    {"request changes", {401, 401, 401, 401, 401, 403, 403, 404, 200, 404, 200, 200}},
    {"archive", {401, 401, 401, 401, 401, 403, 403, 403, 200, 403, 200, 200}},
    {"restore", {401, 401, 401, 401, 401, 403, 200, 404, 200, 404, 200, 200}},
    {"history of a draft", {404, 401, 401, 401, 401, 200, 200, 404, 200, 404, 200, 200}},
    {"review queue", {401, 401, 401, 401, 401, 403, 403, 403, 200, 200, 200, 200}},
    {"put restricted (BOLA)", {401, 401, 401, 401, 401, 403, 202, 404, 202, 404, 202, 202}},
    {"me", {401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200}},
    {"patch actor", {401, 401, 401, 401, 401, 403, 200, 403, 200, 403, 200, 200}},
    {"create practice", {401, 401, 401, 401, 401, 403, 201, 403, 201, 403, 201, 201}},
    {"ogc create item", {401, 401, 401, 401, 401, 403, 201, 403, 201, 403, 201, 201}},
    // The Strategic Plan: registry users read every cell; a country's focal points write its own;
    // only compilers and admins confirm.
    {"plan entries", {401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200}},
    {"plan cell history", {401, 401, 401, 401, 401, 200, 200, 200, 200, 200, 200, 200}},
    {"propose plan (own country)", {401, 401, 401, 401, 401, 403, 200, 403, 200, 403, 200, 200}},
    {"confirm plan", {401, 401, 401, 401, 401, 403, 403, 403, 403, 403, 200, 200}},
    {"note plan", {401, 401, 401, 401, 401, 403, 200, 403, 200, 403, 200, 200}},
    // Problem reports: anyone files one on a service it reads (a bad token is still refused);
    // editors and reviewers of the country read and decide them, nobody outside it sees them.
    {"file report", {201, 401, 401, 401, 401, 201, 201, 201, 201, 201, 201, 201}},
    {"file report on a draft", {404, 401, 401, 401, 401, 201, 201, 404, 201, 404, 201, 201}},
    {"list reports", {401, 401, 401, 401, 401, 403, 200, 200, 200, 200, 200, 200}},
    {"read report", {401, 401, 401, 401, 401, 403, 200, 404, 200, 404, 200, 200}},
    {"triage report", {401, 401, 401, 401, 401, 403, 200, 404, 200, 404, 200, 200}},
    {"resolve report", {401, 401, 401, 401, 401, 403, 200, 404, 200, 404, 200, 200}},
    {"dismiss report", {401, 401, 401, 401, 401, 403, 200, 404, 200, 404, 200, 200}},
};

} // namespace

TEST_CASE("security matrix: every write and review endpoint x every kind of caller", "[write][security]") {
    Api api;
    const auto all = endpoints();
    REQUIRE(all.size() == expected.size());
    for (const auto& endpoint : all) {
        const auto row = expected.find(endpoint.name);
        REQUIRE(row != expected.end()); // a missing row fails
        REQUIRE(row->second.size() == callers.size());
        for (std::size_t i = 0; i < callers.size(); ++i) {
            const auto r = endpoint.send(api, callers[i]);
            INFO(endpoint.name << " as " << callers[i] << ": " << r.body);
            CHECK(r.status == row->second[i]);
            if (r.status == 401) CHECK(r.header("WWW-Authenticate").rfind("Bearer", 0) == 0);
        }
    }
    // No token or secret ever reaches what the registry stores.
    {
        const auto bytes = enlace::test::stored_bytes(api.dir.registry());
        REQUIRE(bytes.find("viewer_gt") != std::string::npos); // what is stored was read
        for (const auto& [who, header] : api.tokens) {
            if (header.size() < 8) continue;
            const auto token = header.substr(7);
            INFO(who);
            CHECK(bytes.find(token) == std::string::npos);
            CHECK(bytes.find(token.substr(token.find('_', 4) + 1)) ==
                  std::string::npos); // the secret: base64url may hold '_'
        }
    }
}

TEST_CASE("a reader in scope lists its countries on exact points, anyone else on public points", "[write]") {
    Api api;
    const auto id =
        api.registry.put(enlace::test::service_at(-90.51234, 14.61234, "GT", "REC.SHORTSTAY", "Albergue")).id;
    const auto shelter = *api.registry.service_record(id);
    REQUIRE(shelter.coarsened);
    const auto sv_id =
        api.registry.put(enlace::test::service_at(-89.21234, 13.71234, "SV", "REC.SHORTSTAY", "Albergue SV")).id;
    const auto sv_shelter = *api.registry.service_record(sv_id);
    REQUIRE(sv_shelter.coarsened);
    const auto holds = [&](const http::Response& r) {
        return enlace::test::holds_point(body(r), shelter.site->point.lon, shelter.site->point.lat);
    };
    const auto holds_sv = [&](const http::Response& r) {
        return enlace::test::holds_point(body(r), sv_shelter.site->point.lon, sv_shelter.site->point.lat);
    };
    const std::string list = "/api/v1/services?type=REC.SHORTSTAY&limit=500&country=";
    const auto mine = api.call("viewer_gt", "GET", list + "GT");
    REQUIRE(mine.status == 200);
    CHECK(holds(mine));
    CHECK(mine.header("Cache-Control") == "private, no-store");
    CHECK_FALSE(holds(api.call("none", "GET", list + "GT")));
    // A list over its scope and beyond: its own country exact, the other at public points.
    const auto both = api.call("viewer_gt", "GET", list + "GT,SV");
    CHECK(holds(both));
    CHECK_FALSE(holds_sv(both));
    // So is a nearest list with no country asked, through either API, distances included.
    const std::string near = "type=REC.SHORTSTAY&lat=14.0&lon=-90.0&limit=500";
    for (const auto* path : {"/api/v1/services?", "/ogcapi/collections/services/items?"}) {
        INFO(path);
        const auto nearest = api.call("viewer_gt", "GET", path + near);
        REQUIRE(nearest.status == 200);
        CHECK(holds(nearest));
        CHECK_FALSE(holds_sv(nearest));
        CHECK(nearest.header("Cache-Control") == "private, no-store");
        const auto anonymous = api.call("none", "GET", path + near);
        CHECK_FALSE(holds(anonymous));
        CHECK_FALSE(holds_sv(anonymous));
    }
    CHECK_FALSE(holds(api.call("editor_sv", "GET", list + "GT")));
    CHECK(holds_sv(api.call("editor_sv", "GET", list + "GT,SV")));
    CHECK(holds(api.call("compiler", "GET", "/ogcapi/collections/services/items?type=REC.SHORTSTAY&limit=500")));
}
