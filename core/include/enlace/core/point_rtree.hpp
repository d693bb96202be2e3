#pragma once
// Points bound for a SQLite R*Tree of two-dimensional boxes (id, min x, max x, min y, max y): the
// layout of the registry's site trees and of a GeoPackage's spatial index. Collected in any order,
// then written in one go, packed along a Hilbert curve when they are many: SQLite's own INSERT
// rewrites a node for every row (about 12 µs each), a packed build writes each node once.
#include "enlace/core/sqlite.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace enlace::core {

/// The float32 interval SQLite's R*Tree stores for a coordinate: rounded down, and up.
struct RtreeInterval {
    float low, high;
};
RtreeInterval rtree_interval(double value);

class PointRtreeRows {
  public:
    /// Rows sorted in memory at once (32 bytes a row: 4 MB); more are sorted in runs spilled to
    /// temporary files, so memory does not grow with the number of rows.
    static constexpr std::size_t default_run_rows = 128 * 1024;

    explicit PointRtreeRows(std::size_t run_rows = default_run_rows);
    PointRtreeRows(PointRtreeRows&&) noexcept;
    PointRtreeRows& operator=(PointRtreeRows&&) noexcept;
    ~PointRtreeRows();

    /// A point, stored as the box SQLite itself would store for it (float32, rounded outward).
    void add(std::int64_t id, double x, double y);
    std::uint64_t size() const;

    /// Adds the rows (ids not in the tree yet) to the R*Tree `table` inside the caller's
    /// transaction, then forgets them. A few rows next to the tree's own go in by INSERT; otherwise
    /// the tree is rebuilt packed, its node, rowid and parent tables written in SQLite's R*Tree
    /// format (as GDAL's GPKG driver does since 3.7). Either way rtreecheck() holds.
    void write_to(sqlite::Database& db, const std::string& table);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace enlace::core
