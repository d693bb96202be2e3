#pragma once
// Internals shared by the export writers: the column definitions of each record kind (one list,
// used by every format), paging through the core, and CSV text helpers.
#include "enlace/core/query.hpp"
#include "enlace/geo/exporter.hpp"

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

namespace enlace::geo::detail {

/// One value of a table cell: null, integer, real or text.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;
enum class CellType { integer, real, text, boolean };

template <class Record> struct Column {
    std::string name;       // long name, used by every format but shapefiles
    std::string short_name; // at most 10 characters, for DBF
    CellType type = CellType::text;
    std::function<Cell(const Record&)> get;
};

/// Service columns. `with_lonlat` adds lon/lat (for formats without geometry); `max_text_bytes`
/// is the longest text a format keeps (shapefiles: 254), which opening hours are fitted into.
std::vector<Column<core::ServiceView>> service_columns(const std::vector<std::string>& languages, bool with_lonlat,
                                                       std::size_t max_text_bytes = std::string::npos);

/// `text` cut to at most `max_bytes`, where a UTF-8 character starts.
std::string cut_utf8(const std::string& text, std::size_t max_bytes);
std::vector<Column<core::Actor>> actor_columns(const std::vector<std::string>& languages);
std::vector<Column<core::Practice>> practice_columns(const std::vector<std::string>& languages);

using core::join_list;
/// The text of a cell for CSV.
std::string cell_text(const Cell& cell);
/// Writes one CSV field, quoted when needed (RFC 4180).
void write_csv_field(std::ostream& out, std::string_view text);
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

/// Calls fn(service) for every service the query selects (a ServiceView: the whole record for an
/// authorised export, the public view otherwise), page by page; returns how many.
template <class Fn> std::int64_t for_each_service(const core::Registry& registry, core::ServiceQuery query, Fn&& fn) {
    query.limit = core::ServiceQuery::max_limit;
    query.cursor.clear();
    std::int64_t n = 0;
    for (;;) {
        auto page = registry.find(query);
        for (const auto& hit : page.items) {
            fn(hit.service);
            ++n;
        }
        if (page.next_cursor.empty() || page.items.empty()) return n;
        query.cursor = std::move(page.next_cursor);
    }
}

/// The same for actors and practices.
template <class Query, class Fn> std::int64_t for_each_record(const core::Registry& registry, Query query, Fn&& fn) {
    query.limit = core::ServiceQuery::max_limit;
    query.cursor.clear();
    std::int64_t n = 0;
    for (;;) {
        auto page = registry.find(query);
        for (const auto& record : page.items) {
            fn(record);
            ++n;
        }
        if (page.next_cursor.empty() || page.items.empty()) return n;
        query.cursor = std::move(page.next_cursor);
    }
}

/// The writers, one per family of formats. `path` has been checked (overwrite) by the caller.
ExportSummary write_ogr(const core::Registry& registry, const std::string& path, const ExportOptions& options);
ExportSummary write_hxl(const core::Registry& registry, const std::string& path, const ExportOptions& options);
ExportSummary write_hsds(const core::Registry& registry, const std::string& folder, const ExportOptions& options);
ExportSummary write_json(const core::Registry& registry, const std::string& path, const ExportOptions& options);

/// The table name of a record kind: services, actors, practices.
std::string_view kind_name(RecordKind kind);

} // namespace enlace::geo::detail
