// OGC API - Features Part 1 at /ogcapi: landing, conformance, collections, items (the services
// collection here; countries in ogc_countries.cpp). Links are
// absolute (GDAL 3.6 follows `next` verbatim and fails on relative ones).
#include "endpoints.hpp"
#include "enlace/core/json_text.hpp"
#include "geojson.hpp"
#include "service_filters.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/hours.hpp"

#include <nlohmann/json.hpp>

namespace enlace::http::detail {
namespace {

constexpr const char* collection_id = "services";
constexpr int default_limit = 10;
constexpr int max_limit = 1000;

void accept_f(const Call& call) {
    const auto f = call.params.get("f");
    if (!f.empty() && f != "json" && f != "geojson") throw core::query_error("f", "must be json (HTML is not served)");
}

void require_collection(const std::string& id) {
    if (id != collection_id) throw core::not_found("no collection '" + id + "' (collections: services, countries)");
}

constexpr const char* countries_id = "countries";

nlohmann::json collection_json(const Call& call) {
    core::ServiceQuery all;
    return ogc_collection_json(call.base_url + "/ogcapi/collections/" + collection_id, collection_id,
                               "Protection services for migrant children",
                               "Specialised protection services in the RCM region. Sensitive sites are shown at a "
                               "coarsened place; restricted services are not listed.",
                               call.context.registry.extent(all).value_or(core::BBox{}), "The services as GeoJSON");
}

/// One end of a datetime interval, as the core compares updated_at: a date as it is, a date-time
/// in UTC; empty for an open end.
std::string datetime_bound(std::string_view text) {
    if (text.empty() || text == "..") return {};
    if (core::valid_date(text)) return std::string(text);
    if (const auto at = core::parse_rfc3339(text)) return core::format_utc(*at);
    throw core::query_error("datetime",
                            "must be an RFC 3339 date-time or date, or an interval START/END with .. for an "
                            "open end ('" +
                                std::string(text) + "' is neither)");
}

/// OGC API - Features `datetime` on the services' last change (updated_at): an instant (the same
/// second, or the same day for a date) or an interval, inclusive at both ends.
void apply_datetime(const std::string& text, core::ServiceQuery& query) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) {
        if (text == "..") throw core::query_error("datetime", "'..' is an open end of an interval START/END");
        query.updated_since = query.updated_until = datetime_bound(text);
        return;
    }
    if (text.find('/', slash + 1) != std::string::npos) throw core::query_error("datetime", "has more than one '/'");
    query.updated_since = datetime_bound(std::string_view(text).substr(0, slash));
    query.updated_until = datetime_bound(std::string_view(text).substr(slash + 1));
    if (query.updated_since.empty() && query.updated_until.empty())
        throw core::query_error("datetime", "an interval needs at least one end (START/.. or ../END)");
    // Compared on their common length: a date is its whole day.
    if (!query.updated_since.empty() && !query.updated_until.empty() &&
        query.updated_until < query.updated_since.substr(0, query.updated_until.size()))
        throw core::query_error("datetime", "ends before it starts");
}

/// The items URL with the same parameters, the effective limit and (when given) a cursor.
std::string items_url(const Call& call, int limit, const std::string& cursor) {
    std::string url = call.base_url + "/ogcapi/collections/" + collection_id + "/items?limit=" + std::to_string(limit);
    for (const auto& [name, value] : call.params.items())
        if (name != "limit" && name != "cursor") url += "&" + url_encode(name) + "=" + url_encode(value);
    if (!cursor.empty()) url += "&cursor=" + url_encode(cursor);
    return url;
}

} // namespace

Response ogc_landing(const Call& call) {
    accept_f(call);
    call.params.require_known({"f"});
    const auto root = call.base_url + "/ogcapi";
    return json_response({
        {"title", "Enlace"},
        {"description", "Protection services for migrant children in the RCM region (OGC API - Features)"},
        {"links",
         {ogc_link(root, "self", "application/json", "This document"),
          ogc_link(root + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition"),
          ogc_link(root + "/api.html", "service-doc", "text/html", "The API documentation"),
          ogc_link(root + "/conformance", "conformance", "application/json", "Conformance classes"),
          ogc_link(root + "/collections", "data", "application/json", "The collections")}},
    });
}

Response ogc_conformance(const Call& call) {
    accept_f(call);
    call.params.require_known({"f"});
    const std::string base = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/";
    return json_response({{"conformsTo", {base + "core", base + "geojson", base + "oas30"}}});
}

Response ogc_collections(const Call& call) {
    accept_f(call);
    call.params.require_known({"f"});
    const auto self = call.base_url + "/ogcapi/collections";
    return json_response({{"links", {ogc_link(self, "self", "application/json", "The collections")}},
                          {"collections", {collection_json(call), countries_collection_json(call)}}});
}

Response ogc_collection(const Call& call, const std::string& id) {
    if (id != countries_id) require_collection(id);
    accept_f(call);
    call.params.require_known({"f"});
    return json_response(id == countries_id ? countries_collection_json(call) : collection_json(call));
}

Response ogc_items(const Call& call, const std::string& collection) {
    if (collection == countries_id) return countries_items(call);
    require_collection(collection);
    accept_f(call);
    call.params.require_known(with_service_filters({"limit", "cursor", "f", "lang", "datetime"}));
    auto query = service_query(call.params, {default_limit, max_limit, true});
    core::scope_to_reader(query, call.caller);
    if (call.params.has("datetime")) apply_datetime(call.params.get("datetime"), query);
    query.with_total = true; // numberMatched, from the page's own snapshot
    const auto page = call.context.registry.find(query);
    auto matched = *page.total;
    if (query.near && query.near->k) matched = std::min<std::int64_t>(matched, *query.near->k);

    const auto lang = call.params.get("lang");

    // json::array: `json links = {one}` is that one object, not an array of it, under clang (CWG 1467).
    auto links = nlohmann::json::array(
        {ogc_link(items_url(call, query.limit, query.cursor), "self", "application/geo+json", "This page")});
    if (!page.next_cursor.empty())
        links.push_back(
            ogc_link(items_url(call, query.limit, page.next_cursor), "next", "application/geo+json", "Next page"));
    const nlohmann::json envelope{{"type", "FeatureCollection"},
                                  {"links", std::move(links)},
                                  {"numberMatched", matched},
                                  {"numberReturned", page.items.size()},
                                  {"timeStamp", utc_now()}};
    // The envelope's members, then the features written straight after them: one body, no copies.
    std::string body = envelope.dump();
    body.pop_back();
    body.reserve(body.size() + page.items.size() * 640 + 16);
    body += R"(,"features":[)";
    for (std::size_t i = 0; i < page.items.size(); ++i) {
        if (i) body += ',';
        append_ogc_feature(body, page.items[i].service, page.items[i].distance_m, lang);
    }
    body += "]}";
    return text_response(std::move(body), "application/geo+json");
}

Response ogc_item(const Call& call, const std::string& collection, const std::string& id_text) {
    if (collection == countries_id) return countries_item(call, id_text);
    require_collection(collection);
    accept_f(call);
    call.params.require_known({"f", "lang"});
    const auto id = parse_id(id_text);
    const auto service = call.context.registry.service(call.caller, id);
    if (!service) throw core::not_found("no feature " + id_text + " in collection services");
    const auto root = call.base_url + "/ogcapi/collections/" + collection_id;
    const nlohmann::json links{ogc_link(root + "/items/" + id_text, "self", "application/geo+json", "This feature"),
                               ogc_link(root, "collection", "application/json", "The collection")};
    std::string body;
    append_ogc_feature(body, *service, std::nullopt, call.params.get("lang"));
    auto response = text_response(core::with_member(std::move(body), "links", links.dump()), "application/geo+json");
    response.headers.emplace_back("ETag", version_tag((*service)->version)); // what a Part 4 write's If-Match names
    return response;
}

nlohmann::json ogc_link(const std::string& href, const std::string& rel, const std::string& type,
                        const std::string& title) {
    return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

nlohmann::json ogc_collection_json(const std::string& root, const std::string& id, const std::string& title,
                                   const std::string& description, const core::BBox& extent,
                                   const std::string& items_title) {
    return {
        {"id", id},
        {"title", title},
        {"description", description},
        {"itemType", "feature"},
        {"extent",
         {{"spatial",
           {{"bbox", {{extent.west, extent.south, extent.east, extent.north}}},
            {"crs", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}}}},
        {"links",
         {ogc_link(root, "self", "application/json", "This collection"),
          ogc_link(root + "/items", "items", "application/geo+json", items_title)}},
    };
}

} // namespace enlace::http::detail
