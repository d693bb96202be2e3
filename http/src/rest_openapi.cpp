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
    return {{"name", name},
            {"in", "query"},
            {"required", false},
            {"description", description},
            {"schema", std::move(schema)}};
}

json id_param(const std::string& what) {
    return {{"name", "id"},
            {"in", "path"},
            {"required", true},
            {"description", "The " + what + "'s id"},
            {"schema", {{"type", "integer"}, {"minimum", 1}}}};
}

json operation(const std::string& summary, const std::string& type, json parameters, bool may_404) {
    json responses{{"200", {{"description", summary}, {"content", {{type, {{"schema", {{"type", "object"}}}}}}}}},
                   {"304", {{"description", "Not modified (If-None-Match matched the ETag)"}}},
                   {"400", {{"description", "A bad or undeclared parameter (application/problem+json)"}}},
                   {"406", {{"description", "Accept excludes every type this resource is served as"}}}};
    if (may_404) responses["404"] = {{"description", "Not found (application/problem+json)"}};
    return {
        {"get", {{"summary", summary}, {"parameters", std::move(parameters)}, {"responses", std::move(responses)}}}};
}

/// The write and review operations (rest_writes.cpp, rest_review.cpp): bearer tokens, ETags.
json write_responses(const std::string& success, const std::string& description) {
    return {{success, {{"description", description}}},
            {"401", {{"description", "No or a bad token (WWW-Authenticate: Bearer)"}}},
            {"403", {{"description", "The caller may read the record but not do this"}}},
            {"404", {{"description", "No such record, or one the caller may not read"}}},
            {"409", {{"description", "A conflict with the record's state, or a probable duplicate (candidate)"}}},
            {"412", {{"description", "If-Match is not the record's current version"}}},
            {"422", {{"description", "Bad members, each by its JSON path (errors)"}}},
            {"428", {{"description", "If-Match is required"}}},
            {"429", {{"description", "Too many failed sign-ins from this client (Retry-After)"}}}};
}

json body_of(const std::string& type) {
    return {{"required", true}, {"content", {{type, {{"schema", {{"type", "object"}}}}}}}};
}

json if_match() {
    return {{"name", "If-Match"},
            {"in", "header"},
            {"required", true},
            {"description", "The record's ETag, \"v<version>\""},
            {"schema", {{"type", "string"}}}};
}

json write_op(const std::string& summary, json parameters, json request_body, const std::string& success,
              const std::string& description) {
    json op{{"summary", summary},
            {"security", {{{"bearer", json::array()}}}},
            {"parameters", std::move(parameters)},
            {"responses", write_responses(success, description)}};
    if (!request_body.is_null()) op["requestBody"] = std::move(request_body);
    return op;
}

json token_get(const std::string& summary, json parameters) {
    return {{"get",
             {{"summary", summary},
              {"security", {{{"bearer", json::array()}}}},
              {"parameters", std::move(parameters)},
              {"responses",
               {{"200", {{"description", summary}}},
                {"401", {{"description", "No or a bad token"}}},
                {"403", {{"description", "The role may not"}}},
                {"404", {{"description", "No such record, or one the caller may not read"}}}}}}}};
}

/// Adds the write API to the paths of one record kind.
void add_writes(json& paths, const std::string& collection, const std::string& noun, bool reviewed) {
    const std::string root = "/api/v1/" + collection;
    const auto id = id_param(noun);
    paths[root]["post"] = write_op("Create a " + noun + " (a draft, for reviewed kinds)",
                                   {{{"name", "confirm_duplicate"},
                                     {"in", "query"},
                                     {"required", false},
                                     {"description", "Create it although this service looks the same"},
                                     {"schema", {{"type", "integer"}}}}},
                                   body_of("application/json"), "201", "Created (Location, ETag)");
    paths[root + "/{id}"]["put"] = write_op("Replace a " + noun, {id, if_match()}, body_of("application/json"), "200",
                                            "Changed; 202 when the change waits for review as a pending revision");
    paths[root + "/{id}"]["patch"] =
        write_op("Change a " + noun + " (JSON merge patch)", {id, if_match()}, body_of("application/merge-patch+json"),
                 "200", "Changed; 202 when it waits for review");
    paths[root + "/{id}"]["delete"] =
        write_op("Delete a " + noun + " (soft: restorable)", {id, if_match()}, nullptr, "204", "Deleted");
    paths[root + "/{id}/history"] =
        token_get("Every change of the " + noun + " (the public: no names, public points)", {id});
    json actions =
        reviewed ? json{"submit", "withdraw", "request-changes", "approve", "archive", "restore"} : json{"restore"};
    if (noun == "service") actions.push_back("verify");
    paths[root + "/{id}/{action}"]["post"] = write_op(
        "A review transition, restore" + std::string(noun == "service" ? " or verification" : ""),
        {id,
         {{"name", "action"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}, {"enum", actions}}}}},
        nullptr, "200", "The record's state");
    if (!reviewed) return;
    paths[root + "/{id}/revisions"] = token_get("The pending revision, with a field-by-field diff", {id});
    paths[root + "/{id}/revisions/{revision}/{decision}"]["post"] =
        write_op("Approve or reject the pending revision",
                 {id,
                  {{"name", "revision"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}},
                  {{"name", "decision"},
                   {"in", "path"},
                   {"required", true},
                   {"schema", {{"type", "string"}, {"enum", {"approve", "reject"}}}}}},
                 nullptr, "200", "The record's state");
}

/// Problem reports (rest_reports.cpp): filed by anyone, listed and decided by editors and
/// reviewers in scope.
void add_reports(json& paths, const json& country) {
    const json string{{"type", "string"}};
    const auto report_id = id_param("report");
    paths["/api/v1/reports"] =
        token_get("Problem reports of services in the caller's countries (editors and reviewers; the text only for "
                  "reviewers, and only until the report is closed)",
                  {country,
                   param("status", "new, triaged, resolved or dismissed",
                         {{"type", "string"}, {"enum", {"new", "triaged", "resolved", "dismissed"}}}),
                   param("service_id", "The reports of one service", {{"type", "integer"}})});
    paths["/api/v1/reports/{id}"] = token_get("One problem report", {report_id});
    json file{{"summary",
               "Report a problem with a service (anyone, no token needed): reason closed, moved, wrong_phone "
               "or other, and an optional text of at most 500 characters (required for other). Nothing "
               "about the reporter is asked or kept. Limited to 5 reports per client in 10 minutes"},
              {"parameters", {id_param("service")}},
              {"requestBody", body_of("application/json")},
              {"responses",
               {{"201",
                 {{"description", "Filed: its id and status (its text is not readable back without a "
                                  "reviewer's token)"}}},
                {"401", {{"description", "A bad token (send none to report as the public)"}}},
                {"404", {{"description", "No such service, or one the caller may not read"}}},
                {"415", {{"description", "The body is not application/json"}}},
                {"422", {{"description", "Bad or unknown members, each by name (errors)"}}},
                {"429", {{"description", "Too many reports from this client for now (Retry-After)"}}}}}};
    paths["/api/v1/services/{id}/reports"]["post"] = std::move(file);
    paths["/api/v1/reports/{id}/{decision}"]["post"] =
        write_op("Triage (then the service's public record shows reported_problems), resolve or dismiss a report (an "
                 "editor or reviewer of its country; resolving or dismissing erases its text)",
                 {report_id,
                  {{"name", "decision"},
                   {"in", "path"},
                   {"required", true},
                   {"schema", {{"type", "string"}, {"enum", {"triage", "resolve", "dismiss"}}}}}},
                 nullptr, "200", "The report as the caller may see it");
}

json with(json parameters, const json& more) {
    for (const auto& p : more)
        parameters.push_back(p);
    return parameters;
}

/// The Strategic Plan (rest_plan.cpp): its structure for anyone, its cells for registry users.
void add_plan(json& paths, const json& country) {
    const json string{{"type", "string"}};
    paths["/api/v1/plan"] = operation("The Strategic Plan's structure: axes, objectives and actions (es, en)",
                                      "application/json", json::array(), true);
    paths["/api/v1/plan/history"] = token_get("Every change of the Plan's structure", json::array());
    paths["/api/v1/plan/entries"] = token_get(
        "Every cell of the responsible column, actions in the Plan's order by member country (registry users); "
        "format=csv or xlsx downloads the table (XLSX with the overview of actions by countries)",
        {country,
         param("status", "missing, proposed or confirmed",
               {{"type", "string"}, {"enum", {"missing", "proposed", "confirmed"}}}),
         param("format", "json (default), csv or xlsx", {{"type", "string"}, {"enum", {"json", "csv", "xlsx"}}}),
         param("lang", "Language of the actions' texts in a file", {{"type", "string"}, {"enum", {"es", "en"}}})});
    const json cell{{{"name", "action"}, {"in", "path"}, {"required", true}, {"schema", string}},
                    {{"name", "country"}, {"in", "path"}, {"required", true}, {"schema", string}}};
    const std::string root = "/api/v1/plan/entries/{action}/{country}";
    paths[root] = token_get("One cell: status, responsible entities, notes (ETag: its version)", cell);
    paths[root]["put"] = write_op("Propose the country's responsible entities ({\"actors\": [ids]}; [] withdraws the "
                                  "proposal): the country's editors and reviewers, compilers",
                                  with(cell, {if_match()}), body_of("application/json"), "200", "The cell");
    paths[root + "/history"] = token_get("Every change of the cell", cell);
    paths[root + "/{step}"]["post"] =
        write_op("confirm: a compiler confirms the proposal read (If-Match); notes: a dated progress note "
                 "({\"on\": \"YYYY-MM-DD\", \"text\": ...})",
                 with(cell, {{{"name", "step"},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}, {"enum", {"confirm", "notes"}}}}}}),
                 nullptr, "200", "The cell");
}

/// /api/v1/export: the services filters plus the file format; a download, or 413 when too many match.
json export_operation(const json& filters) {
    json formats = json::array();
    for (const auto* name : {"geojson", "shp", "gpkg", "csv", "xlsx", "kml", "hxl"})
        formats.push_back(name);
    const auto format = param("format", "File format (default geojson; shp is a .zip of .shp, .shx, .dbf, .prj, .cpg)",
                              {{"type", "string"}, {"enum", formats}, {"default", "geojson"}});
    auto op = operation("Public services matching the filters, as one file (Content-Disposition: attachment)",
                        "application/octet-stream", with(filters, json::array({format})), false);
    op["get"]["responses"]["413"] = {{"description", "More than 100000 services match: narrow with filters "
                                                     "(application/problem+json)"}};
    return op;
}

/// /api/v1/report: the compiled report of published practices (rest_report.cpp).
json report_operation(const json& country) {
    const json string{{"type", "string"}};
    auto op = operation("The compilation of published good practices by country and RCM axis (cover, contents "
                        "with page numbers, introduction, every template field, actors, linked services, a map "
                        "per country, the coverage chart and annex), in the public view whoever asks: "
                        "text/html (default) or application/pdf",
                        "text/html", json::array(), false);
    op["get"]["parameters"] = {
        country, param("axis", "RCM Strategic Plan axes 1-5, comma-separated (default all)", string),
        param("lang", "The report's language", {{"type", "string"}, {"enum", {"es", "en", "fr"}}, {"default", "es"}}),
        param("format", "html or pdf (printed by headless chromium)",
              {{"type", "string"}, {"enum", {"html", "pdf"}}, {"default", "html"}}),
        param("paper", "Paper size of the PDF", {{"type", "string"}, {"enum", {"a4", "letter"}}, {"default", "a4"}})};
    op["get"]["responses"]["200"]["content"]["application/pdf"] = {
        {"schema", {{"type", "string"}, {"format", "binary"}}}};
    op["get"]["responses"]["503"] = {{"description", "Another report is rendering (one at a time): Retry-After"}};
    return op;
}

json tile_coordinate(const std::string& name, const std::string& description) {
    return {{"name", name},
            {"in", "path"},
            {"required", true},
            {"description", description},
            {"schema", {{"type", "integer"}, {"minimum", 0}}}};
}

/// The web map's offline copy of one country (rest_bundle.cpp).
json bundle_operation() {
    auto op = operation("Everything the web map needs to search one country without a network, in the public view "
                        "whoever asks: every public service available there (sited there, or a line whose service "
                        "area covers it; sensitive sites at their public points, restricted services never), the "
                        "country's actors and published practices, the taxonomy, the countries and the country's "
                        "places, with generated_at and the registry's revision. Its ETag follows the revision: "
                        "If-None-Match gives a 304 before any record is read",
                        "application/json",
                        json::array({{{"name", "country"},
                                      {"in", "path"},
                                      {"required", true},
                                      {"description", "A member country, ISO 3166-1 alpha-2"},
                                      {"schema", {{"type", "string"}, {"pattern", "^[A-Za-z]{2}$"}}}}}),
                        true);
    return op;
}

/// /tiles: the services filters the in-memory index answers, over vector tiles.
void add_tiles(json& out, const json& filters) {
    json tile_filters = json::array();
    for (const auto& p : filters)
        for (const auto* name : {"country", "available_in", "type", "population", "age", "status"})
            if (p["name"] == name) tile_filters.push_back(p);
    auto tile = operation("Public services in a Web Mercator tile (XYZ), as a Mapbox Vector Tile 2.1: layer "
                          "services, public points only; below zoom 12, or past 12,000 services, counted on a "
                          "grid anchored to the world with each count at its cell's centre (cluster true)",
                          "application/vnd.mapbox-vector-tile",
                          with(tile_filters, json::array({tile_coordinate("z", "Zoom level, 0 to 20"),
                                                          tile_coordinate("x", "Column, 0 to 2^z - 1"),
                                                          tile_coordinate("y", "Row from the top, 0 to 2^z - 1")})),
                          false);
    out["/tiles/services/{z}/{x}/{y}.mvt"] = std::move(tile);
    out["/tiles/services.json"] = operation("TileJSON 3.0 of the services tiles, with these filters in the tile URL",
                                            "application/json", tile_filters, false);
}

json paths() {
    const json string{{"type", "string"}};
    const json integer{{"type", "integer"}};
    const auto lang =
        param("lang", "Resolve multilingual fields to this language (es, en, fr; falls back to es, en)", string);
    const auto f = param("f", "Output format (default json; geojson also by Accept: application/geo+json)",
                         {{"type", "string"}, {"enum", {"json", "geojson"}}});
    const auto limit =
        param("limit", "Records per page", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}, {"default", 50}});
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
    json out = {
        {"/healthz", operation("Liveness and schema version", "application/json", none, false)},
        {"/readyz", operation("Readiness for a load balancer: 200 when the registry answers and the index of "
                              "public services is current, 503 with Retry-After otherwise",
                              "application/json", none, false)},
        {"/api/openapi.json", operation("This document", "application/vnd.oai.openapi+json;version=3.0", none, false)},
        {"/api/v1/services",
         operation("Services, filtered; sorted by id, or by distance with lat/lon (then point_countries says "
                   "which countries hold the point)",
                   "application/json", with(filters, json::array({limit, cursor, f, lang, with_total, view})), false)},
        {"/api/v1/export", export_operation(filters)},
        {"/api/v1/report", report_operation(country)},
        {"/api/v1/services/{id}",
         operation("One public service; with reported_problems ([{reason, reported_on}]) while an editor "
                   "looks into a problem reported with it",
                   "application/json", {id_param("service"), f, lang}, true)},
        {"/api/v1/taxonomy", operation("Service types", "application/json", none, false)},
        {"/api/v1/countries", operation("Member countries", "application/json", none, false)},
        {"/api/v1/countries/{country}/bundle", bundle_operation()},
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
        {"/api/v1/practices", operation("Published good practices", "application/json",
                                        {country, param("axis", "RCM Strategic Plan axes 1-5, comma-separated", string),
                                         param("type", "Service type codes, comma-separated", string), q,
                                         param("year", "Running in this year", integer), limit, cursor, lang},
                                        false)},
        {"/api/v1/practices/{id}",
         operation("One published practice", "application/json", {id_param("practice"), lang}, true)},
        {"/api/v1/review", token_get("What waits for the caller's review", {country})},
        {"/api/v1/me", token_get("The caller's name, role and countries", none)},
        {"/api/v1/stale",
         token_get("Services of the caller's countries due for verification",
                   {param("older_than", "Last verified longer ago than this, e.g. 180d (default)", string), country,
                    limit, cursor})},
    };
    add_writes(out, "services", "service", true);
    add_writes(out, "actors", "actor", false);
    add_writes(out, "practices", "practice", true);
    add_tiles(out, filters);
    add_reports(out, country);
    add_plan(out, country);
    return out;
}

} // namespace

Response rest_openapi(const Call& call) {
    call.params.require_known({});
    return json_response({{"openapi", "3.0.3"},
                          {"info",
                           {{"title", "Enlace REST API"},
                            {"version", "1.0.0"},
                            {"description", "Protection services, actors and good practices for migrant "
                                            "children in the RCM region. The OGC API - Features is at /ogcapi."}}},
                          {"servers", {{{"url", call.base_url}}}},
                          {"paths", paths()},
                          {"components",
                           {{"securitySchemes",
                             {{"bearer",
                               {{"type", "http"},
                                {"scheme", "bearer"},
                                {"description", "A registry user's token, enl_<id>_<secret>"}}}}}}}},
                         "application/vnd.oai.openapi+json;version=3.0");
}

} // namespace enlace::http::detail
