// Problem reports through the pure handler over a real registry with real tokens: filing as the
// public (201, nothing to read back), the body's members refused by name, the per-client limit
// (429 with Retry-After, the address kept nowhere), the country queue and its text for reviewers
// only, and a triage that puts reported_problems on the public record under a new ETag. The
// role x country cells are in test_write_api.cpp's security matrix.
#include "demo_handler.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/http/report_throttle.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>

using enlace::test::body;
using nlohmann::json;
namespace core = enlace::core;
namespace http = enlace::http;

namespace {

const core::Caller holder = core::Caller::holder("operator");

struct Reports : enlace::test::DemoHandler {
    std::map<std::string, std::string> tokens{{"none", ""}};
    http::ReportThrottle throttle{5, std::chrono::minutes(10)};
    std::int64_t gt = registry.put(enlace::test::service_at(-90.51, 14.62, "GT", "PRO.AUTHORITY", "Oficina GT")).id;
    std::int64_t sv = registry.put(enlace::test::service_at(-89.19, 13.69, "SV", "PRO.AUTHORITY", "Oficina SV")).id;

    Reports() {
        for (const auto& [name, role, country] :
             std::vector<std::tuple<std::string, core::Role, std::string>>{{"editor_gt", core::Role::editor, "GT"},
                                                                           {"reviewer_gt", core::Role::reviewer, "GT"},
                                                                           {"reviewer_sv", core::Role::reviewer, "SV"}})
            tokens[name] = "Bearer " + registry.add_user(holder, name, role, {country}).token;
    }

    http::Response call(const std::string& who, const std::string& method, const std::string& target,
                        const std::string& body_text = {}, const std::string& client = "192.0.2.1",
                        const std::string& content_type = "application/json") {
        auto request = enlace::test::make_request(method, target);
        request.host = "example.test:8080";
        request.authorization = tokens.at(who);
        request.body = body_text;
        request.content_type = body_text.empty() ? std::string() : content_type;
        request.client = client;
        http::Context context{registry, config, nullptr, &throttle};
        return http::handle(request, context);
    }

    http::Response file(std::int64_t service, const std::string& report_body, const std::string& client = "192.0.2.1") {
        return call("none", "POST", "/api/v1/services/" + std::to_string(service) + "/reports", report_body, client);
    }
};

std::vector<std::string> error_paths(const http::Response& r) {
    std::vector<std::string> out;
    const auto problem = body(r); // kept: a range-for over a temporary's member would dangle
    for (const auto& e : problem["errors"])
        out.push_back(e["path"].get<std::string>());
    return out;
}

} // namespace

TEST_CASE("reports: the public files one with 201 and its id, and cannot read it back", "[reports]") {
    Reports api;
    const auto r = api.file(api.gt, R"({"reason":"wrong_phone","text":"Nadie contesta al 2222-0000"})");
    REQUIRE(r.status == 201);
    const auto filed = body(r);
    CHECK(filed["status"] == "new");
    CHECK(filed["service_id"] == api.gt);
    CHECK_FALSE(filed.contains("text"));
    const auto id = filed["id"].get<std::int64_t>();
    CHECK(r.body.find("Nadie contesta") == std::string::npos);

    CHECK(api.call("none", "GET", "/api/v1/reports/" + std::to_string(id)).status == 401);
    CHECK(api.call("none", "GET", "/api/v1/reports").status == 401);
    // The public record says nothing before an editor looks at it.
    CHECK_FALSE(body(api.get("/api/v1/services/" + std::to_string(api.gt))).contains("reported_problems"));
    const auto read = api.call("reviewer_gt", "GET", "/api/v1/reports/" + std::to_string(id));
    REQUIRE(read.status == 200);
    CHECK(body(read)["text"] == "Nadie contesta al 2222-0000");
    CHECK(body(read)["reason"] == "wrong_phone");
}

TEST_CASE("reports: unknown members are refused by name, and every bad member is named (422)", "[reports]") {
    Reports api;
    auto r = api.file(api.gt, R"({"reason":"closed","email":"ana@example.org","lat":14.6})");
    REQUIRE(r.status == 422);
    CHECK(r.content_type == "application/problem+json");
    CHECK(error_paths(r) == std::vector<std::string>{"email", "lat"});

    r = api.file(api.gt, R"({"reason":"cerrado","text":")" + std::string(501, 'x') + R"("})");
    REQUIRE(r.status == 422);
    CHECK(error_paths(r) == std::vector<std::string>{"reason", "text"});
    CHECK(body(r)["errors"][1]["reason"].get<std::string>().find("at most 500") != std::string::npos);
    CHECK(error_paths(api.file(api.gt, R"({"reason":5})")) == std::vector<std::string>{"reason"});
    CHECK(error_paths(api.file(api.gt, R"({"reason":"other"})")) == std::vector<std::string>{"text"});
    CHECK(api.file(api.gt, R"(["closed"])").status == 400);
    CHECK(api.call("none", "POST", "/api/v1/services/" + std::to_string(api.gt) + "/reports", R"({"reason":"closed"})",
                   "192.0.2.1", "text/plain")
              .status == 415);
    CHECK(api.call("none", "GET", "/api/v1/services/" + std::to_string(api.gt) + "/reports").status == 405);
    // A service the caller cannot read is not found, whatever the body says.
    auto restricted = enlace::test::service_at(-90.52, 14.63, "GT", "PRO.AUTHORITY", "Restringido");
    restricted.visibility = core::Visibility::restricted;
    const auto hidden = api.registry.put(restricted).id;
    CHECK(api.file(hidden, R"({"reason":"closed","email":"x"})").status == 404);
    CHECK(api.file(hidden, R"({"reason":"closed"})").status == 404);
    CHECK(api.registry.reports(holder).empty()); // nothing refused was kept
}

TEST_CASE("reports: 5 per client in 10 minutes, then 429 with Retry-After, other clients are not affected, "
          "refused reports do not count, and the address is kept nowhere",
          "[reports]") {
    Reports api;
    const std::string client = "203.0.113.77";
    CHECK(api.file(api.gt, R"({"reason":"nope"})", client).status == 422); // does not count
    for (int i = 0; i < 5; ++i)
        CHECK(api.file(api.gt, R"({"reason":"closed"})", client).status == 201);
    const auto r = api.file(api.gt, R"({"reason":"closed"})", client);
    CHECK(r.status == 429);
    CHECK(r.content_type == "application/problem+json");
    const auto wait = std::stoi(r.header("Retry-After"));
    CHECK(wait > 0);
    CHECK(wait <= 600);
    CHECK(api.file(api.gt, R"({"reason":"moved"})", "203.0.113.78").status == 201);
    CHECK(api.registry.reports(holder).size() == 6);

    // After the window the client may report again.
    http::ReportThrottle throttle(1, std::chrono::seconds(60));
    const auto start = http::ReportThrottle::clock::now();
    CHECK(throttle.take(client, start) == 0);
    CHECK(throttle.take(client, start + std::chrono::seconds(10)) == 50);
    CHECK(throttle.take(client, start + std::chrono::seconds(61)) == 0);

    const auto stored = enlace::test::stored_bytes(api.dir.registry());
    REQUIRE(stored.find("PRO.AUTHORITY") != std::string::npos); // what is stored was read
    CHECK(stored.find(client) == std::string::npos);
}

TEST_CASE("reports: the country queue, filtered by status, the text for reviewers only, other countries' "
          "reports not revealed",
          "[reports]") {
    Reports api;
    const auto on_gt = body(api.file(api.gt, R"({"reason":"closed","text":"Cerró"})"))["id"].get<std::int64_t>();
    const auto on_sv = body(api.file(api.sv, R"({"reason":"moved","text":"Se mudó"})"))["id"].get<std::int64_t>();
    const auto ids = [&](const std::string& who, const std::string& query = {}) {
        const auto r = api.call(who, "GET", "/api/v1/reports" + query);
        INFO(r.body);
        REQUIRE(r.status == 200);
        std::vector<std::int64_t> out;
        const auto list = body(r);
        for (const auto& item : list["items"])
            out.push_back(item["id"].get<std::int64_t>());
        return out;
    };
    CHECK(ids("editor_gt") == std::vector<std::int64_t>{on_gt});
    CHECK(ids("reviewer_sv") == std::vector<std::int64_t>{on_sv});
    CHECK(ids("editor_gt", "?country=SV").empty());
    CHECK(ids("reviewer_gt", "?status=new") == std::vector<std::int64_t>{on_gt});
    CHECK(ids("reviewer_gt", "?status=triaged").empty());
    CHECK(ids("reviewer_gt", "?service_id=" + std::to_string(api.gt)) == std::vector<std::int64_t>{on_gt});

    const auto editor_view = body(api.call("editor_gt", "GET", "/api/v1/reports"))["items"][0];
    CHECK_FALSE(editor_view.contains("text"));
    CHECK(editor_view["reason"] == "closed");
    CHECK(body(api.call("reviewer_gt", "GET", "/api/v1/reports"))["items"][0]["text"] == "Cerró");
    CHECK(api.call("reviewer_gt", "GET", "/api/v1/reports/" + std::to_string(on_sv)).status == 404);

    const auto bad = api.call("reviewer_gt", "GET", "/api/v1/reports?status=open");
    CHECK(bad.status == 400);
    CHECK(body(bad)["parameter"] == "status");
    CHECK(body(api.call("reviewer_gt", "GET", "/api/v1/reports?country=XX"))["parameter"] == "country");
}

TEST_CASE("reports: a triage puts reported_problems on the public record under a new ETag, resolving takes it "
          "away and erases the text, the history names who decided, never the text",
          "[reports]") {
    Reports api;
    const std::string target = "/api/v1/services/" + std::to_string(api.gt);
    const auto id = body(api.file(api.gt, R"({"reason":"closed","text":"Lo cerraron en noviembre"})"))["id"];
    const std::string report = "/api/v1/reports/" + std::to_string(id.get<std::int64_t>());
    const auto before = api.get(target);
    const auto etag = before.header("ETag");

    // A cache revalidating with the old ETag must learn that the record changed.
    auto revalidate = enlace::test::make_request("GET", target);
    revalidate.if_none_match = etag;
    CHECK(api.send(revalidate).status == 304);

    const auto triaged = api.call("editor_gt", "POST", report + "/triage");
    REQUIRE(triaged.status == 200);
    CHECK(body(triaged)["status"] == "triaged");
    CHECK_FALSE(body(triaged).contains("text")); // an editor's view
    CHECK(std::stoll(triaged.header("Enlace-Revision")) > 0);

    const auto after = api.get(target);
    REQUIRE(after.status == 200);
    CHECK(after.header("ETag") != etag);
    CHECK(api.send(revalidate).status == 200);
    const auto problems = body(after)["reported_problems"];
    REQUIRE(problems.size() == 1);
    CHECK(problems[0]["reason"] == "closed");
    CHECK(problems[0]["reported_on"] == body(api.call("reviewer_gt", "GET", report))["filed_on"]);
    CHECK(after.body.find("noviembre") == std::string::npos);

    CHECK(api.call("editor_gt", "POST", report + "/triage").status == 409);
    CHECK(api.call("editor_gt", "POST", report + "/reopen").status == 404);
    const auto with_body = api.call("editor_gt", "POST", report + "/resolve", R"({"text":"x"})");
    CHECK(with_body.status == 422);
    CHECK(error_paths(with_body) == std::vector<std::string>{"text"});

    const auto resolved = api.call("reviewer_gt", "POST", report + "/resolve");
    REQUIRE(resolved.status == 200);
    CHECK(body(resolved)["status"] == "resolved");
    CHECK_FALSE(body(resolved).contains("text")); // erased, even for a reviewer
    CHECK_FALSE(body(api.get(target)).contains("reported_problems"));

    const auto history = api.call("reviewer_gt", "GET", target + "/history");
    REQUIRE(history.status == 200);
    std::vector<std::string> actions;
    const auto trail = body(history);
    for (const auto& item : trail["items"])
        actions.push_back(item["action"].get<std::string>() + " " + item.value("who", ""));
    REQUIRE(actions.size() == 3);
    CHECK(actions[1] == "report-triage user:editor_gt");
    CHECK(actions[2] == "report-resolve user:reviewer_gt");
    CHECK(history.body.find("noviembre") == std::string::npos);
    // The public trail shows that something was decided, never by whom.
    const auto public_history = api.get(target + "/history");
    REQUIRE(public_history.status == 200);
    CHECK(public_history.body.find("editor_gt") == std::string::npos);
}
