#include "duplicate_grid.hpp"

#include "enlace/core/name_key.hpp"

#include "enlace/core/geodesy.hpp"

#include <algorithm>
#include <cmath>

namespace enlace::geo::detail {

DuplicateGrid DuplicateGrid::other_sources(const core::Registry& registry, const std::string& source) {
    DuplicateGrid grid;
    core::ServiceQuery q;
    q.audience = core::Audience::authorised;
    q.statuses = {core::ServiceStatus::active, core::ServiceStatus::temporarily_closed, core::ServiceStatus::inactive,
                  core::ServiceStatus::defunct};
    q.limit = core::ServiceQuery::max_limit;
    for (;;) {
        auto page = registry.find(q);
        for (const auto& hit : page.items)
            if (hit.service->source != source) grid.add(*hit.service.record());
        if (page.next_cursor.empty()) break;
        q.cursor = page.next_cursor;
    }
    return grid;
}

void DuplicateGrid::add(const core::Service& s) {
    if (!s.site) return;
    Entry e{s.id, s.source, {}, s.site->point};
    for (const auto& [lang, name] : s.name)
        e.names.push_back(core::normalised_name(name));
    m_cells[key(cell_of(e.point.lat), cell_of(e.point.lon))].push_back(std::move(e));
}

std::optional<DuplicateHint> DuplicateGrid::match(const core::Service& s) const {
    if (!s.site || m_cells.empty()) return std::nullopt;
    std::vector<std::string> names;
    for (const auto& [lang, name] : s.name)
        names.push_back(core::normalised_name(name));
    const auto cy = cell_of(s.site->point.lat), cx = cell_of(s.site->point.lon);
    for (long dy = -1; dy <= 1; ++dy)
        for (long dx = -1; dx <= 1; ++dx) {
            auto it = m_cells.find(key(cy + dy, cx + dx));
            if (it == m_cells.end()) continue;
            for (const auto& e : it->second) {
                const double d = core::geodesy::distance_m(e.point, s.site->point);
                if (d > radius_m) continue;
                for (const auto& n : names)
                    if (std::find(e.names.begin(), e.names.end(), n) != e.names.end())
                        return DuplicateHint{0, s.source_id, e.id, e.source, n, d};
            }
        }
    return std::nullopt;
}

long DuplicateGrid::cell_of(double degrees) { return static_cast<long>(std::floor(degrees / cell)); }

std::int64_t DuplicateGrid::key(long y, long x) { return (static_cast<std::int64_t>(y) << 32) ^ (x & 0xffffffff); }

} // namespace enlace::geo::detail
