// Problem reports over HTTP: anyone files one on a service it can read (throttled per client:
// the address is counted in memory and kept nowhere); editors and reviewers in scope list them
// and triage, resolve or dismiss them. The rules are the core's (Registry::file_report ...).
#include "endpoints.hpp"
#include "problem.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/query.hpp"
#include "enlace/http/report_throttle.hpp"

#include <nlohmann/json.hpp>

namespace enlace::http::detail {
namespace {

using nlohmann::json;

json report_json(const core::Report& r) {
    const auto date = [](const std::string& d) { return d.empty() ? json() : json(d); };
    json out{{"id", r.id},
             {"service_id", r.service_id},
             {"country", r.country},
             {"reason", core::to_string(r.reason)},
             {"status", core::to_string(r.status)},
             {"filed_on", r.filed_on},
             {"triaged_on", date(r.triaged_on)},
             {"closed_on", date(r.closed_on)}};
    // Present only for those who review the country, and only until the report is closed.
    if (r.text) out["text"] = *r.text;
    return out;
}

/// The body of a report: {"reason": ..., "text": ...}, nothing else.
core::ReportDraft report_draft(const Request& request) {
    const auto body = parse_body(request, {"application/json"});
    std::vector<core::validation_issue> issues;
    core::ReportDraft draft;
    for (const auto& [key, value] : body.items()) {
        if (key == "reason") {
            if (value.is_string())
                draft.reason = value.get<std::string>();
            else
                issues.push_back({"reason", "must be a string: closed, moved, wrong_phone or other"});
        } else if (key == "text") {
            if (value.is_string())
                draft.text = value.get<std::string>();
            else if (!value.is_null())
                issues.push_back({"text", "must be a string"});
        } else {
            issues.push_back({key, "is not a member of a report (only reason and text are): nothing about the "
                                   "reporter is asked"});
        }
    }
    if (!issues.empty()) throw core::validation_error(std::move(issues));
    return draft;
}

/// A decision's body is empty (or an empty object): a report's decision carries no text.
void refuse_decision_body(const Request& request) {
    if (request.body.empty()) return;
    const auto body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) throw core::query_error("body", "must be empty or {}");
    std::vector<core::validation_issue> issues;
    for (const auto& [key, value] : body.items())
        issues.push_back({key, "is not a member of a report's decision (it takes none)"});
    if (!issues.empty()) throw core::validation_error(std::move(issues));
}

Response rest_reports(const Call& call) {
    call.params.require_known({"country", "status", "service_id"});
    core::ReportFilter filter;
    filter.countries = core::split_list(call.params.get("country"), true);
    for (const auto& c : filter.countries)
        if (!call.context.registry.reference().country(c))
            throw core::query_error("country", "'" + c + "' is not a member country (alpha-2)");
    if (call.params.has("status")) {
        filter.status = core::parse_report_status(call.params.get("status"));
        if (!filter.status) throw core::query_error("status", "must be new, triaged, resolved or dismissed");
    }
    if (const auto service = call.params.integer("service_id")) filter.service_id = *service;
    json items = json::array();
    for (const auto& r : call.context.registry.reports(call.caller, filter))
        items.push_back(report_json(r));
    return json_response({{"items", std::move(items)}});
}

Response rest_report_decision(const Call& call, std::int64_t id, const std::string& action) {
    call.params.require_known({});
    const auto decision = core::parse_report_decision(action);
    if (!decision) throw core::not_found("no action '" + action + "' of a report (triage, resolve, dismiss)");
    refuse_decision_body(call.request);
    auto& registry = call.context.registry;
    const auto result = registry.decide_report(call.caller, id, *decision);
    Response response = json_response(report_json(registry.report(call.caller, id)));
    response.headers.emplace_back("Enlace-Revision", std::to_string(result.revision));
    return response;
}

} // namespace

Response rest_file_report(const Call& call, std::int64_t service_id) {
    call.params.require_known({});
    auto* throttle = call.context.report_throttle;
    if (throttle)
        if (const int wait = throttle->take(call.request.client); wait > 0)
            throw too_many_attempts(wait, "Too many reports",
                                    "this client filed the most problem reports allowed for now: try again in " +
                                        std::to_string(wait) + " s");
    try {
        // The service before the body: a 422 must not tell that a hidden service exists.
        if (!call.context.registry.service(call.caller, service_id))
            throw core::not_found("no service with id " + std::to_string(service_id));
        const auto id = call.context.registry.file_report(call.caller, service_id, report_draft(call.request));
        Response response = json_response({{"id", id}, {"service_id", service_id}, {"status", "new"}});
        response.status = 201;
        return response;
    } catch (...) {
        if (throttle) throttle->give_back(call.request.client);
        throw;
    }
}

Response route_reports(const Call& call, const std::vector<std::string>& seg) {
    const auto& method = call.request.method;
    const bool get = method == "GET" || method == "HEAD";
    const auto n = seg.size();
    if (n == 3) {
        if (!get) throw method_not_allowed("GET, HEAD, OPTIONS");
        return rest_reports(call);
    }
    const auto id = parse_id(seg[3]);
    if (n == 4) {
        if (!get) throw method_not_allowed("GET, HEAD, OPTIONS");
        call.params.require_known({});
        return json_response(report_json(call.context.registry.report(call.caller, id)));
    }
    if (n == 5) {
        if (method != "POST") throw method_not_allowed("POST, OPTIONS");
        return rest_report_decision(call, id, seg[4]);
    }
    throw core::not_found("no resource at " + call.path);
}

} // namespace enlace::http::detail
