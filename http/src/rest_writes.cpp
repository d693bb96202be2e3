// The write API (OGC API - Features Part 4 semantics where they apply): create with POST,
// replace with PUT, change with PATCH (JSON merge patch), soft-delete with DELETE, each needing
// the version read (If-Match) once the record exists. Bodies are the JSON `enlace show` prints;
// members the registry keeps (ids, timestamps, review state, the public point) may appear only
// with their stored value. Every rule of who may write what is the core's (Registry::put).
#include "endpoints.hpp"
#include "problem.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace enlace::http::detail {
namespace {

using nlohmann::json;

/// Members a writer cannot set, by kind.
std::vector<std::string> read_only_members(core::RecordKind kind) {
    switch (kind) {
    case core::RecordKind::service:
        return {"id", "created_at", "updated_at", "review_status", "public_location"};
    case core::RecordKind::actor:
        return {"id", "updated_at"};
    case core::RecordKind::practice:
        return {"id", "updated_at", "review_status", "reviewed_by", "reviewed_on"};
    }
    return {"id"};
}

/// Each read-only member of the body that is not the stored value, by path (mass assignment).
void check_read_only(core::RecordKind kind, const json& body, const json* current) {
    std::vector<core::validation_issue> issues;
    for (const auto& member : read_only_members(kind)) {
        if (!body.contains(member) || body[member].is_null()) continue;
        json stored = current && current->contains(member) ? (*current)[member] : json();
        // A service shows its review state only where it is not published.
        if (member == "review_status" && current && stored.is_null()) stored = "published";
        if (body[member] != stored)
            issues.push_back({member, current ? "is kept by the registry: leave it out or send the stored value"
                                              : "is kept by the registry: leave it out of a new record"});
    }
    if (!issues.empty()) throw core::validation_error(std::move(issues));
}

/// A GeoJSON Feature's properties as the record, its Point geometry as the location.
json record_of_feature(json feature) {
    if (feature.value("type", "") != "Feature") throw core::validation_error("type", "must be \"Feature\"");
    json record =
        feature.contains("properties") && feature["properties"].is_object() ? feature["properties"] : json::object();
    if (feature.contains("geometry") && feature["geometry"].is_object()) {
        const auto& g = feature["geometry"];
        if (g.value("type", "") != "Point" || !g.contains("coordinates") || !g["coordinates"].is_array() ||
            g["coordinates"].size() < 2 || !g["coordinates"][0].is_number() || !g["coordinates"][1].is_number())
            throw core::validation_error("geometry", "must be a Point with [lon, lat] coordinates");
        json location =
            record.contains("location") && record["location"].is_object() ? record["location"] : json::object();
        location["lon"] = g["coordinates"][0];
        location["lat"] = g["coordinates"][1];
        record["location"] = std::move(location);
    }
    if (feature.contains("id") && !feature["id"].is_null() && !record.contains("id")) record["id"] = feature["id"];
    return record;
}

json record_body(const Call& call, bool feature, bool patch) {
    if (feature) return record_of_feature(parse_body(call.request, {"application/geo+json", "application/json"}));
    if (patch) return parse_body(call.request, {"application/merge-patch+json", "application/json"});
    return parse_body(call.request, {"application/json"});
}

core::WriteResult put_json(const Call& call, core::RecordKind kind, const json& record,
                           const core::WriteOptions& options) {
    auto& registry = call.context.registry;
    switch (kind) {
    case core::RecordKind::service:
        return registry.put(call.caller, core::service_from_json(record), options);
    case core::RecordKind::actor:
        return registry.put(call.caller, core::actor_from_json(record), options);
    case core::RecordKind::practice:
        return registry.put(call.caller, core::practice_from_json(record), options);
    }
    throw core::not_found("no such collection");
}

core::WriteOptions write_options(const Call& call) {
    core::WriteOptions options;
    options.reviewed = true;
    options.if_version = if_match_version(call.request);
    return options;
}

/// What a write answers: the record as the writer now sees it (the proposal, for an edit that
/// waits for review: 202), its version as the ETag, and the change log's revision.
Response written(const Call& call, core::RecordKind kind, const core::WriteResult& result, bool created) {
    auto& registry = call.context.registry;
    std::string body;
    if (result.pending) {
        body = registry.pending_json(call.caller, kind, result.id).value_or("{}");
    } else if (const auto shown = registry.shown(call.caller, kind, result.id)) {
        body = shown->json;
    }
    Response response = text_response(body.empty() ? "{}" : body);
    response.status = created ? 201 : result.pending ? 202 : 200;
    response.headers.emplace_back("ETag", version_tag(result.version));
    response.headers.emplace_back("Enlace-Revision", std::to_string(result.revision));
    if (created)
        response.headers.emplace_back("Location", call.base_url + "/api/v1/" + collection_of(kind) + "/" +
                                                      std::to_string(result.id));
    return response;
}

} // namespace

json parse_body(const Request& request, std::initializer_list<std::string_view> types) {
    const auto semicolon = request.content_type.find(';');
    std::string type = request.content_type.substr(0, semicolon);
    while (!type.empty() && type.back() == ' ')
        type.pop_back();
    bool known = false;
    for (const auto t : types)
        known = known || type == t;
    if (!known) {
        std::string list;
        for (const auto t : types)
            list += (list.empty() ? "" : ", ") + std::string(t);
        throw unsupported_media("the body must be " + list + (type.empty() ? "" : ", not " + type));
    }
    auto body = json::parse(request.body, nullptr, false);
    if (body.is_discarded()) throw core::query_error("body", "is not valid JSON");
    if (!body.is_object()) throw core::query_error("body", "must be a JSON object");
    return body;
}

std::string version_tag(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

std::optional<std::int64_t> if_match_version(const Request& request) {
    std::string_view tag = request.if_match;
    while (!tag.empty() && tag.front() == ' ')
        tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ')
        tag.remove_suffix(1);
    if (tag.empty()) return std::nullopt;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    std::int64_t version = 0;
    if (tag.size() < 4 || tag.front() != '"' || tag.back() != '"' || tag[1] != 'v')
        throw precondition_malformed("If-Match must be the record's ETag, \"v<version>\"");
    const auto digits = tag.substr(2, tag.size() - 3);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (ec != std::errc() || end != digits.data() + digits.size() || version < 1)
        throw precondition_malformed("If-Match must be the record's ETag, \"v<version>\"");
    return version;
}

std::string collection_of(core::RecordKind kind) {
    switch (kind) {
    case core::RecordKind::service:
        return "services";
    case core::RecordKind::actor:
        return "actors";
    case core::RecordKind::practice:
        return "practices";
    }
    return "services";
}

Response rest_create(const Call& call, core::RecordKind kind, bool feature) {
    call.params.require_known({"confirm_duplicate"});
    if (call.caller.is_public()) throw core::unauthorized("writing needs a registry user's token");
    if (!call.caller.may_write()) throw core::forbidden("a viewer reads records and may not write them");
    const json record = record_body(call, feature, false);
    check_read_only(kind, record, nullptr);
    core::WriteOptions options = write_options(call);
    options.check_duplicates = kind == core::RecordKind::service;
    if (const auto confirmed = call.params.integer("confirm_duplicate")) options.confirm_duplicate = *confirmed;
    return written(call, kind, put_json(call, kind, record, options), true);
}

Response rest_change(const Call& call, core::RecordKind kind, std::int64_t id, bool patch, bool feature) {
    call.params.require_known({});
    auto& registry = call.context.registry;
    // Authorised against the stored record before the body is read: a 422 must not tell about a
    // record the caller may not see.
    registry.check_writable(call.caller, kind, id);
    const auto current = registry.shown(call.caller, kind, id);
    if (!current) throw core::not_found("no " + std::string(core::to_string(kind)) + " with id " + std::to_string(id));
    const json stored = json::parse(current->json);
    json record = record_body(call, feature, patch);
    if (patch) {
        json merged = stored;
        merged.merge_patch(record);
        record = std::move(merged);
    }
    check_read_only(kind, record, &stored);
    record["id"] = id;
    return written(call, kind, put_json(call, kind, record, write_options(call)), false);
}

Response rest_delete(const Call& call, core::RecordKind kind, std::int64_t id) {
    call.params.require_known({});
    const auto result = call.context.registry.remove(call.caller, kind, id, write_options(call));
    Response response;
    response.status = 204;
    response.content_type.clear();
    response.headers.emplace_back("Enlace-Revision", std::to_string(result.revision));
    return response;
}

} // namespace enlace::http::detail
