// The Strategic Plan through the pure handler over a real registry with real tokens: the structure
// for anyone, the cells for registry users only, proposals by a country's focal points (its own
// country only), confirmation by compilers against the version read (ETag, If-Match), notes,
// history, bodies refused by member, the role checked before the body is read, and the table as
// CSV and XLSX downloads.
#include "demo_handler.hpp"

#include "enlace/core/errors.hpp"

#include <catch2/catch.hpp>

#include <map>

using enlace::test::body;
using nlohmann::json;
namespace core = enlace::core;
namespace http = enlace::http;

namespace {

const core::Caller holder = core::Caller::holder("operator");

struct PlanApi : enlace::test::DemoHandler {
    std::map<std::string, std::string> tokens{{"none", ""}};
    std::int64_t pgn = 0, igm = 0, conapina = 0;

    PlanApi() {
        for (const auto& [name, role, country] :
             std::vector<std::tuple<std::string, core::Role, std::string>>{{"viewer_gt", core::Role::viewer, "GT"},
                                                                           {"editor_gt", core::Role::editor, "GT"},
                                                                           {"editor_sv", core::Role::editor, "SV"},
                                                                           {"reviewer_gt", core::Role::reviewer, "GT"}})
            tokens[name] = "Bearer " + registry.add_user(holder, name, role, {country}).token;
        tokens["compiler"] = "Bearer " + registry.add_user(holder, "iom", core::Role::compiler, {}).token;
        core::ActorQuery gt;
        gt.countries = {"GT"};
        for (const auto& a : registry.find(gt).items) {
            if (a.source_id == "gt-pgn") pgn = a.id;
            if (a.source_id == "gt-igm") igm = a.id;
        }
        core::ActorQuery sv;
        sv.countries = {"SV"};
        for (const auto& a : registry.find(sv).items)
            if (a.source_id == "sv-conapina") conapina = a.id;
        REQUIRE(pgn > 0);
        REQUIRE(igm > 0);
        REQUIRE(conapina > 0);
    }

    http::Response call(const std::string& who, const std::string& method, const std::string& target,
                        const std::string& body_text = {}, const std::string& if_match = {},
                        const std::string& content_type = "application/json") {
        auto request = enlace::test::make_request(method, target);
        request.authorization = tokens.at(who);
        request.body = body_text;
        request.content_type = body_text.empty() ? std::string() : content_type;
        request.if_match = if_match;
        return send(request);
    }
    http::Response propose(const std::string& who, const std::string& cell, const std::string& actors_json,
                           const std::string& if_match = {}) {
        return call(who, "PUT", "/api/v1/plan/entries/" + cell, R"({"actors":)" + actors_json + "}", if_match);
    }
};

std::vector<std::string> error_paths(const http::Response& r) {
    std::vector<std::string> out;
    const auto problem = body(r);
    for (const auto& e : problem["errors"])
        out.push_back(e["path"].get<std::string>());
    return out;
}

std::string ids(std::initializer_list<std::int64_t> values) {
    json out = json::array();
    for (const auto v : values)
        out.push_back(v);
    return out.dump();
}

} // namespace

TEST_CASE("plan API: the structure is public, the working table is for registry users", "[plan]") {
    PlanApi api;
    const auto structure = api.call("none", "GET", "/api/v1/plan");
    REQUIRE(structure.status == 200);
    CHECK(body(structure)["axes"].size() == 5);
    CHECK(body(structure)["illustrative"] == true);

    CHECK(api.call("none", "GET", "/api/v1/plan/entries").status == 401);
    CHECK(api.call("none", "GET", "/api/v1/plan/entries/1.1.1/GT").status == 401);
    CHECK(api.call("none", "GET", "/api/v1/plan/entries/1.1.1/GT/history").status == 401);
    CHECK(api.call("none", "GET", "/api/v1/plan/history").status == 401);
    CHECK(api.call("none", "GET", "/api/v1/plan/entries?format=csv").status == 401);

    const auto all = api.call("viewer_gt", "GET", "/api/v1/plan/entries");
    REQUIRE(all.status == 200);
    CHECK(body(all)["items"].size() == 15 * 11);
    CHECK(all.header("Cache-Control") == "private, no-store");
    const auto sv = api.call("viewer_gt", "GET", "/api/v1/plan/entries?country=SV&status=missing");
    REQUIRE(sv.status == 200);
    CHECK(body(sv)["items"].size() == 15);
    CHECK(body(sv)["items"][0]["country"] == "SV");
    CHECK(api.call("viewer_gt", "GET", "/api/v1/plan/entries?status=done").status == 400);
    CHECK(body(api.call("viewer_gt", "GET", "/api/v1/plan/entries?country=FR"))["parameter"] == "country");
    CHECK(api.call("viewer_gt", "GET", "/api/v1/plan/entries/9.9.9/GT").status == 404);
    CHECK(api.call("viewer_gt", "GET", "/api/v1/plan/entries/1.1.1/FR").status == 404);
    CHECK(api.call("viewer_gt", "DELETE", "/api/v1/plan/entries/1.1.1/GT").status == 405);
}

TEST_CASE("plan API: who proposes and confirms (role x country), checked before the body", "[plan][access]") {
    PlanApi api;
    const std::string gt = "1.1.1/GT";
    SECTION("the public and viewers: 401 and 403, whatever the body") {
        CHECK(api.propose("none", gt, ids({api.pgn})).status == 401);
        CHECK(api.call("none", "PUT", "/api/v1/plan/entries/" + gt, "not json").status == 401);
        CHECK(api.propose("viewer_gt", gt, ids({api.pgn})).status == 403);
        CHECK(api.call("viewer_gt", "PUT", "/api/v1/plan/entries/" + gt, "not json").status == 403);
        CHECK(api.call("viewer_gt", "POST", "/api/v1/plan/entries/" + gt + "/notes", "not json").status == 403);
        CHECK(api.call("none", "POST", "/api/v1/plan/entries/" + gt + "/confirm", "not json").status == 401);
    }
    SECTION("a focal point proposes for its own country only, and confirms nothing") {
        const auto r = api.propose("editor_gt", gt, ids({api.pgn, api.igm}));
        REQUIRE(r.status == 200);
        CHECK(r.header("ETag") == "\"v1\"");
        const auto cell = body(r);
        CHECK(cell["status"] == "proposed");
        CHECK(cell["responsible"][1]["id"] == api.igm);
        CHECK(cell["responsible"][1]["name"].get<std::string>().find("Migración") != std::string::npos);
        CHECK(api.propose("editor_gt", "1.1.1/SV", ids({api.conapina})).status == 403);
        CHECK(api.propose("editor_sv", gt, ids({api.pgn}), "\"v1\"").status == 403);
        CHECK(api.call("reviewer_gt", "POST", "/api/v1/plan/entries/" + gt + "/confirm", "", "\"v1\"").status == 403);
        CHECK(api.call("editor_gt", "POST", "/api/v1/plan/entries/" + gt + "/confirm", "", "\"v1\"").status == 403);
        CHECK(api.propose("reviewer_gt", gt, ids({api.pgn}), "\"v1\"").status == 200);
    }
    SECTION("a compiler confirms what it read: If-Match required, a stale one refused") {
        REQUIRE(api.propose("editor_gt", gt, ids({api.pgn})).status == 200);
        const std::string confirm = "/api/v1/plan/entries/" + gt + "/confirm";
        CHECK(api.call("compiler", "POST", confirm).status == 428);
        CHECK(api.call("compiler", "POST", confirm, "", "\"v7\"").status == 412);
        const auto r = api.call("compiler", "POST", confirm, R"({"comment":"reunión virtual"})", "\"v1\"");
        REQUIRE(r.status == 200);
        CHECK(body(r)["status"] == "confirmed");
        CHECK(body(r)["confirmed_by"] == "user:iom");
        CHECK(r.header("ETag") == "\"v2\"");
        CHECK(api.call("compiler", "POST", confirm, "", "\"v2\"").status == 409);
        CHECK(api.propose("compiler", "2.1.1/SV", ids({api.conapina})).status == 200);
    }
    SECTION("a changed proposal needs the version read") {
        REQUIRE(api.propose("editor_gt", gt, ids({api.pgn})).status == 200);
        CHECK(api.propose("editor_gt", gt, ids({api.igm})).status == 428);
        CHECK(api.propose("editor_gt", gt, ids({api.igm}), "\"v3\"").status == 412);
        CHECK(api.propose("editor_gt", gt, "[]", "\"v1\"").status == 200);
        CHECK(body(api.call("viewer_gt", "GET", "/api/v1/plan/entries/" + gt))["status"] == "missing");
    }
}

TEST_CASE("plan API: bodies refused by member, notes, history, downloads", "[plan]") {
    PlanApi api;
    const std::string cell = "/api/v1/plan/entries/3.1.1/GT";
    CHECK(error_paths(api.call("editor_gt", "PUT", cell, R"({"actors": 5})")) == std::vector<std::string>{"actors"});
    CHECK(error_paths(api.call("editor_gt", "PUT", cell, R"({"actors": [1, "x"]})")) ==
          std::vector<std::string>{"actors[1]"});
    CHECK(error_paths(api.call("editor_gt", "PUT", cell, R"({"actores": []})")) == std::vector<std::string>{"actores"});
    CHECK(error_paths(api.propose("editor_gt", "3.1.1/GT", ids({api.pgn, api.conapina}))) ==
          std::vector<std::string>{"actors[1]"}); // an SV actor for GT
    CHECK(api.call("editor_gt", "PUT", cell, R"({"actors": []})", "", "text/plain").status == 415);
    CHECK(api.call("editor_gt", "PUT", cell, "{").status == 400);

    CHECK(error_paths(api.call("editor_gt", "POST", cell + "/notes", R"({"on": "ayer", "text": "x"})")) ==
          std::vector<std::string>{"on"});
    const auto noted = api.call("editor_gt", "POST", cell + "/notes", R"({"on": "2026-11-30", "text": "Consulta"})");
    REQUIRE(noted.status == 200);
    CHECK(body(noted)["notes"][0]["text"] == "Consulta");
    CHECK(body(noted)["notes"][0]["by"] == "user:editor_gt");
    CHECK(api.call("editor_gt", "GET", cell + "/notes").status == 405);

    const auto history = api.call("viewer_gt", "GET", cell + "/history");
    REQUIRE(history.status == 200);
    REQUIRE(body(history)["items"].size() == 1);
    CHECK(body(history)["items"][0]["change"] == "note");
    CHECK(body(history)["items"][0]["who"] == "user:editor_gt");
    const auto structure = api.call("viewer_gt", "GET", "/api/v1/plan/history");
    REQUIRE(structure.status == 200);
    CHECK(body(structure)["items"][0]["change"] == "structure");

    // A note a spreadsheet would run as a formula is written as text in the CSV download.
    REQUIRE(api.call("editor_gt", "POST", cell + "/notes", R"({"on": "2026-12-01", "text": "=1+2"})").status == 200);
    const auto csv = api.call("viewer_gt", "GET", "/api/v1/plan/entries?format=csv&country=GT&lang=en");
    REQUIRE(csv.status == 200);
    CHECK(csv.body.find(",2026-12-01,'=1+2,") != std::string::npos);
    CHECK(csv.body.find(",=1+2,") == std::string::npos);
    CHECK(csv.content_type == "text/csv; charset=utf-8");
    CHECK(csv.header("Content-Disposition") == "attachment; filename=\"strategic-plan.csv\"");
    CHECK(csv.body.rfind("axis,objective,action,action_text,country,status,", 0) == 0);
    CHECK(csv.body.find("Keep separate reception spaces") != std::string::npos);
    CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 1 + 15);
    const auto xlsx = api.call("viewer_gt", "GET", "/api/v1/plan/entries?format=xlsx");
    REQUIRE(xlsx.status == 200);
    CHECK(xlsx.body.rfind("PK", 0) == 0); // a zip: the workbook
    CHECK(api.call("viewer_gt", "GET", "/api/v1/plan/entries?format=pdf").status == 400);
}
