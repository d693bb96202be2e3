#include "enlace/core/errors.hpp"
#include "enlace/core/vocabulary.hpp"
#include "registry_impl.hpp"

#include <algorithm>
#include <sqlite3.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace enlace::core::detail {
namespace {

template <class List, class Code>
int position_of(const List& list, const Code& code) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].code == code) return static_cast<int>(i);
    return -1;
}

IndexedPoint point_row(sqlite::Statement& stmt, const ReferenceData& ref) {
    IndexedPoint p;
    p.id = stmt.column_int(0);
    if (!stmt.is_null(1)) p.point = {stmt.column_double(1), stmt.column_double(2)};
    p.countries = MaskCodes::countries(ref, {stmt.column_text(3)});
    p.statuses = MaskCodes::statuses({parse_service_status(stmt.column_text(4)).value_or(ServiceStatus::active)});
    if (!stmt.is_null(5)) p.age_min = static_cast<std::uint8_t>(std::clamp<std::int64_t>(stmt.column_int(5), 0, 254));
    if (!stmt.is_null(6)) p.age_max = static_cast<std::uint8_t>(std::clamp<std::int64_t>(stmt.column_int(6), 0, 254));
    return p;
}

IndexedPoint* find_point(std::vector<IndexedPoint>& points, std::int64_t id) {
    auto it = std::lower_bound(points.begin(), points.end(), id,
                               [](const IndexedPoint& p, std::int64_t wanted) { return p.id < wanted; });
    return it != points.end() && it->id == id ? &*it : nullptr;
}

// Built with the least memory it can: the lists are sized by a count first (growing a vector of a
// million points would hold two copies at once) and found by binary search (they come sorted by
// id), not through a hash map as large as they are.
std::shared_ptr<const ServiceIndex> build_index(sqlite::Database& db, const ReferenceData& ref, Audience audience) {
    const bool public_ = audience == Audience::public_;
    const std::string columns = public_ ? "id, public_lon, public_lat, country, status, age_min, age_max"
                                        : "id, lon, lat, country, status, age_min, age_max";
    const std::string audience_filter = public_ ? " AND visibility = 'public'" : "";
    std::vector<IndexedPoint> sited, unsited;
    for (auto [list, where] : {std::pair{&sited, "WHERE lon IS NOT NULL"}, {&unsited, "WHERE lon IS NULL"}}) {
        sqlite::Statement count(db, std::string("SELECT count(*) FROM services ") + where + audience_filter);
        if (count.step()) list->reserve(static_cast<std::size_t>(count.column_int(0)));
        sqlite::Statement stmt(db, "SELECT " + columns + " FROM services " + where + audience_filter + " ORDER BY id");
        while (stmt.step()) list->push_back(point_row(stmt, ref));
    }
    auto each_link = [&](const char* sql, auto&& apply) {
        sqlite::Statement stmt(db, sql);
        while (stmt.step()) {
            const auto id = stmt.column_int(0);
            IndexedPoint* p = find_point(sited, id);
            if (!p) p = find_point(unsited, id);
            if (p) apply(*p, stmt.column_text(1));
        }
    };
    each_link("SELECT service_id, code FROM service_types",
              [&](IndexedPoint& p, const std::string& code) { p.types |= MaskCodes::types(ref, {code}); });
    each_link("SELECT service_id, population FROM service_populations",
              [&](IndexedPoint& p, const std::string& code) { p.populations |= MaskCodes::populations(ref, {code}); });
    {
        sqlite::Statement stmt(db, "SELECT service_id, country FROM service_area_countries");
        while (stmt.step()) {
            IndexedPoint* p = find_point(unsited, stmt.column_int(0));
            if (!p) continue;
            // Country filters match a service's own country; available_in and "available here"
            // a service without a site by its area.
            p->area_countries |= MaskCodes::countries(ref, {stmt.column_text(1)});
        }
    }
    // A service that lists no populations serves them all.
    for (auto* list : {&sited, &unsited})
        for (auto& p : *list)
            if (p.populations == 0) p.populations = ~0u;
    return std::make_shared<const ServiceIndex>(ServiceIndex{SpatialIndex(std::move(sited)), std::move(unsited)});
}

} // namespace

std::uint64_t MaskCodes::types(const ReferenceData& ref, const std::vector<std::string>& codes) {
    std::uint64_t mask = 0;
    for (const auto& code : codes)
        if (int i = position_of(ref.terms(), code); i >= 0) mask |= 1ull << i;
    return mask;
}

std::uint32_t MaskCodes::countries(const ReferenceData& ref, const std::vector<std::string>& codes) {
    std::uint32_t mask = 0;
    for (const auto& code : codes) {
        const auto& list = ref.countries();
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].alpha2 == code) mask |= 1u << i;
    }
    return mask;
}

std::uint32_t MaskCodes::populations(const ReferenceData& ref, const std::vector<std::string>& codes) {
    std::uint32_t mask = 0;
    for (const auto& code : codes)
        if (int i = position_of(ref.populations(), code); i >= 0) mask |= 1u << i;
    return mask;
}

std::uint8_t MaskCodes::statuses(const std::vector<ServiceStatus>& statuses) {
    std::uint8_t mask = 0;
    for (auto s : statuses) mask |= static_cast<std::uint8_t>(1u << static_cast<int>(s));
    return mask;
}

std::shared_ptr<const ServiceIndex> SpatialCache::get(sqlite::Database& db, const ReferenceData& reference,
                                                      Audience audience, std::int64_t revision) {
    // Built under the lock so that concurrent first queries build once; the caller holds a read
    // transaction, so the rows read match `revision`.
    std::lock_guard lock(m_mutex);
    Entry& entry = audience == Audience::public_ ? m_public : m_authorised;
    // Inside a write transaction (a batch) the rows may be uncommitted: a rolled-back batch would
    // leave an index of rows that never were, under a revision a later write reaches again.
    const bool uncommitted = sqlite3_txn_state(db.handle(), "main") == SQLITE_TXN_WRITE;
    if (entry.index && entry.revision == revision && !uncommitted) return entry.index;
    auto index = build_index(db, reference, audience);
    if (uncommitted) return index;
#ifdef __GLIBC__
    malloc_trim(0);  // the build's scratch (row buffers, the id map) is large: hand it back to the system
#endif
    // A connection still reading an older snapshot gets its own index without evicting the newer one.
    if (revision > entry.revision) entry = {revision, index};
    return index;
}

} // namespace enlace::core::detail
