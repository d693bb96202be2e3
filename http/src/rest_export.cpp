// GET /api/v1/export: the public services matching the /api/v1/services filters, written by the
// geo exporter to a temporary folder and answered as one file download (always the public view);
// a shapefile's files are answered as one .zip.
#include "endpoints.hpp"
#include "export_file.hpp"
#include "problem.hpp"
#include "service_filters.hpp"
#include "zip_files.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/geo/exporter.hpp"

#include <string_view>

namespace enlace::http::detail {
namespace {

struct Download {
    std::string_view name; // the format parameter's value
    geo::ExportFormat format;
    std::string_view content_type;
    std::string_view filename;     // what the client saves
    std::string_view written = {}; // non-empty: the exporter writes several files here, answered zipped
};

constexpr Download downloads[] = {
    {"geojson", geo::ExportFormat::geojson, "application/geo+json", "enlace-services.geojson"},
    {"shp", geo::ExportFormat::shapefile, "application/zip", "enlace-services.zip", "enlace-services.shp"},
    {"gpkg", geo::ExportFormat::gpkg, "application/geopackage+sqlite3", "enlace-services.gpkg"},
    {"csv", geo::ExportFormat::csv, "text/csv; charset=utf-8", "enlace-services.csv"},
    {"xlsx", geo::ExportFormat::xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "enlace-services.xlsx"},
    {"kml", geo::ExportFormat::kml, "application/vnd.google-earth.kml+xml", "enlace-services.kml"},
    {"hxl", geo::ExportFormat::hxl, "text/csv; charset=utf-8", "enlace-services.hxl.csv"},
};

/// "geojson, shp, ...": the format values accepted.
std::string format_names() {
    std::string names;
    for (const auto& d : downloads)
        names += (names.empty() ? "" : ", ") + std::string(d.name);
    return names;
}

const Download& download_for(const std::string& name) {
    for (const auto& d : downloads)
        if (d.name == name) return d;
    throw core::query_error("format", "must be one of " + format_names());
}

} // namespace

Response rest_export(const Call& call) {
    call.params.require_known(with_service_filters({"format"}));
    const auto& download = download_for(call.params.has("format") ? call.params.get("format") : "geojson");
    geo::ExportOptions options;
    options.format = download.format;
    options.services =
        service_query(call.params, {core::ServiceQuery::max_limit, core::ServiceQuery::max_limit, false});
    options.services.audience = core::Audience::public_;

    const auto matching = call.context.registry.count(options.services);
    if (matching > max_export_services)
        return problem(413, "Export too large",
                       std::to_string(matching) + " services match; at most " + std::to_string(max_export_services) +
                           " are exported at once: narrow the request with filters (country, type, bbox, ...)");

    const ExportFolder folder;
    const auto path = folder.file(download.filename);
    if (download.written.empty()) {
        geo::export_records(call.context.registry, path, options);
    } else {
        zip_files(geo::export_records(call.context.registry, folder.file(download.written), options).files, path);
    }
    Response response;
    response.content_type = std::string(download.content_type);
    response.body = read_binary(path);
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"" + std::string(download.filename) + "\"");
    return response;
}

} // namespace enlace::http::detail
