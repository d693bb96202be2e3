#pragma once
// The Strategic Plan's responsible column as a table for the network's meeting and its minutes:
// CSV (one row per action and member country) or XLSX (that table as sheet "entries", and sheet
// "overview": actions by countries, each cell the status and the entities). docs/strategic-plan.md
// lists the columns.
#include "enlace/core/access.hpp"
#include "enlace/core/registry.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace enlace::geo {

struct PlanExportOptions {
    std::vector<std::string> countries; // empty: every member country
    std::string language = "es";        // of the Plan's texts (es or en)
    bool overwrite = false;
};

/// Writes the Plan's entries as `by` may read them to `path` (.csv or .xlsx); returns the number
/// of rows of the entries table. Throws geo_error (the format, an existing file without
/// overwrite, GDAL failures: nothing is left at `path`), or the core's errors (no Plan loaded,
/// unauthorized for the public).
std::int64_t export_plan(const core::Registry& registry, const core::Caller& by, const std::string& path,
                         const PlanExportOptions& options = {});

} // namespace enlace::geo
