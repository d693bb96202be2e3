#include "enlace/core/errors.hpp"
#include "enlace/core/vocabulary.hpp"
#include "registry_impl.hpp"

#include <algorithm>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <unordered_map>

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

std::shared_ptr<const ServiceIndex> build_index(sqlite::Database& db, const ReferenceData& ref, Audience audience) {
    const bool public_ = audience == Audience::public_;
    const std::string columns = public_ ? "SELECT id, public_lon, public_lat, country, status, age_min, age_max FROM services "
                                        : "SELECT id, lon, lat, country, status, age_min, age_max FROM services ";
    const std::string audience_filter = public_ ? " AND visibility = 'public'" : "";
    std::vector<IndexedPoint> sited, unsited;
    for (auto [list, where] : {std::pair{&sited, "WHERE lon IS NOT NULL"}, {&unsited, "WHERE lon IS NULL"}}) {
        sqlite::Statement stmt(db, columns + where + audience_filter + " ORDER BY id");
        while (stmt.step()) list->push_back(point_row(stmt, ref));
    }

    std::unordered_map<std::int64_t, IndexedPoint*> by_id;
    by_id.reserve(sited.size() + unsited.size());
    for (auto* list : {&sited, &unsited})
        for (auto& p : *list) by_id.emplace(p.id, &p);
    auto each_link = [&](const char* sql, auto&& apply) {
        sqlite::Statement stmt(db, sql);
        while (stmt.step())
            if (auto it = by_id.find(stmt.column_int(0)); it != by_id.end()) apply(*it->second, stmt.column_text(1));
    };
    each_link("SELECT service_id, code FROM service_types",
              [&](IndexedPoint& p, const std::string& code) { p.types |= MaskCodes::types(ref, {code}); });
    each_link("SELECT service_id, population FROM service_populations",
              [&](IndexedPoint& p, const std::string& code) { p.populations |= MaskCodes::populations(ref, {code}); });
    {
        sqlite::Statement stmt(db, "SELECT service_id, country FROM service_area_countries");
        while (stmt.step()) {
            const auto id = stmt.column_int(0);
            auto it = std::lower_bound(unsited.begin(), unsited.end(), id,
                                       [](const IndexedPoint& p, std::int64_t wanted) { return p.id < wanted; });
            if (it == unsited.end() || it->id != id) continue;
            // Lists match a service without a site by its own country or its area; "available
            // here" by its area alone.
            it->area_countries |= MaskCodes::countries(ref, {stmt.column_text(1)});
            it->countries |= it->area_countries;
        }
    }
    // A service that lists no populations serves them all.
    for (auto* list : {&sited, &unsited})
        for (auto& p : *list)
            if (p.populations == 0) p.populations = ~0u;
    by_id = {};
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
    if (entry.index && entry.revision == revision) return entry.index;
    auto index = build_index(db, reference, audience);
#ifdef __GLIBC__
    malloc_trim(0);  // the build's scratch (row buffers, the id map) is large: hand it back to the system
#endif
    // A connection still reading an older snapshot gets its own index without evicting the newer one.
    if (revision > entry.revision) entry = {revision, index};
    return index;
}

} // namespace enlace::core::detail
