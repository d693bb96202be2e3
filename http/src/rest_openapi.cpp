// The OpenAPI 3.0 document of the REST API (/api/openapi.json). Every route the router answers
// outside /ogcapi is described here with every query parameter its endpoint accepts; the tests
// check both directions against the handler.
#include "endpoints.hpp"
#include "service_filters.hpp"

#include <nlohmann/json.hpp>

namespace enlace::http::detail {
namespace {

using nlohmann::json;

json param(const std::string& name, const std::string& description, json schema) {
    return {{"name", name}, {"in", "query"}, {"required", false}, {"description", description}, {"schema", std::move(schema)}};
}

json id_param(const std::string& what) {
    return {{"name", "id"}, {"in", "path"}, {"required", true}, {"description", "The " + what + "'s id"},
            {"schema", {{"type", "integer"}, {"minimum", 1}}}};
}

json operation(const std::string& summary, const std::string& type, json parameters, bool may_404) {
    json responses{{"200", {{"description", summary}, {"content", {{type, {{"schema", {{"type", "object"}}}}}}}}},
                   {"304", {{"description", "Not modified (If-None-Match matched the ETag)"}}},
                   {"400", {{"description", "A bad or undeclared parameter (application/problem+json)"}}},
                   {"406", {{"description", "Accept excludes every type this resource is served as"}}}};
    if (may_404) responses["404"] = {{"description", "Not found (application/problem+json)"}};
    return {{"get", {{"summary", summary}, {"parameters", std::move(parameters)}, {"responses", std::move(responses)}}}};
}

json with(json parameters, const json& more) {
    for (const auto& p : more) parameters.push_back(p);
    return parameters;
}

/// /api/v1/export: the services filters plus the file format; a download, or 413 when too many match.
json export_operation(const json& filters) {
    json formats = json::array();
    for (const auto* name : {"geojson", "shp", "gpkg", "csv", "xlsx", "kml", "hxl"}) formats.push_back(name);
    const auto format = param("format", "File format (default geojson; shp is a .zip of .shp, .shx, .dbf, .prj, .cpg)",
                              {{"type", "string"}, {"enum", formats}, {"default", "geojson"}});
    auto op = operation("Public services matching the filters, as one file (Content-Disposition: attachment)",
                        "application/octet-stream", with(filters, json::array({format})), false);
    op["get"]["responses"]["413"] = {{"description", "More than 100000 services match: narrow with filters "
                                                     "(application/problem+json)"}};
    return op;
}

json paths() {
    const json string{{"type", "string"}};
    const json integer{{"type", "integer"}};
    const auto lang = param("lang", "Resolve multilingual fields to this language (es, en, fr; falls back to es, en)", string);
    const auto f = param("f", "Output format (default json; geojson also by Accept: application/geo+json)",
                         {{"type", "string"}, {"enum", {"json", "geojson"}}});
    const auto limit = param("limit", "Records per page", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}, {"default", 50}});
    const auto cursor = param("cursor", "Opaque paging token: the previous page's next_cursor", string);
    const auto q = param("q", "Full-text search, accent- and case-insensitive", string);
    const auto country = param("country", "Countries, ISO 3166-1 alpha-2, comma-separated", string);
    const auto with_total = param("with_total", "Also give total: the number of matches (near lat/lon, at most k)",
                                  {{"type", "boolean"}, {"default", false}});
    const auto view = param("view",
                            "Record form: full (default), or map (id, name, types and public location only, "
                            "to draw every match)",
                            {{"type", "string"}, {"enum", {"full", "map"}}, {"default", "full"}});
    const json none = json::array();
    json filters = json::array();
    for (const auto& p : service_filter_parameters()) {
        json schema{{"type", p.type}};
        if (!p.format.empty()) schema["format"] = p.format;
        filters.push_back(param(std::string(p.name), std::string(p.description), std::move(schema)));
    }
    return {
        {"/healthz", operation("Liveness and schema version", "application/json", none, false)},
        {"/api/openapi.json", operation("This document", "application/vnd.oai.openapi+json;version=3.0", none, false)},
        {"/api/v1/services",
         operation("Services, filtered; sorted by id, or by distance with lat/lon (then point_countries says "
                   "which countries hold the point)",
                   "application/json", with(filters, json::array({limit, cursor, f, lang, with_total, view})),
                   false)},
        {"/api/v1/export", export_operation(filters)},
        {"/api/v1/services/{id}", operation("One public service", "application/json", {id_param("service"), f, lang}, true)},
        {"/api/v1/taxonomy", operation("Service types", "application/json", none, false)},
        {"/api/v1/countries", operation("Member countries", "application/json", none, false)},
        {"/api/v1/stats", operation("Public services by country and service type", "application/json", none, false)},
        {"/api/v1/places",
         operation("Localities of public services, for 'near a place': each at the mean of its services' "
                   "points that are not coarsened; approximate = true when it has sensitive sites only "
                   "(then at their coarsened points)",
                   "application/json", none, false)},
        {"/api/v1/actors",
         operation("Actors (organisations)", "application/json",
                   {country, param("type", "Actor types, comma-separated", string), q, limit, cursor, lang}, false)},
        {"/api/v1/actors/{id}", operation("One actor", "application/json", {id_param("actor"), lang}, true)},
        {"/api/v1/practices",
         operation("Published good practices", "application/json",
                   {country, param("axis", "RCM Strategic Plan axes 1-5, comma-separated", string),
                    param("type", "Service type codes, comma-separated", string), q,
                    param("year", "Running in this year", integer), limit, cursor, lang},
                   false)},
        {"/api/v1/practices/{id}", operation("One published practice", "application/json", {id_param("practice"), lang}, true)},
    };
}

} // namespace

Response rest_openapi(const Call& call) {
    call.params.require_known({});
    return json_response({{"openapi", "3.0.3"},
                          {"info", {{"title", "Enlace REST API"}, {"version", "1.0.0"},
                                    {"description", "Protection services, actors and good practices for migrant "
                                                    "children in the RCM region. The OGC API - Features is at /ogcapi."}}},
                          {"servers", {{{"url", call.base_url}}}},
                          {"paths", paths()}},
                         "application/vnd.oai.openapi+json;version=3.0");
}

} // namespace enlace::http::detail
