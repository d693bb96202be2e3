#include "site_rtree.hpp"

#include "enlace/core/point_rtree.hpp"

#include <algorithm>

namespace enlace::core::detail {

void PendingSites::compact() {
    std::sort(m_ranges.begin(), m_ranges.end(), [](const Range& a, const Range& b) { return a.first < b.first; });
    std::size_t out = 0;
    for (const auto& r : m_ranges) {
        if (out > 0 && r.first <= m_ranges[out - 1].last + 1)
            m_ranges[out - 1].last = std::max(m_ranges[out - 1].last, r.last);
        else
            m_ranges[out++] = r;
    }
    m_ranges.resize(out);
    // Twice what is left: compacting costs a sort, so it runs a logarithmic number of times.
    m_compact_at = std::max(first_compaction, 2 * out);
}

void PendingSites::flush(sqlite::Database& db, std::size_t run_rows) {
    compact();
    const auto ranges = std::move(m_ranges);
    clear();
    // Both trees' points from one read of the services rows, range by range in id order (the rows
    // are read once rather than once a tree); each tree keeps its own bounded runs.
    sqlite::Statement read(db, "SELECT id, public_lon, public_lat, lon, lat FROM services WHERE id BETWEEN ? AND ? "
                               "AND lon IS NOT NULL");
    PointRtreeRows public_rows(run_rows), exact_rows(run_rows);
    for (const auto& range : ranges) {
        read.bind(1, range.first).bind(2, range.last);
        while (read.step()) {
            const std::int64_t id = read.column_int(0);
            public_rows.add(id, read.column_double(1), read.column_double(2));
            exact_rows.add(id, read.column_double(3), read.column_double(4));
        }
        read.reset();
    }
    public_rows.write_to(db, "service_public_sites");
    exact_rows.write_to(db, "service_exact_sites");
}

} // namespace enlace::core::detail
