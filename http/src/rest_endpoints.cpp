// The REST API under /api/v1: services (JSON or GeoJSON), one service, taxonomy, countries, stats.
#include "endpoints.hpp"
#include "geojson.hpp"
#include "service_filters.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/json_text.hpp"
#include "enlace/core/record_json.hpp"

#include <nlohmann/json.hpp>

namespace enlace::http::detail {
namespace {

/// GeoJSON when asked by f=geojson or by an Accept header naming application/geo+json.
bool wants_geojson(const Call& call) {
    const auto f = call.params.get("f");
    if (!f.empty() && f != "json" && f != "geojson") throw core::query_error("f", "must be json or geojson");
    if (!f.empty()) return f == "geojson";
    return call.request.accept.find("application/geo+json") != std::string::npos;
}

/// A boolean parameter: true, false, or `fallback` when absent.
bool flag(const Call& call, const char* name, bool fallback) {
    if (!call.params.has(name)) return fallback;
    const auto value = call.params.get(name);
    if (value == "true") return true;
    if (value == "false") return false;
    throw core::query_error(name, "must be true or false");
}

/// view=full (the whole public record, the default) or view=map (id, name, types, location).
bool wants_map_view(const Call& call) {
    const auto view = call.params.get("view");
    if (!view.empty() && view != "full" && view != "map") throw core::query_error("view", "must be full or map");
    return view == "map";
}

/// Problem reports an editor triaged (docs/security.md "Problem reports"): `"reported_problems":
/// [{"reason": "closed", "reported_on": "2026-12-02"}]` closes the item, when it has any. Their
/// decisions move the service's version, so its ETag changes with them.
void append_reported_problems(std::string& item, const std::vector<core::ReportedProblem>& problems) {
    if (problems.empty() || item.empty() || item.back() != '}') return;
    item.pop_back();
    item += R"(,"reported_problems":[)";
    for (std::size_t i = 0; i < problems.size(); ++i) {
        if (i) item += ',';
        item += R"({"reason":)";
        core::append_json_string(item, core::to_string(problems[i].reason));
        item += R"(,"reported_on":)";
        core::append_json_string(item, problems[i].reported_on);
        item += '}';
    }
    item += "]}";
}

} // namespace

Response rest_healthz(const Call& call) {
    call.params.require_known({});
    // Liveness reads nothing from the store, so that a database that is down turns the servers
    // not ready (/readyz) rather than dead: the schema is the program's (a registry of another
    // version is refused at open), and how far this process has followed the change log is its
    // own (behind the others' revision, it has not seen their latest writes yet).
    return json_response({{"status", "ok"},
                          {"schema_version", core::Registry::current_schema_version()},
                          {"followed_revision", call.context.registry.followed_revision()}});
}

Response rest_readyz(const Call& call) {
    call.params.require_known({});
    const auto r = call.context.registry.readiness();
    nlohmann::json body = {{"status", r.ready ? "ready" : "not ready"}};
    if (r.revision) body["revision"] = r.revision;
    if (r.index_revision) body["index_revision"] = r.index_revision;
    if (!r.ready) body["problem"] = r.problem;
    auto response = json_response(body);
    response.headers.emplace_back("Cache-Control", "no-store");
    if (!r.ready) {
        response.status = 503;
        response.headers.emplace_back("Retry-After", "5");
    }
    return response;
}

Response rest_services(const Call& call) {
    call.params.require_known(with_service_filters({"limit", "cursor", "f", "lang", "with_total", "view"}));
    const bool geojson = wants_geojson(call);
    const bool map_view = wants_map_view(call);
    auto query = service_query(call.params, {50, core::ServiceQuery::max_limit, false});
    core::scope_to_reader(query, call.caller);
    query.with_total = flag(call, "with_total", false);
    const auto page = call.context.registry.find(query);
    const auto lang = call.params.get("lang");

    std::string body = geojson ? R"({"type":"FeatureCollection","features":[)" : R"({"items":[)";
    body.reserve(page.items.size() * (map_view ? 192 : 1536) + 1024);
    for (std::size_t i = 0; i < page.items.size(); ++i) {
        if (i) body += ',';
        const auto& hit = page.items[i];
        if (map_view) {
            if (geojson)
                append_map_feature(body, hit.service, lang);
            else
                append_map_item(body, hit.service, lang);
        } else if (geojson) {
            append_rest_feature(body, hit.service, hit.distance_m, lang);
        } else {
            append_rest_item(body, hit.service, hit.distance_m, lang);
        }
    }
    body += R"(],"next_cursor":)";
    if (page.next_cursor.empty())
        body += "null";
    else
        core::append_json_string(body, page.next_cursor);
    if (page.total) {
        body += R"(,"total":)";
        core::append_json_number(body, *page.total);
    }
    body += R"(,"available_here":[)";
    for (std::size_t i = 0; i < page.available_here.size(); ++i) {
        if (i) body += ',';
        if (map_view)
            append_map_item(body, page.available_here[i], lang);
        else
            append_rest_item(body, page.available_here[i], std::nullopt, lang);
    }
    body += R"(],"available_here_total":)";
    core::append_json_number(body, page.available_here_total);
    if (query.near) {
        // The countries holding the point (as available_here uses them): a page can widen a
        // search to the caseworker's own country without a geocoder.
        body += R"(,"point_countries":[)";
        const auto here = call.context.registry.reference().countries_at(query.near->point);
        for (std::size_t i = 0; i < here.size(); ++i) {
            if (i) body += ',';
            core::append_json_string(body, here[i]->alpha2);
        }
        body += ']';
    }
    body += '}';
    return text_response(std::move(body), geojson ? "application/geo+json" : "application/json");
}

Response rest_service(const Call& call, std::int64_t id) {
    call.params.require_known({"f", "lang"});
    const bool geojson = wants_geojson(call);
    // Whole for a reader in scope (drafts, restricted records, exact points), else the public view.
    const auto service = call.context.registry.service(call.caller, id);
    if (!service) throw core::not_found("no service with id " + std::to_string(id));
    std::string body;
    if (geojson)
        append_rest_feature(body, *service, std::nullopt, call.params.get("lang"));
    else
        append_rest_item(body, *service, std::nullopt, call.params.get("lang"));
    if (!geojson) append_reported_problems(body, call.context.registry.reported_problems(id));
    auto response = text_response(std::move(body), geojson ? "application/geo+json" : "application/json");
    response.headers.emplace_back("ETag", version_tag((*service)->version));
    return response;
}

Response rest_taxonomy(const Call& call) {
    call.params.require_known({});
    nlohmann::json items = nlohmann::json::array();
    for (const auto& term : call.context.registry.reference().terms())
        items.push_back(core::to_json(term));
    return json_response({{"items", std::move(items)}});
}

Response rest_countries(const Call& call) {
    call.params.require_known({});
    nlohmann::json items = nlohmann::json::array();
    for (const auto& country : call.context.registry.reference().countries())
        items.push_back(core::to_json(country));
    return json_response({{"items", std::move(items)}});
}

Response rest_stats(const Call& call) {
    call.params.require_known({});
    nlohmann::json cells = nlohmann::json::array();
    for (const auto& cell : call.context.registry.stats(core::Audience::public_))
        cells.push_back({{"country", cell.country}, {"type", cell.type}, {"services", cell.services}});
    return json_response({{"cells", std::move(cells)}});
}

} // namespace enlace::http::detail
