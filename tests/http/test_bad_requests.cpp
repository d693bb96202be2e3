// The bad-input corpus of requests (tests/data/bad_requests.tsv): parameters out of range or of the
// wrong kind, unknown codes, malformed boxes, cursors and dates, tile addresses, bodies that are not
// JSON or ask for personal data, writes without a token, and an editor's writes that are invalid,
// outside their country, set fields the registry keeps or name no version; paths out of the web
// root. Each must get its exact status, the parameter named and the problem's detail, and none may
// change the registry.
#include "demo_handler.hpp"

#include "enlace/core/access.hpp"
#include "enlace/core/accounts.hpp"
#include "enlace/core/reports.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using enlace::test::DemoHandler;

namespace {

struct BadRequest {
    std::string method, target, body;
    int status = 0;
    std::string parameter, detail;
    std::string caller; // empty: the public; "editor SV": an editor of that country
};

std::vector<BadRequest> corpus() {
    std::vector<BadRequest> out;
    std::istringstream in(enlace::test::test_data("bad_requests.tsv"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> fields;
        std::size_t from = 0;
        for (auto tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', from)) {
            fields.push_back(line.substr(from, tab - from));
            from = tab + 1;
        }
        fields.push_back(line.substr(from));
        REQUIRE((fields.size() == 6 || fields.size() == 7));
        out.push_back({fields[0], fields[1], fields[2], std::stoi(fields[3]), fields[4], fields[5],
                       fields.size() == 7 ? fields[6] : std::string()});
    }
    return out;
}

} // namespace

TEST_CASE("bad requests: each gets its exact error, naming the parameter, and nothing stored changes") {
    DemoHandler h;
    const auto holder = enlace::core::Caller::holder("test");
    const auto editor = "Bearer " + h.registry.add_user(holder, "corpus", enlace::core::Role::editor, {"SV"}).token;
    const auto revision = h.registry.revision();
    const auto reports = h.registry.reports(holder).size();
    const auto cases = corpus();
    CHECK(cases.size() >= 120);
    for (const auto& c : cases) {
        INFO(c.method << " " << c.target << " " << c.body);
        enlace::http::Request request;
        request.method = c.method;
        request.target = c.target;
        request.body = c.body;
        if (!c.body.empty()) request.content_type = "application/json";
        request.client = "192.0.2.7";
        if (c.caller == "editor SV")
            request.authorization = editor;
        else
            REQUIRE(c.caller.empty());
        const auto r = h.send(request);
        CHECK(r.status == c.status);
        CHECK(r.content_type == "application/problem+json");
        const auto problem = nlohmann::json::parse(r.body, nullptr, false);
        REQUIRE(problem.is_object());
        CHECK(problem.value("detail", "") == c.detail);
        CHECK(problem.value("parameter", "") == c.parameter);
        CHECK(problem.value("status", 0) == c.status);
    }
    CHECK(h.registry.revision() == revision);
    CHECK(h.registry.reports(holder).size() == reports);
}

TEST_CASE("bad requests: a parameter name that is not UTF-8 gets a 400 naming it, not an exception") {
    // Found by fuzz/fuzz_http_request.cpp: the problem's JSON echoed the name's bytes, and dumping
    // invalid UTF-8 threw out of the handler, which promises never to throw.
    DemoHandler h;
    const auto r = h.get("/api/v1/services?%85=1");
    REQUIRE(r.status == 400);
    CHECK(r.content_type == "application/problem+json");
    const auto doc = nlohmann::json::parse(r.body);
    CHECK(doc["parameter"] == "\xEF\xBF\xBD"); // U+FFFD for the byte 0x85
}
