// The Strategic Plan over HTTP (docs/strategic-plan.md): its structure for anyone; its cells for
// registry users, each with its version as the ETag; proposals, confirmations and notes written
// with the same rules as the CLI (the core's); the table as CSV or XLSX for the meeting.
//   GET  /api/v1/plan                                    the structure
//   GET  /api/v1/plan/entries[?country=&status=&format=] every cell (json, csv, xlsx)
//   GET  /api/v1/plan/entries/{action}/{country}         one cell
//   PUT  /api/v1/plan/entries/{action}/{country}         {"actors": [ids], "comment": ...}
//   POST /api/v1/plan/entries/{action}/{country}/confirm {"comment": ...}
//   POST /api/v1/plan/entries/{action}/{country}/notes   {"on": "YYYY-MM-DD", "text": ...}
//   GET  /api/v1/plan/entries/{action}/{country}/history
//   GET  /api/v1/plan/history                            the structure's changes
#include "endpoints.hpp"
#include "export_file.hpp"
#include "problem.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/strategic_plan.hpp"
#include "enlace/geo/plan_export.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>

namespace enlace::http::detail {
namespace {

using nlohmann::json;

/// The entry as the core writes it, with each entity's name beside its id.
json entry_json(const core::PlanEntry& entry) {
    json out = json::parse(core::plan_entry_json(entry));
    json responsible = json::array();
    for (std::size_t i = 0; i < entry.actors.size(); ++i) {
        json actor{{"id", entry.actors[i]}};
        const auto& name = i < entry.actor_names.size() ? entry.actor_names[i] : std::string();
        if (name.empty())
            actor["deleted"] = true;
        else
            actor["name"] = name;
        responsible.push_back(std::move(actor));
    }
    out["responsible"] = std::move(responsible);
    return out;
}

Response entry_response(const core::PlanEntry& entry) {
    Response response = json_response(entry_json(entry));
    if (entry.version > 0) response.headers.emplace_back("ETag", version_tag(entry.version));
    return response;
}

/// A write's JSON body: an object of the members `known` only (an empty body is {}).
json body_of(const Request& request, std::initializer_list<std::string_view> known) {
    if (request.body.empty()) return json::object();
    auto body = parse_body(request, {"application/json"});
    std::vector<core::validation_issue> issues;
    for (const auto& [key, value] : body.items())
        if (std::find(known.begin(), known.end(), key) == known.end())
            issues.push_back({key, "is not a member of this request"});
    if (!issues.empty()) throw core::validation_error(std::move(issues));
    return body;
}

/// A string member, "" when absent; validation_error naming it otherwise.
std::string text_member(const json& body, const char* key) {
    if (!body.contains(key) || body[key].is_null()) return {};
    if (!body[key].is_string()) throw core::validation_error(key, "must be a string");
    return body[key].get<std::string>();
}

core::WriteOptions options_of(const Call& call, const json& body) {
    core::WriteOptions options;
    options.if_version = if_match_version(call.request);
    options.comment = text_member(body, "comment");
    return options;
}

std::vector<std::int64_t> actors_of(const json& body) {
    if (!body.contains("actors")) throw core::validation_error("actors", "is required: the entities' actor ids");
    const auto& actors = body["actors"];
    if (!actors.is_array()) throw core::validation_error("actors", "must be an array of actor ids");
    std::vector<core::validation_issue> issues;
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < actors.size(); ++i) {
        if (actors[i].is_number_integer())
            out.push_back(actors[i].get<std::int64_t>());
        else
            issues.push_back({"actors[" + std::to_string(i) + "]", "must be an actor id (an integer)"});
    }
    if (!issues.empty()) throw core::validation_error(std::move(issues));
    return out;
}

json history_json(const std::vector<core::PlanChange>& changes) {
    json items = json::array();
    for (const auto& c : changes) {
        json item{{"id", c.id}, {"at", c.at}, {"who", c.who}, {"change", c.change}};
        if (!c.before.empty()) item["before"] = json::parse(c.before);
        if (!c.after.empty()) item["after"] = json::parse(c.after);
        if (!c.comment.empty()) item["comment"] = c.comment;
        items.push_back(std::move(item));
    }
    return json{{"items", std::move(items)}};
}

Response structure(const Call& call) {
    call.params.require_known({});
    const auto plan = call.context.registry.plan();
    if (!plan) throw core::not_found("no Strategic Plan is loaded");
    return text_response(plan->to_json());
}

/// The table as a file (format=csv or xlsx), written by the geo layer to a temporary folder.
Response table_file(const Call& call, const std::string& format, const std::vector<std::string>& countries) {
    if (format != "csv" && format != "xlsx") throw core::query_error("format", "must be json, csv or xlsx");
    geo::PlanExportOptions options;
    options.countries = countries;
    options.language = call.params.has("lang") ? call.params.get("lang") : "es";
    const ExportFolder folder;
    const auto path = folder.file("plan." + format);
    geo::export_plan(call.context.registry, call.caller, path, options);
    Response response;
    response.body = read_binary(path);
    response.content_type = format == "csv" ? "text/csv; charset=utf-8"
                                            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"strategic-plan." + format + "\"");
    return response;
}

Response entries(const Call& call) {
    call.params.require_known({"country", "status", "format", "lang"});
    core::PlanFilter filter;
    filter.countries = core::split_list(call.params.get("country"), true);
    if (call.params.has("status")) {
        filter.status = core::parse_plan_status(call.params.get("status"));
        if (!filter.status) throw core::query_error("status", "must be missing, proposed or confirmed");
    }
    const std::string format = call.params.has("format") ? call.params.get("format") : "json";
    if (format != "json") {
        if (filter.status) throw core::query_error("status", "the files hold every cell: filter in the sheet");
        return table_file(call, format, filter.countries);
    }
    json items = json::array();
    for (const auto& entry : call.context.registry.plan_entries(call.caller, filter))
        items.push_back(entry_json(entry));
    return json_response({{"items", std::move(items)}});
}

Response cell(const Call& call, const std::string& action, const std::string& country,
              const std::optional<std::string>& step) {
    const auto& method = call.request.method;
    const bool get = method == "GET" || method == "HEAD";
    auto& registry = call.context.registry;
    if (!step) {
        if (method == "PUT") {
            call.params.require_known({});
            registry.check_plan_writable(call.caller, action, country); // before the body (DECISIONS)
            const auto body = body_of(call.request, {"actors", "comment"});
            const auto options = options_of(call, body);
            return entry_response(registry.propose_plan(call.caller, action, country, actors_of(body), options));
        }
        if (!get) throw method_not_allowed("GET, HEAD, PUT, OPTIONS");
        call.params.require_known({});
        return entry_response(registry.plan_entry(call.caller, action, country));
    }
    if (*step == "history") {
        if (!get) throw method_not_allowed("GET, HEAD, OPTIONS");
        call.params.require_known({});
        return json_response(history_json(registry.plan_history(call.caller, action, country)));
    }
    if (*step == "confirm" || *step == "notes") {
        if (method != "POST") throw method_not_allowed("POST, OPTIONS");
        call.params.require_known({});
        if (*step == "confirm") {
            registry.plan_entry(call.caller, action, country); // 401 and 404 before the body
            const auto body = body_of(call.request, {"comment"});
            return entry_response(registry.confirm_plan(call.caller, action, country, options_of(call, body)));
        }
        registry.check_plan_writable(call.caller, action, country);
        const auto body = body_of(call.request, {"on", "text", "comment"});
        const auto options = options_of(call, body);
        return entry_response(registry.add_plan_note(call.caller, action, country, text_member(body, "on"),
                                                     text_member(body, "text"), options));
    }
    throw core::not_found("no resource at " + call.path);
}

} // namespace

Response route_plan(const Call& call, const std::vector<std::string>& seg) {
    const auto& method = call.request.method;
    const bool get = method == "GET" || method == "HEAD";
    const auto n = seg.size();
    if (n == 3 || (n == 4 && (seg[3] == "history" || seg[3] == "entries"))) {
        if (!get) throw method_not_allowed("GET, HEAD, OPTIONS");
        if (n == 3) return structure(call);
        if (seg[3] == "entries") return entries(call);
        call.params.require_known({});
        return json_response(history_json(call.context.registry.plan_history(call.caller, "", "")));
    }
    if (seg[3] == "entries" && (n == 6 || n == 7))
        return cell(call, seg[4], seg[5], n == 7 ? std::optional<std::string>(seg[6]) : std::nullopt);
    throw core::not_found("no resource at " + call.path);
}

} // namespace enlace::http::detail
