#include "enlace/core/errors.hpp"
#include "enlace/core/vocabulary.hpp"
#include "registry_impl.hpp"

#include <algorithm>
#include <unordered_map>

namespace enlace::core::detail {
namespace {

template <class List, class Code>
int position_of(const List& list, const Code& code) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].code == code) return static_cast<int>(i);
    return -1;
}

std::shared_ptr<const SpatialIndex> build_index(sqlite::Database& db, const ReferenceData& ref, Audience audience) {
    const bool public_ = audience == Audience::public_;
    std::vector<IndexedPoint> points;
    std::unordered_map<std::int64_t, std::size_t> slot;
    {
        sqlite::Statement stmt(db, public_ ? "SELECT id, public_lon, public_lat, country, status, age_min, age_max "
                                             "FROM services WHERE lon IS NOT NULL AND visibility = 'public'"
                                           : "SELECT id, lon, lat, country, status, age_min, age_max "
                                             "FROM services WHERE lon IS NOT NULL");
        while (stmt.step()) {
            IndexedPoint p;
            p.id = stmt.column_int(0);
            p.point = {stmt.column_double(1), stmt.column_double(2)};
            p.countries = MaskCodes::countries(ref, {stmt.column_text(3)});
            p.statuses = MaskCodes::statuses({parse_service_status(stmt.column_text(4)).value_or(ServiceStatus::active)});
            if (!stmt.is_null(5)) p.age_min = static_cast<std::uint8_t>(std::clamp<std::int64_t>(stmt.column_int(5), 0, 254));
            if (!stmt.is_null(6)) p.age_max = static_cast<std::uint8_t>(std::clamp<std::int64_t>(stmt.column_int(6), 0, 254));
            slot.emplace(p.id, points.size());
            points.push_back(p);
        }
    }
    {
        sqlite::Statement stmt(db, "SELECT service_id, code FROM service_types");
        while (stmt.step())
            if (auto it = slot.find(stmt.column_int(0)); it != slot.end())
                points[it->second].types |= MaskCodes::types(ref, {stmt.column_text(1)});
    }
    {
        sqlite::Statement stmt(db, "SELECT service_id, population FROM service_populations");
        while (stmt.step())
            if (auto it = slot.find(stmt.column_int(0)); it != slot.end())
                points[it->second].populations |= MaskCodes::populations(ref, {stmt.column_text(1)});
    }
    // A service that lists no populations serves them all.
    for (auto& p : points)
        if (p.populations == 0) p.populations = ~0u;
    return std::make_shared<const SpatialIndex>(std::move(points));
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

std::shared_ptr<const SpatialIndex> SpatialCache::get(sqlite::Database& db, const ReferenceData& reference,
                                                      Audience audience, std::int64_t revision) {
    // Built under the lock so that concurrent first queries build once; the caller holds a read
    // transaction, so the rows read match `revision`.
    std::lock_guard lock(m_mutex);
    Entry& entry = audience == Audience::public_ ? m_public : m_authorised;
    if (entry.index && entry.revision == revision) return entry.index;
    auto index = build_index(db, reference, audience);
    // A connection still reading an older snapshot gets its own index without evicting the newer one.
    if (revision > entry.revision) entry = {revision, index};
    return index;
}

} // namespace enlace::core::detail
