#pragma once
// Export of the registry to GIS and tabular files: services (points) with the same filters as
// `enlace list/near`, and actors and practices as tables. Public exports use the core's public
// view (coarsened sensitive sites, no restricted services, no personal contacts); exact points
// only when the query's audience is authorised. Pages through the core with its keyset cursor, so
// memory does not grow with the number of records. See docs/export.md for columns and limits.
#include "enlace/core/hours.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/geo/field_mapping.hpp" // RecordKind, shared with import

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace enlace::geo {

enum class ExportFormat { geojson, geojsonseq, shapefile, gpkg, csv, xlsx, kml, flatgeobuf, hxl, hsds, json };

/// "geojson", "geojsonseq", "shp", "gpkg", "csv", "xlsx", "kml", "fgb", "hxl", "hsds", "json".
std::optional<ExportFormat> parse_export_format(std::string_view name);
std::string_view to_string(ExportFormat format);
/// The format an output path's extension names (".hxl.csv" is HXL, no extension an HSDS folder).
std::optional<ExportFormat> export_format_for_path(const std::string& path);
/// Services export to every format; actors and practices to csv, xlsx and json.
bool supports(ExportFormat format, RecordKind kind);

struct ExportOptions {
    ExportFormat format = ExportFormat::geojson;
    RecordKind kind = RecordKind::service;
    core::ServiceQuery services;   // filters and audience; limit/cursor are replaced by paging
    core::ActorQuery actors;       // for kind == actor
    core::PracticeQuery practices; // for kind == practice (audience as for services)
    /// One column per language for multilingual text (name_es, name_en, ...).
    std::vector<std::string> languages{"es", "en", "fr"};
    bool overwrite = false; // replace an existing output file (or HSDS folder's files)
    int features_per_transaction = 10000;
    /// HSDS: the instant whose UTC offsets the schedules are written in (default: the export's
    /// own time). An offset that changes later (daylight saving time) bounds the rows' valid_to.
    std::optional<core::instant> as_of;
};

struct ExportSummary {
    std::int64_t records = 0;       // records written to the main table / layer
    std::int64_t skipped = 0;       // selected but not writable (FlatGeobuf: services without a site)
    std::vector<std::string> files; // files written (the main one first)
};

/// Writes the records selected by `options` to `path`. Throws geo_error (GDAL or file failures,
/// an existing output without overwrite, a format the kind does not support) or core::query_error.
ExportSummary export_records(const core::Registry& registry, const std::string& path, const ExportOptions& options);

/// The service columns' long names and their shapefile (DBF, at most 10 characters) names.
std::vector<std::pair<std::string, std::string>> shapefile_field_names(const std::vector<std::string>& languages);

} // namespace enlace::geo
