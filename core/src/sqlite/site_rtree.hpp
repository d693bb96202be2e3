#pragma once
// The R*Tree rows of services written in a batch: kept aside while the batch runs and written at
// its end, in bulk when the tree is small next to them. SQLite's R*Tree costs about 12 µs an
// insert (it rewrites a node at each), more than the rest of a record; a packed build writes each
// node once.
#include "enlace/core/sqlite.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace enlace::core::detail {

/// The services written in the open batch whose R*Tree rows wait for its end: only their ids, as
/// ranges of consecutive ids (new services get consecutive ids, so an import of any size is a
/// range or a few); their points are read back from the services table when the rows are written.
class PendingSites {
  public:
    /// Rows sorted in memory at once when writing them (32 bytes a row: 4 MB); more are sorted in
    /// runs spilled to temporary files.
    static constexpr std::size_t default_run_rows = 128 * 1024;

    void add(std::int64_t id) {
        if (!m_ranges.empty()) {
            auto& last = m_ranges.back();
            if (id == last.last + 1) {
                last.last = id;
                return;
            }
            if (id >= last.first && id <= last.last) return;
        }
        m_ranges.push_back({id, id});
        if (m_ranges.size() >= m_compact_at) compact();
    }
    bool empty() const { return m_ranges.empty(); }
    void clear() {
        m_ranges = {};
        m_compact_at = first_compaction;
    }
    /// Adds their rows to service_public_sites and service_exact_sites as their services rows now
    /// stand (a service written twice counts once, one whose site was taken away not at all),
    /// inside the caller's transaction, then forgets them (also when a write fails: the caller
    /// rolls the batch back). A few rows next to a tree's own go in by ordinary INSERTs;
    /// otherwise the tree is rebuilt packed, in Hilbert order of the points, by writing its node,
    /// rowid and parent tables in SQLite's R*Tree format, as GDAL's GPKG driver does since 3.7.
    /// Either way each row holds the box SQLite itself would store (float32 rounded outward), and
    /// SQLite's rtreecheck() holds. At most `run_rows` rows are sorted in memory at once.
    void flush(sqlite::Database& db, std::size_t run_rows = default_run_rows);

  private:
    struct Range {
        std::int64_t first, last;
    };
    static constexpr std::size_t first_compaction = 1024;

    /// Sorts the ranges and joins those that overlap or touch: ids written out of order (updates)
    /// cost a range each only until they are compacted.
    void compact();

    std::vector<Range> m_ranges;
    std::size_t m_compact_at = first_compaction;
};

} // namespace enlace::core::detail
