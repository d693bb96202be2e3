// The OpenAPI 3.0 document of /ogcapi. GDAL reads it: query parameters declared on the items path
// whose names equal a field (country) are sent server-side for -where, and the limit default and
// maximum are read from a $ref parameter named limit. Every parameter served must be declared here.
#include "endpoints.hpp"
#include "service_filters.hpp"

#include <nlohmann/json.hpp>

namespace enlace::http::detail {
namespace {

nlohmann::json query_param(const std::string& name, const std::string& description, nlohmann::json schema) {
    return {{"name", name},
            {"in", "query"},
            {"required", false},
            {"description", description},
            {"schema", std::move(schema)},
            {"style", "form"},
            {"explode", false}};
}

nlohmann::json json_content(const std::string& type, const std::string& description) {
    return {{"200", {{"description", description}, {"content", {{type, {{"schema", {{"type", "object"}}}}}}}}},
            {"400", {{"description", "A bad parameter (application/problem+json)"}}},
            {"404", {{"description", "Not found (application/problem+json)"}}}};
}

nlohmann::json get(const std::string& summary, const std::string& type,
                   nlohmann::json parameters = nlohmann::json::array()) {
    return {
        {"get",
         {{"summary", summary}, {"parameters", std::move(parameters)}, {"responses", json_content(type, summary)}}}};
}

} // namespace

Response ogc_api(const Call& call) {
    call.params.require_known({"f"});
    const nlohmann::json string{{"type", "string"}};
    const nlohmann::json f = query_param("f", "Output format", {{"type", "string"}, {"enum", {"json", "geojson"}}});
    nlohmann::json items_params = {{{"$ref", "#/components/parameters/limit"}}};
    // The filters REST takes too; those named as a property (country, status, gender) serve
    // GDAL's -where on the server.
    for (const auto& p : service_filter_parameters()) {
        nlohmann::json schema{{"type", p.type}};
        if (p.name == "bbox")
            schema = {{"type", "array"}, {"minItems", 4}, {"maxItems", 6}, {"items", {{"type", "number"}}}};
        else if (!p.format.empty())
            schema["format"] = p.format;
        items_params.push_back(query_param(std::string(p.name), std::string(p.description), std::move(schema)));
    }
    items_params.push_back(query_param("datetime",
                                       "Last changed (updated_at) at an RFC 3339 instant or in an interval "
                                       "start/end, either end open as ..; dates cover their whole day",
                                       string));
    items_params.push_back(query_param("cursor", "Opaque paging token from a next link", string));
    items_params.push_back(query_param("lang", "Language of the name property (es, en, fr)", string));
    items_params.push_back(f);
    nlohmann::json feature_params = {
        {{"name", "featureId"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}},
        query_param("lang", "Language of the name property (es, en, fr)", string),
        f,
    };
    nlohmann::json country_items_params = {
        {{"$ref", "#/components/parameters/limit"}},
        query_param("cursor", "Opaque paging token from a next link", string),
        query_param("lang", "Language of the name property (es, en, fr)", string),
        f,
    };
    nlohmann::json country_params = {
        {{"name", "featureId"},
         {"in", "path"},
         {"required", true},
         {"schema", {{"type", "string"}}},
         {"description", "ISO 3166-1 alpha-2 code"}},
        query_param("lang", "Language of the name property (es, en, fr)", string),
        f,
    };
    nlohmann::json doc{
        {"openapi", "3.0.3"},
        {"info",
         {{"title", "Enlace OGC API - Features"},
          {"version", "1.0.0"},
          {"description", "Protection services for migrant children in the RCM region"}}},
        {"servers", {{{"url", call.base_url + "/ogcapi"}}}},
        {"paths",
         {{"/", get("Landing page", "application/json", {f})},
          {"/conformance", get("Conformance classes", "application/json", {f})},
          {"/api", get("This document", "application/vnd.oai.openapi+json;version=3.0", {f})},
          {"/collections", get("The collections", "application/json", {f})},
          {"/collections/services", get("The services collection", "application/json", {f})},
          {"/collections/services/items", get("Services as GeoJSON features", "application/geo+json", items_params)},
          {"/collections/services/items/{featureId}", get("One service", "application/geo+json", feature_params)},
          {"/collections/countries", get("The countries collection", "application/json", {f})},
          {"/collections/countries/items",
           get("Member countries with service counts", "application/geo+json", country_items_params)},
          {"/collections/countries/items/{featureId}", get("One country", "application/geo+json", country_params)}}},
        {"components",
         {{"parameters",
           {{"limit", query_param("limit", "Features per page (a larger value is clamped to the maximum)",
                                  {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}, {"default", 10}})}}}}},
    };
    return json_response(doc, "application/vnd.oai.openapi+json;version=3.0");
}

Response ogc_api_html(const Call& call) {
    call.params.require_known({});
    Response response;
    response.content_type = "text/html; charset=utf-8";
    response.body =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Enlace OGC API</title></head>"
        "<body><h1>Enlace OGC API - Features</h1><p>The API is described by its "
        "<a href=\"api\">OpenAPI 3.0 document</a>. The services are at "
        "<a href=\"collections/services/items\">collections/services/items</a> (GeoJSON), filtered by "
        "country, type and bbox, and sorted by distance with the vendor parameters lat, lon, radius_km "
        "and k.</p></body></html>";
    return response;
}

} // namespace enlace::http::detail
