// Review and accountability over HTTP: the transitions of a record (and of its pending revision),
// restore and verify, its history, its pending revision with a field-by-field diff, the review
// queue, the stale list and who the caller is. The rules are the core's; this maps them.
#include "endpoints.hpp"
#include "problem.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/verification.hpp"
#include "enlace/core/vocabulary.hpp"

#include <nlohmann/json.hpp>

namespace enlace::http::detail {
namespace {

using nlohmann::json;

/// The one member a transition's body may carry.
std::string comment_of(const Request& request) {
    if (request.body.empty()) return {};
    const auto body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) throw core::query_error("body", "must be a JSON object");
    for (const auto& [key, value] : body.items())
        if (key != "comment") throw core::validation_error(key, "is not a member of a transition (only comment is)");
    if (!body.contains("comment")) return {};
    if (!body["comment"].is_string()) throw core::validation_error("comment", "must be a string");
    return body["comment"].get<std::string>();
}

json status_json(core::RecordKind kind, std::int64_t id, const core::RecordStatus& s) {
    json out{{"kind", core::to_string(kind)}, {"id", id},
             {"version", s.version},          {"review_status", core::to_string(s.review_status)},
             {"deleted", s.deleted},          {"editors", s.editors}};
    if (s.pending)
        out["pending_revision"] = {{"revision", s.pending->base_version},
                                   {"state", core::to_string(s.pending->state)},
                                   {"editors", s.pending->editors},
                                   {"comment", s.pending->comment},
                                   {"updated_at", s.pending->updated_at}};
    return out;
}

json changes_json(const std::vector<core::FieldChange>& changes) {
    json out = json::array();
    for (const auto& c : changes)
        out.push_back({{"path", c.path}, {"before", json::parse(c.before)}, {"after", json::parse(c.after)}});
    return out;
}

Response status_response(const Call& call, core::RecordKind kind, const core::WriteResult& result) {
    const auto status = call.context.registry.status(call.caller, kind, result.id);
    Response response = json_response(status_json(kind, result.id, status));
    response.headers.emplace_back("ETag", version_tag(status.version));
    response.headers.emplace_back("Enlace-Revision", std::to_string(result.revision));
    return response;
}

core::WriteOptions action_options(const Call& call) {
    core::WriteOptions options;
    options.reviewed = true;
    options.if_version = if_match_version(call.request);
    options.comment = comment_of(call.request);
    return options;
}

} // namespace

Response rest_record_action(const Call& call, core::RecordKind kind, std::int64_t id, const std::string& action) {
    call.params.require_known({});
    auto& registry = call.context.registry;
    const auto options = action_options(call);
    core::WriteResult result;
    if (action == "restore") {
        result = registry.restore(call.caller, kind, id, options);
    } else if (action == "verify") {
        if (kind != core::RecordKind::service) throw core::not_found("only services are verified");
        result = registry.verify(call.caller, id, options);
    } else if (const auto transition = core::parse_transition(action); transition && action != "reject") {
        result = registry.transition(call.caller, kind, id, *transition, options);
    } else {
        throw core::not_found("no action '" + action +
                              "' (submit, withdraw, request-changes, approve, archive, restore" +
                              (kind == core::RecordKind::service ? ", verify)" : ")"));
    }
    return status_response(call, kind, result);
}

Response rest_history(const Call& call, core::RecordKind kind, std::int64_t id) {
    call.params.require_known({});
    json items = json::array();
    for (const auto& change : call.context.registry.history(call.caller, kind, id)) {
        json item{{"revision", change.revision},
                  {"at", change.at},
                  {"action", change.action},
                  {"pending_revision", change.pending},
                  {"changes", changes_json(core::field_changes(change.before, change.after))}};
        if (!change.who.empty()) item["who"] = change.who;
        if (!change.comment.empty()) item["comment"] = change.comment;
        if (change.change_set != 0) item["change_set"] = change.change_set;
        items.push_back(std::move(item));
    }
    return json_response({{"items", std::move(items)}});
}

Response rest_revisions(const Call& call, core::RecordKind kind, std::int64_t id) {
    call.params.require_known({});
    auto& registry = call.context.registry;
    const auto status = registry.status(call.caller, kind, id);
    json items = json::array();
    if (status.pending) {
        const auto proposed = registry.pending_json(call.caller, kind, id).value_or("{}");
        const auto live = registry.shown(call.caller, kind, id);
        items.push_back({{"revision", status.pending->base_version},
                         {"state", core::to_string(status.pending->state)},
                         {"editors", status.pending->editors},
                         {"comment", status.pending->comment},
                         {"updated_at", status.pending->updated_at},
                         {"changes", changes_json(core::field_changes(live ? live->json : "{}", proposed))},
                         {"proposed", json::parse(proposed)}});
    }
    return json_response({{"items", std::move(items)}});
}

Response rest_revision_action(const Call& call, core::RecordKind kind, std::int64_t id, std::int64_t revision,
                              const std::string& action) {
    call.params.require_known({});
    auto& registry = call.context.registry;
    const auto status = registry.status(call.caller, kind, id);
    if (!status.pending || status.pending->base_version != revision)
        throw core::not_found("no pending revision " + std::to_string(revision) + " of " +
                              std::string(core::to_string(kind)) + " " + std::to_string(id));
    const auto transition = action == "approve" ? core::Transition::approve
                            : action == "reject"
                                ? core::Transition::reject
                                : throw core::not_found("no action '" + action + "' (approve, reject)");
    return status_response(call, kind, registry.transition(call.caller, kind, id, transition, action_options(call)));
}

Response rest_review_queue(const Call& call) {
    call.params.require_known({"country"});
    json items = json::array();
    for (const auto& entry :
         call.context.registry.review_queue(call.caller, core::split_list(call.params.get("country"), true)))
        items.push_back({{"kind", core::to_string(entry.kind)},
                         {"id", entry.id},
                         {"title", entry.title},
                         {"countries", entry.countries},
                         {"pending_revision", entry.revision},
                         {"editors", entry.editors},
                         {"updated_at", entry.updated_at}});
    return json_response({{"items", std::move(items)}});
}

Response rest_me(const Call& call) {
    call.params.require_known({});
    const auto& c = call.caller;
    if (c.is_public()) throw core::unauthorized("no token: reading as the public");
    return json_response({{"name", c.name},
                          {"role", core::to_string(c.role)},
                          {"countries", c.countries},
                          {"every_country", c.every_country()}});
}

Response rest_stale(const Call& call) {
    call.params.require_known({"older_than", "country", "limit", "cursor"});
    const auto span = call.params.get("older_than");
    auto query = core::due_for_verification(call.caller, core::split_list(call.params.get("country"), true),
                                            span.empty() ? "180d" : span, "older_than");
    query.limit = static_cast<int>(call.params.integer("limit").value_or(100));
    if (query.limit < 1 || query.limit > 1000) throw core::query_error("limit", "must be between 1 and 1000");
    query.cursor = call.params.get("cursor");
    const auto page = call.context.registry.find(query);
    json items = json::array();
    for (const auto& item : page.items) {
        const auto& s = *item.service.record();
        items.push_back({{"id", s.id},
                         {"name", s.name},
                         {"country", s.country},
                         {"last_verified", s.last_verified.empty() ? json() : json(s.last_verified)}});
    }
    return json_response({{"verified_before", query.verified_before},
                          {"items", std::move(items)},
                          {"next_cursor", page.next_cursor.empty() ? json() : json(page.next_cursor)}});
}

} // namespace enlace::http::detail
