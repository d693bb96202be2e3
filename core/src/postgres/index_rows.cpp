// What the in-memory index reads of the services: one row a service and its link rows, all of
// them for a build, or those of a few ids for an index following the change log.
#include "postgres_store.hpp"

#include "enlace/core/vocabulary.hpp"

#include <unordered_map>

namespace enlace::core::detail {
namespace {

std::string row_select(Audience audience) {
    return std::string("SELECT ") +
           (audience == Audience::public_ ? "id, public_lon, public_lat, country, status, age_min, age_max"
                                          : "id, lon, lat, country, status, age_min, age_max") +
           " FROM services WHERE " + (audience == Audience::public_ ? "reach = 0" : "reach <= 1");
}

IndexRow row_of(const pg::Result& r, int i) {
    IndexRow row;
    row.id = r.integer(i, 0);
    if (!r.is_null(i, 1)) row.point = GeoPoint{r.real(i, 1), r.real(i, 2)};
    row.country = r.text(i, 3);
    row.status = parse_service_status(r.text(i, 4)).value_or(ServiceStatus::active);
    row.age_min = r.optional_int(i, 5);
    row.age_max = r.optional_int(i, 6);
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

void PostgresStore::scan_index(Audience audience, const IndexScan& scan) {
    const std::string visible = audience == Audience::public_ ? "reach = 0" : "reach <= 1";
    {
        // Counted first, so that the index sizes its lists once.
        const auto count = run("SELECT count(*) FILTER (WHERE lon IS NOT NULL), count(*) FILTER (WHERE lon IS NULL) "
                               "FROM services WHERE " +
                               visible);
        scan.expect(count.integer(0, 0), count.integer(0, 1));
    }
    {
        const auto r = run(row_select(audience) + " ORDER BY id");
        for (int i = 0; i < r.rows(); ++i)
            scan.row(row_of(r, i));
    }
    // Every link row: the caller passes over those of services it was not given.
    for (const auto& table : link_tables) {
        const auto r = run(table.select);
        for (int i = 0; i < r.rows(); ++i)
            scan.link(table.link, r.integer(i, 0), r.text(i, 1));
    }
}

void PostgresStore::index_rows(Audience audience, const std::vector<std::int64_t>& ids, const IndexScan& scan) {
    if (ids.empty()) return;
    pg::Params p;
    const std::string any = " = ANY(" + p.add_ids(ids) + "::bigint[])";
    const auto r = run(row_select(audience) + " AND id" + any, p);
    std::unordered_map<std::int64_t, int> row_of_id;
    for (int i = 0; i < r.rows(); ++i)
        row_of_id.emplace(r.integer(i, 0), i);
    std::vector<std::int64_t> found; // in the order asked
    for (const auto id : ids)
        if (auto it = row_of_id.find(id); it != row_of_id.end()) {
            scan.row(row_of(r, it->second));
            found.push_back(id);
        }
    if (found.empty()) return;
    for (const auto& table : link_tables) {
        pg::Params lp;
        const auto links = run(std::string(table.select) + " WHERE service_id = ANY(" + lp.add_ids(found) +
                                   "::bigint[]) ORDER BY 1, 2",
                               lp);
        for (int i = 0; i < links.rows(); ++i)
            scan.link(table.link, links.integer(i, 0), links.text(i, 1));
    }
}

} // namespace enlace::core::detail
