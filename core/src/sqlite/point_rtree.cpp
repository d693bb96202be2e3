#include "enlace/core/point_rtree.hpp"

#include "external_sort.hpp"
#include "packed_rtree.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace enlace::core {
namespace {

using detail::Box;
using detail::Cell;

// SQLite's rounding of a double to the float32 it stores (rtreeValueDown / rtreeValueUp), so
// that a bulk-built tree holds the very boxes an INSERT would have stored.
float value_down(double d) {
    float f = static_cast<float>(d);
    if (f > d) f = static_cast<float>(d * (d < 0 ? 1.0 + 1.0 / 8388608.0 : 1.0 - 1.0 / 8388608.0));
    return f;
}
float value_up(double d) {
    float f = static_cast<float>(d);
    if (f < d) f = static_cast<float>(d * (d < 0 ? 1.0 - 1.0 / 8388608.0 : 1.0 + 1.0 / 8388608.0));
    return f;
}

/// Position of a point along a Hilbert curve over a 65536 x 65536 grid of the globe: neighbours
/// on the curve are neighbours on the map, so consecutive points make compact nodes.
std::uint64_t hilbert(float lon, float lat) {
    auto grid = [](double v, double lo, double hi) {
        return static_cast<std::uint32_t>(std::clamp((v - lo) / (hi - lo), 0.0, 1.0) * 65535.0);
    };
    std::uint32_t x = grid(lon, -180, 180), y = grid(lat, -90, 90);
    std::uint64_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        const std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
        d += std::uint64_t{s} * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = 65535 - x;
                y = 65535 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

/// A row with its place along the curve.
struct Keyed {
    std::uint64_t key;
    Cell cell;
};
struct ByKey {
    bool operator()(const Keyed& a, const Keyed& b) const {
        return a.key != b.key ? a.key < b.key : a.cell.id < b.cell.id;
    }
};
using Rows = detail::ExternalSorter<Keyed, ByKey>;

Keyed keyed(std::int64_t id, double lon, double lat) {
    const Box box{value_down(lon), value_up(lon), value_down(lat), value_up(lat)};
    return {hilbert(box[0], box[2]), Cell{id, box}};
}

std::int64_t count_of(sqlite::Database& db, const std::string& sql) {
    sqlite::Statement stmt(db, sql);
    return stmt.step() ? stmt.column_int(0) : 0;
}

/// Adds rows (ids not yet in the tree) to the R*Tree `table`.
void add_rows(sqlite::Database& db, const std::string& table, Rows& rows, std::size_t run_rows) {
    if (rows.size() == 0) return;
    // A rebuild reads and rewrites the tree's own rows (about a microsecond each): worth it
    // unless the tree is several times larger than what is added. A few rows (a read inside a
    // batch after a few writes) go straight in, without counting.
    const std::int64_t existing = rows.size() < 64 ? -1 : count_of(db, "SELECT count(*) FROM \"" + table + "_rowid\"");
    if (existing < 0 || existing > 4 * static_cast<std::int64_t>(rows.size())) {
        // By position: the registry's trees and a GeoPackage's name their columns differently.
        sqlite::Statement insert(db, "INSERT INTO \"" + table + "\" VALUES (?, ?, ?, ?, ?)");
        rows.merge([&](const Keyed& row) {
            const auto& c = row.cell;
            // The stored floats, as doubles, round to themselves.
            insert.bind(1, c.id)
                .bind(2, double{c.box[0]})
                .bind(3, double{c.box[1]})
                .bind(4, double{c.box[2]})
                .bind(5, double{c.box[3]});
            insert.run();
        });
        return;
    }
    if (existing > 0) {
        sqlite::Statement read(db, "SELECT * FROM \"" + table + "\"");
        while (read.step()) {
            const Box box{static_cast<float>(read.column_double(1)), static_cast<float>(read.column_double(2)),
                          static_cast<float>(read.column_double(3)), static_cast<float>(read.column_double(4))};
            rows.push({hilbert(box[0], box[2]), Cell{read.column_int(0), box}});
        }
    }
    detail::PackedRtreeWriter tree(db, table, rows.size(), run_rows);
    rows.merge([&](const Keyed& row) { tree.add(row.cell); });
    tree.finish();
}

} // namespace

RtreeInterval rtree_interval(double value) { return {value_down(value), value_up(value)}; }

struct PointRtreeRows::Impl {
    explicit Impl(std::size_t run_rows) : run_rows(run_rows), rows(run_rows) {}
    std::size_t run_rows;
    Rows rows;
};

PointRtreeRows::PointRtreeRows(std::size_t run_rows) : m_impl(std::make_unique<Impl>(run_rows)) {}
PointRtreeRows::PointRtreeRows(PointRtreeRows&&) noexcept = default;
PointRtreeRows& PointRtreeRows::operator=(PointRtreeRows&&) noexcept = default;
PointRtreeRows::~PointRtreeRows() = default;

void PointRtreeRows::add(std::int64_t id, double x, double y) { m_impl->rows.push(keyed(id, x, y)); }
std::uint64_t PointRtreeRows::size() const { return m_impl->rows.size(); }
void PointRtreeRows::write_to(sqlite::Database& db, const std::string& table) {
    add_rows(db, table, m_impl->rows, m_impl->run_rows);
}

} // namespace enlace::core
