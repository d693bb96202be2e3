#pragma once
// Import of any OGR vector source (GeoJSON, Shapefile, GeoPackage, CSV, XLSX, KML, FlatGeobuf, ...)
// into the registry, reprojected to WGS84 lon/lat, with a row-by-row validation report, dry runs,
// all-or-nothing commits and idempotent re-imports keyed by (source, source id).
#include "enlace/core/registry.hpp"
#include "enlace/geo/field_mapping.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace enlace::geo {

struct ImportOptions {
    std::string path;
    std::string layer;  // empty: the only layer (or the first, with a warning)
    std::string source; // empty: the file's base name without extension
    RecordKind kind = RecordKind::service;
    FieldMap mapping;            // explicit mapping (file and --field flags merged)
    std::string encoding;        // e.g. CP1252; empty: .cpg or UTF-8
    std::string language = "es"; // language of unsuffixed text columns (name, description)
    bool dry_run = false;
    bool skip_invalid = false;
    bool prune = false;
    bool check_duplicates = true;
    /// Into the review queue as one submission rather than published directly.
    bool review = false;
    /// Called every few thousand rows and at the end: rows read, total (-1 when unknown).
    std::function<void(std::int64_t rows, std::int64_t total)> progress;
};

/// One problem with one row: where (row ordinal from 1, feature id), which field and value, why.
struct RowIssue {
    std::int64_t row = 0;
    std::int64_t fid = -1;
    std::string source_id;
    std::string field;  // logical field or core JSON path
    std::string column; // source column, when known
    std::string value;
    std::string reason;
    bool warning = false; // kept the row (e.g. a polygon reduced to a point)
};

/// A likely duplicate: a row of this source near (<= 50 m) a record of another source with the same
/// normalised name.
struct DuplicateHint {
    std::int64_t row = 0;
    std::string source_id;
    std::int64_t other_id = 0;
    std::string other_source;
    std::string name;
    double distance_m = 0;
};

struct ImportReport {
    std::string path, layer, driver, source;
    std::int64_t rows = 0;
    int created = 0, updated = 0, unchanged = 0, invalid = 0, pruned = 0;
    bool committed = false; // false on a dry run, or when invalid rows stopped the import
    bool dry_run = false;
    FieldMap mapping;                                          // what was used: each field's first column
    std::map<std::string, std::vector<std::string>> fallbacks; // further columns, read where the ones before are empty
    std::vector<UnmappedColumn> unmapped; // the columns nothing reads, with how many rows had a value
    std::vector<RowIssue> issues;         // errors and warnings, in row order
    std::vector<std::pair<std::int64_t, std::string>> missing; // (id, source_id) gone from the file
    std::vector<DuplicateHint> duplicates;
    std::vector<std::string> notes; // about the source as a whole (several layers, no CRS, ...)
};

/// Reads the layer and writes its rows into the registry (see ImportOptions). Throws geo_error for
/// a source that cannot be read at all (missing file or sidecar, truncated data, no features,
/// unknown layer or encoding); the registry is then unchanged. Invalid rows do not throw: they are
/// in the report, and without skip_invalid nothing is committed.
ImportReport import_layer(core::Registry& registry, const ImportOptions& options);

/// The report as JSON text (docs/import.md describes it).
std::string report_json(const ImportReport& report);

/// The report as a readable table of problems plus a summary line.
std::string report_table(const ImportReport& report);

/// The names of a dataset's vector layers with their feature counts (-1 when unknown).
std::vector<std::pair<std::string, std::int64_t>> list_layers(const std::string& path);

} // namespace enlace::geo
