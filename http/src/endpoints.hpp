#pragma once
// The endpoints behind the router: each answers one resource from a parsed call.
#include "enlace/http/handler.hpp"
#include "query_params.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::http::detail {

/// One routed request: its parsed query and the absolute base URL for links (no trailing slash).
struct Call {
    const Request& request;
    Context& context;
    std::string path;
    Params params;
    std::string base_url;
    core::Caller caller; // the public, or the bearer token's user
};

/// `min_revision=N` (any endpoint; DECISIONS: read-your-writes across servers): taken out of the
/// parameters; throws revision_not_reached while the registry is below revision N.
void require_revision(Params& params, const core::Registry& registry);

/// Who sends the request (request_caller.cpp): throws core::unauthorized for a bad token,
/// too_many_attempts for a client that failed too often.
core::Caller caller_of(const Request& request, Context& context);

Response json_response(const nlohmann::json& body, const std::string& content_type = "application/json");
/// A body already written as JSON text.
Response text_response(std::string body, const std::string& content_type = "application/json");
/// The time now in UTC, as the API writes times ("2026-12-02T15:04:05Z").
std::string utc_now();
/// A place of "near a place", as /api/v1/places and the offline bundle give it (web_assets.cpp).
nlohmann::json place_json(const core::Place& place);

Response rest_healthz(const Call& call);
/// 200 once the store answers and the public index is current, else 503 (for a load balancer).
Response rest_readyz(const Call& call);
Response rest_services(const Call& call);
Response rest_service(const Call& call, std::int64_t id);
Response rest_taxonomy(const Call& call);
Response rest_countries(const Call& call);
/// The web map's offline copy of one country (rest_bundle.cpp): the public view only, whoever asks.
Response rest_country_bundle(const Call& call, const std::string& alpha2);
Response rest_stats(const Call& call);
Response rest_actors(const Call& call);
Response rest_actor(const Call& call, std::int64_t id);
Response rest_practices(const Call& call);
Response rest_practice(const Call& call, std::int64_t id);
Response rest_openapi(const Call& call);
Response rest_export(const Call& call);
/// The compiled report of published practices (rest_report.cpp): HTML or PDF, the public view.
Response rest_report(const Call& call);

Response ogc_landing(const Call& call);
Response ogc_conformance(const Call& call);
Response ogc_api(const Call& call);
Response ogc_api_html(const Call& call);
Response ogc_collections(const Call& call);
Response ogc_collection(const Call& call, const std::string& id);
Response ogc_items(const Call& call, const std::string& collection);
Response ogc_item(const Call& call, const std::string& collection, const std::string& id);

// Vector tiles (tile_endpoints.cpp): z, x and "{y}.mvt" as in the path.
Response tile_services(const Call& call, const std::string& z, const std::string& x, const std::string& y_file);
Response tile_json(const Call& call);

// The countries collection (ogc_countries.cpp): member countries with public service counts.
nlohmann::json countries_collection_json(const Call& call);
Response countries_items(const Call& call);
Response countries_item(const Call& call, const std::string& id);

// Writes (rest_writes.cpp): `feature` takes a GeoJSON Feature whose properties are the record
// (the OGC API items); PATCH bodies are JSON merge patches.
Response rest_create(const Call& call, core::RecordKind kind, bool feature = false);
Response rest_change(const Call& call, core::RecordKind kind, std::int64_t id, bool patch, bool feature = false);
Response rest_delete(const Call& call, core::RecordKind kind, std::int64_t id);
/// A write's body: a JSON object sent as one of `types` (415 for another media type, 400 naming
/// `body` for text that is not a JSON object).
nlohmann::json parse_body(const Request& request, std::initializer_list<std::string_view> types);
/// A record's ETag: "v<version>".
std::string version_tag(std::int64_t version);
/// The version an If-Match header names, if any (throws precondition_malformed for another tag).
std::optional<std::int64_t> if_match_version(const Request& request);
/// "services", "actors", "practices".
std::string collection_of(core::RecordKind kind);

// Review (rest_review.cpp).
Response rest_record_action(const Call& call, core::RecordKind kind, std::int64_t id, const std::string& action);
Response rest_history(const Call& call, core::RecordKind kind, std::int64_t id);
Response rest_revisions(const Call& call, core::RecordKind kind, std::int64_t id);
Response rest_revision_action(const Call& call, core::RecordKind kind, std::int64_t id, std::int64_t revision,
                              const std::string& action);
Response rest_review_queue(const Call& call);
Response rest_me(const Call& call);
Response rest_stale(const Call& call);

// Problem reports (rest_reports.cpp): POST /api/v1/services/{id}/reports, and /api/v1/reports[/{id}[/{decision}]].
Response rest_file_report(const Call& call, std::int64_t service_id);
Response route_reports(const Call& call, const std::vector<std::string>& seg);
/// The Strategic Plan (rest_plan.cpp): /api/v1/plan[/history|/entries[/{action}/{country}[/{step}]]].
Response route_plan(const Call& call, const std::vector<std::string>& seg);

// The web map (http/web/): static assets and the places the page offers for "near a place".
Response web_asset(const Call& call);
Response rest_places(const Call& call);

/// An OGC API link object.
nlohmann::json ogc_link(const std::string& href, const std::string& rel, const std::string& type,
                        const std::string& title);

/// An OGC API collection document at `root`: id, title, description, CRS84 extent, self and items links.
nlohmann::json ogc_collection_json(const std::string& root, const std::string& id, const std::string& title,
                                   const std::string& description, const core::BBox& extent,
                                   const std::string& items_title);

/// The item id path segment as a positive integer; throws core::not_found otherwise.
std::int64_t parse_id(const std::string& segment);

} // namespace enlace::http::detail
