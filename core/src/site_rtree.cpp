#include "site_rtree.hpp"

#include "enlace/core/errors.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <span>
#include <string>

namespace enlace::core::detail {
namespace {

// SQLite's R*Tree format (ext/rtree/rtree.c): table T keeps T_node(nodeno, data), T_rowid(rowid,
// nodeno) and T_parent(nodeno, parentnode). Node 1 is the root. A node's data is a big-endian
// 16-bit depth (root only), a 16-bit cell count, then cells of a 64-bit rowid (leaves) or child
// node number, followed by min_lon, max_lon, min_lat, max_lat as big-endian float32.
constexpr std::size_t cell_bytes = 8 + 4 * 4;

using Box = std::array<float, 4>;  // min_lon, max_lon, min_lat, max_lat

struct Cell {
    std::int64_t id;  // row id in a leaf, child node number above
    Box box;
};

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

void put_u16(unsigned char* p, unsigned v) {
    p[0] = static_cast<unsigned char>(v >> 8);
    p[1] = static_cast<unsigned char>(v);
}
void put_u32(unsigned char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (24 - 8 * i));
}
void put_i64(unsigned char* p, std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(u >> (56 - 8 * i));
}

Box merged(const Box& a, const Box& b) {
    return {std::min(a[0], b[0]), std::max(a[1], b[1]), std::min(a[2], b[2]), std::max(a[3], b[3])};
}

/// A row with its place in the build: its Hilbert position, then its leaf's node number.
struct Keyed {
    std::uint64_t key;
    Cell cell;
};

Keyed keyed(std::int64_t id, double lon, double lat) {
    const Box box{value_down(lon), value_up(lon), value_down(lat), value_up(lat)};
    return {hilbert(box[0], box[2]), Cell{id, box}};
}

std::int64_t count_of(sqlite::Database& db, const std::string& sql) {
    sqlite::Statement stmt(db, sql);
    return stmt.step() ? stmt.column_int(0) : 0;
}

/// Rebuilds the tree from `rows` (every row it is to hold, in Hilbert order): nodes filled
/// evenly (at least half full, as SQLite keeps them at least a third full), bottom up.
void build_packed(sqlite::Database& db, const std::string& table, std::vector<Keyed>& rows) {
    const auto node_size = static_cast<std::size_t>(count_of(db, "SELECT length(data) FROM \"" + table + "_node\" WHERE nodeno = 1"));
    const std::size_t capacity = (node_size - 4) / cell_bytes;
    if (node_size < 4 || capacity < 4) throw error("R*Tree '" + table + "' has nodes too small to build");
    for (const char* shadow : {"_node", "_rowid", "_parent"}) db.exec("DELETE FROM \"" + table + shadow + "\"");

    sqlite::Statement node(db, "INSERT INTO \"" + table + "_node\" (nodeno, data) VALUES (?, ?)");
    sqlite::Statement parent(db, "INSERT INTO \"" + table + "_parent\" (nodeno, parentnode) VALUES (?, ?)");
    std::vector<unsigned char> data(node_size);
    auto write_node = [&](std::int64_t nodeno, int depth, auto first, auto last, auto&& cell_of) {
        std::fill(data.begin(), data.end(), 0);
        put_u16(data.data(), static_cast<unsigned>(depth));
        put_u16(data.data() + 2, static_cast<unsigned>(last - first));
        unsigned char* p = data.data() + 4;
        for (auto it = first; it != last; ++it, p += cell_bytes) {
            const Cell& c = cell_of(*it);
            put_i64(p, c.id);
            for (std::size_t i = 0; i < 4; ++i) put_u32(p + 8 + 4 * i, std::bit_cast<std::uint32_t>(c.box[i]));
        }
        node.bind(1, nodeno).bind_blob(2, data.data(), data.size());
        node.run();
    };
    // One level: groups of consecutive cells under new nodes, or under the root when they fit.
    std::int64_t next_node = 2;
    auto level = [&](auto& cells, int depth, auto&& cell_of, auto&& placed) {
        std::vector<Cell> above;
        if (cells.size() <= capacity) {
            write_node(1, depth, cells.begin(), cells.end(), cell_of);
            for (auto& c : cells) placed(c, 1);
            return above;
        }
        const std::size_t nodes = (cells.size() + capacity - 1) / capacity;
        above.reserve(nodes);
        for (std::size_t i = 0; i < nodes; ++i) {
            const auto first = cells.begin() + static_cast<std::ptrdiff_t>(cells.size() * i / nodes);
            const auto last = cells.begin() + static_cast<std::ptrdiff_t>(cells.size() * (i + 1) / nodes);
            Box box = cell_of(*first).box;
            for (auto c = first; c != last; ++c) {
                box = merged(box, cell_of(*c).box);
                placed(*c, next_node);
            }
            write_node(next_node, 0, first, last, cell_of);
            above.push_back({next_node++, box});
        }
        return above;
    };
    auto in_leaf = [](Keyed& k, std::int64_t leaf) { k.key = static_cast<std::uint64_t>(leaf); };
    auto cells = level(rows, 0, [](const Keyed& k) -> const Cell& { return k.cell; }, in_leaf);
    for (int depth = 1; !cells.empty(); ++depth) {
        auto under = [&](Cell& c, std::int64_t nodeno) {
            parent.bind(1, c.id).bind(2, nodeno);
            parent.run();
        };
        cells = level(cells, depth, [](const Cell& c) -> const Cell& { return c; }, under);
    }
    // In row id order: appended to the table's B-tree rather than inserted all over it.
    std::sort(rows.begin(), rows.end(), [](const Keyed& a, const Keyed& b) { return a.cell.id < b.cell.id; });
    sqlite::Statement rowid(db, "INSERT INTO \"" + table + "_rowid\" (rowid, nodeno) VALUES (?, ?)");
    for (const auto& r : rows) {
        rowid.bind(1, r.cell.id).bind(2, static_cast<std::int64_t>(r.key));
        rowid.run();
    }
}

/// Adds rows (ids not yet in the tree) to the R*Tree `table`.
void add_rows(sqlite::Database& db, const std::string& table, std::vector<Keyed> rows) {
    if (rows.empty()) return;
    auto by_key = [](const Keyed& a, const Keyed& b) { return a.key != b.key ? a.key < b.key : a.cell.id < b.cell.id; };
    // A rebuild reads and rewrites the tree's own rows (about a microsecond each): worth it
    // unless the tree is several times larger than what is added. A few rows (a read inside a
    // batch after a few writes) go straight in, without counting.
    const std::int64_t existing =
        rows.size() < 64 ? -1 : count_of(db, "SELECT count(*) FROM \"" + table + "_rowid\"");
    if (existing < 0 || existing > 4 * static_cast<std::int64_t>(rows.size())) {
        std::sort(rows.begin(), rows.end(), by_key);
        sqlite::Statement insert(db, "INSERT INTO \"" + table + "\" (id, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)");
        for (const auto& [key, c] : rows) {
            // The stored floats, as doubles, round to themselves.
            insert.bind(1, c.id).bind(2, double{c.box[0]}).bind(3, double{c.box[1]}).bind(4, double{c.box[2]})
                .bind(5, double{c.box[3]});
            insert.run();
        }
        return;
    }
    if (existing > 0) {
        sqlite::Statement read(db, "SELECT id, min_lon, max_lon, min_lat, max_lat FROM \"" + table + "\"");
        while (read.step()) {
            const Box box{static_cast<float>(read.column_double(1)), static_cast<float>(read.column_double(2)),
                          static_cast<float>(read.column_double(3)), static_cast<float>(read.column_double(4))};
            rows.push_back({hilbert(box[0], box[2]), Cell{read.column_int(0), box}});
        }
    }
    std::sort(rows.begin(), rows.end(), by_key);
    build_packed(db, table, rows);
}

} // namespace

void PendingSites::flush(sqlite::Database& db) {
    auto ids = std::move(m_ids);
    m_ids = {};
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.empty()) return;
    // One tree at a time (the least memory), its points read back in id order: by one scan of
    // the ids' range when they fill most of it (new services), else by a lookup each.
    const bool scan = ids.back() - ids.front() < 2 * static_cast<std::int64_t>(ids.size());
    for (const bool exact : {false, true}) {
        const std::string columns = exact ? "id, lon, lat" : "id, public_lon, public_lat";
        sqlite::Statement read(db, "SELECT " + columns + " FROM services WHERE " +
                                       (scan ? "id BETWEEN ? AND ?" : "id = ?") + " AND lon IS NOT NULL");
        std::vector<Keyed> rows;
        rows.reserve(ids.size());
        auto take = [&] { rows.push_back(keyed(read.column_int(0), read.column_double(1), read.column_double(2))); };
        if (scan) {
            read.bind(1, ids.front()).bind(2, ids.back());
            auto next = ids.begin();
            while (read.step()) {
                next = std::lower_bound(next, ids.end(), read.column_int(0));
                if (next != ids.end() && *next == read.column_int(0)) take();
            }
        } else {
            for (const auto id : ids) {
                read.bind(1, id);
                if (read.step()) take();
                read.reset();
            }
        }
        add_rows(db, exact ? "service_exact_sites" : "service_public_sites", std::move(rows));
    }
}

} // namespace enlace::core::detail
