// What the in-memory index reads of the services: one row a service and its link rows, all of
// them for a build, or those of a few ids for an index following the change log.
#include "sqlite_store.hpp"

#include "enlace/core/vocabulary.hpp"

namespace enlace::core::detail {
namespace {

const char* row_columns(Audience audience) {
    return audience == Audience::public_ ? "id, public_lon, public_lat, country, status, age_min, age_max"
                                         : "id, lon, lat, country, status, age_min, age_max";
}

IndexRow row_of(const sqlite::Statement& stmt) {
    IndexRow row;
    row.id = stmt.column_int(0);
    if (!stmt.is_null(1)) row.point = GeoPoint{stmt.column_double(1), stmt.column_double(2)};
    row.country = stmt.column_text(3);
    row.status = parse_service_status(stmt.column_text(4)).value_or(ServiceStatus::active);
    if (!stmt.is_null(5)) row.age_min = static_cast<int>(stmt.column_int(5));
    if (!stmt.is_null(6)) row.age_max = static_cast<int>(stmt.column_int(6));
    return row;
}

struct LinkTable {
    IndexLink link;
    const char* select; // (service id, code)
};
constexpr LinkTable link_tables[] = {
    {IndexLink::type, "SELECT service_id, code FROM service_types"},
    {IndexLink::population, "SELECT service_id, population FROM service_populations"},
    {IndexLink::area_country, "SELECT service_id, country FROM service_area_countries"},
};

} // namespace

void SqliteStore::scan_index(Audience audience, const IndexScan& scan) {
    const std::string visible = audience == Audience::public_ ? " AND reach = 0" : " AND reach <= 1";
    {
        // Counted first, so that the index sizes its lists once (growing a million points would
        // hold two copies at once).
        sqlite::Statement count(m_db,
                                "SELECT count(*) FILTER (WHERE lon IS NOT NULL), count(*) FILTER (WHERE lon IS NULL) "
                                "FROM services WHERE 1" +
                                    visible);
        if (count.step()) scan.expect(count.column_int(0), count.column_int(1));
    }
    {
        sqlite::Statement stmt(m_db, std::string("SELECT ") + row_columns(audience) + " FROM services WHERE 1" +
                                         visible + " ORDER BY id");
        while (stmt.step())
            scan.row(row_of(stmt));
    }
    // Every link row: those of services the audience may not see are passed over by the caller,
    // which knows the rows it has (a join here would cost more than the rows it drops).
    for (const auto& table : link_tables) {
        sqlite::Statement stmt(m_db, table.select);
        while (stmt.step())
            scan.link(table.link, stmt.column_int(0), stmt.column_text(1));
    }
}

void SqliteStore::index_rows(Audience audience, const std::vector<std::int64_t>& ids, const IndexScan& scan) {
    auto& select = prepare(std::string("SELECT ") + row_columns(audience) + " FROM services WHERE id = ?" +
                           (audience == Audience::public_ ? " AND reach = 0" : " AND reach <= 1"));
    std::vector<std::int64_t> found;
    for (const auto id : ids) {
        select.bind(1, id);
        if (select.step()) {
            scan.row(row_of(select));
            found.push_back(id);
        }
        select.reset();
    }
    for (const auto& table : link_tables) {
        auto& stmt = prepare(std::string(table.select) + " WHERE service_id = ?");
        for (const auto id : found) {
            stmt.bind(1, id);
            while (stmt.step())
                scan.link(table.link, id, stmt.column_text(1));
            stmt.reset();
        }
    }
}

} // namespace enlace::core::detail
