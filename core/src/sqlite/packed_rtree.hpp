#pragma once
// A packed bulk build of a SQLite R*Tree, written straight into its node, rowid and parent tables
// in SQLite's format (as GDAL's GPKG driver does since 3.7), from rows that arrive already in
// Hilbert order. It streams: only one partly filled node per level is held, and the rowid table's
// rows are sorted by id in bounded runs.
#include "external_sort.hpp"

#include "enlace/core/sqlite.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace enlace::core::detail {

using Box = std::array<float, 4>; // min_lon, max_lon, min_lat, max_lat, as SQLite stores them

/// One entry of a node: a row id and its box in a leaf, a child node number and its box above.
struct Cell {
    std::int64_t id;
    Box box;
};

class PackedRtreeWriter {
  public:
    /// Empties the R*Tree `table` (inside the caller's transaction) to rebuild it from `rows`
    /// rows. `run_rows` bounds the rowid rows held in memory at once. Throws error when the
    /// tree's nodes are too small to hold four cells.
    PackedRtreeWriter(sqlite::Database& db, const std::string& table, std::uint64_t rows, std::size_t run_rows);

    /// The next row, in Hilbert order: nodes are filled evenly (at least half full, as SQLite
    /// keeps them at least a third full) and written once each as soon as they are complete.
    void add(const Cell& row);
    /// Writes the root and the rowid table. Throws error unless exactly `rows` rows were added.
    void finish();

  private:
    /// The nodes of one level, numbered consecutively from `first_node`; the last level is the
    /// root alone (node 1). Node i of n holds the cells [cells * i / n, cells * (i + 1) / n).
    struct Level {
        std::uint64_t cells = 0, nodes = 0; // nodes == 0: the root's level
        std::int64_t first_node = 0;
        std::uint64_t received = 0, written = 0;
        std::vector<Cell> pending; // the cells of the node being filled
        std::uint64_t end() const { return cells * (written + 1) / nodes; }
    };
    struct Placed {
        std::int64_t id, leaf;
    };
    struct ById {
        bool operator()(const Placed& a, const Placed& b) const { return a.id < b.id; }
    };

    void push(std::size_t level, const Cell& cell);
    void write_node(std::size_t level, std::int64_t nodeno);

    sqlite::Database& m_db;
    std::string m_table;
    std::size_t m_node_bytes = 0;
    std::vector<Level> m_levels;
    std::vector<unsigned char> m_data;
    sqlite::Statement m_node, m_parent;
    ExternalSorter<Placed, ById> m_placed;
};

} // namespace enlace::core::detail
