// The REST API's actors and practices: lists filtered by the core's ActorQuery / PracticeQuery with
// keyset paging, and one record by id. The public sees published practices only.
#include "endpoints.hpp"
#include "geojson.hpp"
#include "service_filters.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"

#include <nlohmann/json.hpp>

namespace enlace::http::detail {
namespace {

constexpr int default_limit = 50;

int page_limit(const Params& params) {
    const auto limit = params.integer("limit").value_or(default_limit);
    if (limit < 1 || limit > core::ServiceQuery::max_limit)
        throw core::query_error("limit", "must be between 1 and " + std::to_string(core::ServiceQuery::max_limit));
    return static_cast<int>(limit);
}

nlohmann::json nullable(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json actor_item(const core::Actor& actor, const std::string& lang) {
    auto item = core::to_json(actor);
    if (lang.empty()) return item;
    nlohmann::json used = nlohmann::json::object();
    resolve_field(item, used, actor.name, "name", lang);
    resolve_field(item, used, actor.description, "description", lang);
    item["resolved_language"] = std::move(used);
    return item;
}

nlohmann::json practice_item(const core::Practice& practice, const std::string& lang) {
    auto item = core::to_json(practice);
    if (lang.empty()) return item;
    nlohmann::json used = nlohmann::json::object();
    resolve_field(item, used, practice.title, "title", lang);
    for (const auto& [field, text] : practice.narrative)
        resolve_field(item, used, text, field, lang);
    item["resolved_language"] = std::move(used);
    return item;
}

std::vector<int> parse_axes(const std::string& text) {
    std::vector<int> axes;
    for (const auto& part : split_list(text, false)) {
        if (part.size() != 1 || part[0] < '1' || part[0] > '5')
            throw core::query_error("axis", "must be RCM axes from 1 to 5, comma-separated ('" + part + "' is not)");
        axes.push_back(part[0] - '0');
    }
    return axes;
}

} // namespace

Response rest_actors(const Call& call) {
    call.params.require_known({"country", "type", "q", "limit", "cursor", "lang"});
    core::ActorQuery query;
    query.countries = split_list(call.params.get("country"), true);
    query.actor_types = split_list(call.params.get("type"), true);
    for (const auto& type : query.actor_types)
        if (!call.context.registry.reference().has_actor_type(type))
            throw core::query_error("type", "unknown actor type '" + type + "'");
    query.text = call.params.get("q");
    query.limit = page_limit(call.params);
    query.cursor = call.params.get("cursor");
    const auto page = call.context.registry.find(query);
    const auto lang = call.params.get("lang");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& actor : page.items)
        items.push_back(actor_item(actor, lang));
    return json_response({{"items", std::move(items)}, {"next_cursor", nullable(page.next_cursor)}});
}

Response rest_actor(const Call& call, std::int64_t id) {
    call.params.require_known({"lang"});
    const auto actor = call.context.registry.actor(id);
    if (!actor) throw core::not_found("no actor with id " + std::to_string(id));
    auto response = json_response(actor_item(*actor, call.params.get("lang")));
    response.headers.emplace_back("ETag", version_tag(actor->version));
    return response;
}

Response rest_practices(const Call& call) {
    call.params.require_known({"country", "axis", "type", "q", "year", "limit", "cursor", "lang"});
    core::PracticeQuery query;
    query.audience = core::Audience::public_;
    query.countries = split_list(call.params.get("country"), true);
    query.axes = parse_axes(call.params.get("axis"));
    query.types = split_list(call.params.get("type"), true);
    query.text = call.params.get("q");
    if (const auto year = call.params.integer("year")) {
        if (*year < 1900 || *year > 2200) throw core::query_error("year", "must be a year between 1900 and 2200");
        query.year = static_cast<int>(*year);
    }
    query.limit = page_limit(call.params);
    query.cursor = call.params.get("cursor");
    const auto page = call.context.registry.find(query);
    const auto lang = call.params.get("lang");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& practice : page.items)
        items.push_back(practice_item(practice, lang));
    return json_response({{"items", std::move(items)}, {"next_cursor", nullable(page.next_cursor)}});
}

Response rest_practice(const Call& call, std::int64_t id) {
    call.params.require_known({"lang"});
    // A reader in scope sees its drafts too; everyone else, published practices only.
    const auto shown = call.context.registry.shown(call.caller, core::RecordKind::practice, id);
    const auto practice =
        shown ? call.context.registry.practice(id, shown->whole ? core::Audience::authorised : core::Audience::public_)
              : std::nullopt;
    if (!practice) throw core::not_found("no published practice with id " + std::to_string(id));
    auto response = json_response(practice_item(*practice, call.params.get("lang")));
    response.headers.emplace_back("ETag", version_tag(practice->version));
    return response;
}

} // namespace enlace::http::detail
