#pragma once
// The R*Tree rows of services written in a batch: kept aside while the batch runs and written at
// its end, in bulk when the tree is small next to them. SQLite's R*Tree costs about 12 µs an
// insert (it rewrites a node at each), more than the rest of a record; a packed build writes each
// node once.
#include "enlace/core/sqlite.hpp"

#include <cstdint>
#include <vector>

namespace enlace::core::detail {

/// The services written in the open batch whose R*Tree rows wait for its end: only their ids (8
/// bytes a service); their points are read back from the services table when the rows are written.
class PendingSites {
public:
    void add(std::int64_t id) { m_ids.push_back(id); }
    bool empty() const { return m_ids.empty(); }
    void clear() { m_ids = {}; }
    /// Adds their rows to service_public_sites and service_exact_sites as their services rows now
    /// stand (a service written twice counts once, one whose site was taken away not at all),
    /// inside the caller's transaction, then forgets them (also when a write fails: the caller
    /// rolls the batch back). A few rows next to a tree's own go in by ordinary INSERTs;
    /// otherwise the tree is rebuilt packed, in Hilbert order of the points, by writing its node,
    /// rowid and parent tables in SQLite's R*Tree format, as GDAL's GPKG driver does since 3.7.
    /// Either way each row holds the box SQLite itself would store (float32 rounded outward), and
    /// SQLite's rtreecheck() holds.
    void flush(sqlite::Database& db);

private:
    std::vector<std::int64_t> m_ids;
};

} // namespace enlace::core::detail
