#include "packed_rtree.hpp"

#include "enlace/core/errors.hpp"

#include <algorithm>
#include <bit>

namespace enlace::core::detail {
namespace {

// SQLite's R*Tree format (ext/rtree/rtree.c): table T keeps T_node(nodeno, data), T_rowid(rowid,
// nodeno) and T_parent(nodeno, parentnode). Node 1 is the root. A node's data is a big-endian
// 16-bit depth (root only), a 16-bit cell count, then cells of a 64-bit rowid (leaves) or child
// node number, followed by min_lon, max_lon, min_lat, max_lat as big-endian float32.
constexpr std::size_t cell_bytes = 8 + 4 * 4;

void put_u16(unsigned char* p, unsigned v) {
    p[0] = static_cast<unsigned char>(v >> 8);
    p[1] = static_cast<unsigned char>(v);
}
void put_u32(unsigned char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<unsigned char>(v >> (24 - 8 * i));
}
void put_i64(unsigned char* p, std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<unsigned char>(u >> (56 - 8 * i));
}

Box merged(const Box& a, const Box& b) {
    return {std::min(a[0], b[0]), std::max(a[1], b[1]), std::min(a[2], b[2]), std::max(a[3], b[3])};
}

/// The size of the tree's nodes (set when it was created), read from its root.
std::size_t node_bytes(sqlite::Database& db, const std::string& table) {
    sqlite::Statement stmt(db, "SELECT length(data) FROM \"" + table + "_node\" WHERE nodeno = 1");
    const auto bytes = stmt.step() ? stmt.column_int(0) : 0;
    if (bytes < 4 || (static_cast<std::size_t>(bytes) - 4) / cell_bytes < 4)
        throw error("R*Tree '" + table + "' has nodes too small to build");
    return static_cast<std::size_t>(bytes);
}

} // namespace

PackedRtreeWriter::PackedRtreeWriter(sqlite::Database& db, const std::string& table, std::uint64_t rows,
                                     std::size_t run_rows)
    : m_db(db), m_table(table), m_node_bytes(node_bytes(db, table)), m_data(m_node_bytes),
      m_node(db, "INSERT INTO \"" + table + "_node\" (nodeno, data) VALUES (?, ?)"),
      m_parent(db, "INSERT INTO \"" + table + "_parent\" (nodeno, parentnode) VALUES (?, ?)"), m_placed(run_rows) {
    // Every level's size follows from the number of rows, so nodes can be numbered as the whole
    // tree would number them level by level (leaves from 2 up, then each level above, root 1)
    // and written the moment their last cell arrives.
    const std::uint64_t capacity = (m_node_bytes - 4) / cell_bytes;
    std::int64_t next_node = 2;
    std::uint64_t cells = rows;
    while (cells > capacity) {
        const std::uint64_t nodes = (cells + capacity - 1) / capacity;
        m_levels.push_back({cells, nodes, next_node, 0, 0, {}});
        next_node += static_cast<std::int64_t>(nodes);
        cells = nodes;
    }
    m_levels.push_back({cells, 0, 1, 0, 0, {}});
    for (const char* shadow : {"_node", "_rowid", "_parent"})
        db.exec("DELETE FROM \"" + table + shadow + "\"");
}

void PackedRtreeWriter::add(const Cell& row) { push(0, row); }

void PackedRtreeWriter::push(std::size_t level, const Cell& cell) {
    auto& l = m_levels[level];
    if (l.received == l.cells) throw error("R*Tree '" + m_table + "': more rows than announced");
    l.pending.push_back(cell);
    ++l.received;
    if (l.nodes == 0 || l.received < l.end()) return;
    const std::int64_t nodeno = l.first_node + static_cast<std::int64_t>(l.written);
    write_node(level, nodeno);
    Box box = l.pending.front().box;
    for (const auto& c : l.pending)
        box = merged(box, c.box);
    l.pending.clear();
    ++l.written;
    push(level + 1, Cell{nodeno, box});
}

/// Writes the pending cells of `level` as node `nodeno`, and where each of them now lives.
void PackedRtreeWriter::write_node(std::size_t level, std::int64_t nodeno) {
    const auto& cells = m_levels[level].pending;
    std::fill(m_data.begin(), m_data.end(), 0);
    if (nodeno == 1) put_u16(m_data.data(), static_cast<unsigned>(level)); // the tree's depth
    put_u16(m_data.data() + 2, static_cast<unsigned>(cells.size()));
    unsigned char* p = m_data.data() + 4;
    for (const auto& c : cells) {
        put_i64(p, c.id);
        for (std::size_t i = 0; i < 4; ++i)
            put_u32(p + 8 + 4 * i, std::bit_cast<std::uint32_t>(c.box[i]));
        p += cell_bytes;
    }
    m_node.bind(1, nodeno).bind_blob(2, m_data.data(), m_data.size());
    m_node.run();
    for (const auto& c : cells) {
        if (level == 0) {
            m_placed.push({c.id, nodeno});
        } else {
            m_parent.bind(1, c.id).bind(2, nodeno);
            m_parent.run();
        }
    }
}

void PackedRtreeWriter::finish() {
    for (const auto& l : m_levels)
        if (l.received != l.cells) throw error("R*Tree '" + m_table + "': fewer rows than announced");
    write_node(m_levels.size() - 1, 1);
    // In row id order: appended to the table's B-tree rather than inserted all over it.
    sqlite::Statement rowid(m_db, "INSERT INTO \"" + m_table + "_rowid\" (rowid, nodeno) VALUES (?, ?)");
    m_placed.merge([&](const Placed& p) {
        rowid.bind(1, p.id).bind(2, p.leaf);
        rowid.run();
    });
}

} // namespace enlace::core::detail
