// Registry::tile: a Web Mercator tile's services from the in-memory index, drawn one by one or
// counted on the world-anchored grid (tiles.hpp).
#include "enlace/core/conditions.hpp"
#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "live_index.hpp"
#include "registry_impl.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>
#include <unordered_map>

namespace enlace::core {
namespace {

constexpr double max_mercator_lat = 85.05112877980659;

/// A longitude / latitude as a fraction of the Mercator world, (0, 0) at its top-left corner.
std::pair<double, double> world_position(const GeoPoint& p) {
    const double lat = std::clamp(p.lat, -max_mercator_lat, max_mercator_lat) * std::numbers::pi / 180;
    return {(p.lon + 180) / 360, (1 - std::asinh(std::tan(lat)) / std::numbers::pi) / 2};
}

GeoPoint world_point(double wx, double wy) {
    const double lat = std::atan(std::sinh(std::numbers::pi * (1 - 2 * wy))) * 180 / std::numbers::pi;
    return {wx * 360 - 180, lat};
}

/// The family of a service's first type in the index's mask (types are bits of the taxonomy).
std::string family_of(std::uint64_t types, const ReferenceData& reference) {
    if (types == 0) return {};
    const auto bit = static_cast<std::size_t>(std::countr_zero(types));
    const auto& terms = reference.terms();
    if (bit >= terms.size()) return {};
    return terms[bit].parent.empty() ? terms[bit].code : terms[bit].parent;
}

/// The first condition the index cannot answer, by its query parameter's name.
const char* unanswerable(const ServiceConditions& c) {
    if (!c.words.empty()) return "q";
    if (!c.languages.empty()) return "language";
    if (!c.gender.empty()) return "gender";
    if (!c.updated_since.empty()) return "updated_since";
    if (!c.updated_until.empty()) return "updated_until";
    if (!c.verified_since.empty()) return "verified_since";
    if (!c.verified_before.empty()) return "verified_before";
    if (c.open_at) return "open_at";
    return nullptr;
}

struct Found {
    GeoPoint point;
    double px, py; // in the tile, [0, 1)
    std::int64_t id;
    std::uint64_t types;
};

} // namespace

void TileAddress::check() const {
    if (z < 0 || z > max_zoom) throw query_error("z", "must be a zoom level from 0 to " + std::to_string(max_zoom));
    const std::int64_t n = std::int64_t{1} << z;
    if (x < 0 || x >= n) throw query_error("x", "must be from 0 to " + std::to_string(n - 1) + " at this zoom");
    if (y < 0 || y >= n) throw query_error("y", "must be from 0 to " + std::to_string(n - 1) + " at this zoom");
}

BBox TileAddress::bounds() const {
    const double n = std::ldexp(1.0, z);
    const auto top_left = world_point(static_cast<double>(x) / n, static_cast<double>(y) / n);
    const auto bottom_right = world_point(static_cast<double>(x + 1) / n, static_cast<double>(y + 1) / n);
    return {top_left.lon, bottom_right.lat, bottom_right.lon, top_left.lat};
}

std::pair<double, double> TileAddress::position(const GeoPoint& point, int extent) const {
    const double n = std::ldexp(1.0, z);
    const auto [wx, wy] = world_position(point);
    return {(wx * n - static_cast<double>(x)) * extent, (wy * n - static_cast<double>(y)) * extent};
}

TileContent Registry::tile(const ServiceQuery& filters, const TileAddress& address, const TileRules& rules) const {
    address.check();
    ServiceQuery q = filters;
    q.near.reset();
    q.cursor.clear();
    q.limit = 1;
    q.bbox = address.bounds();
    const auto conditions = conditions_of(q, m_impl->reference);
    if (const char* parameter = unanswerable(conditions))
        throw query_error(parameter, "is not a tile filter (tiles take country, type, population, age, status)");

    std::vector<Found> found;
    m_impl->read([&] {
        const auto index = m_impl->index(q.audience);
        index->by_id(detail::point_filter(conditions, m_impl->reference), 0, [&](const detail::IndexedPoint& p) {
            // Half-open: a point on the edge between two tiles is drawn (and counted) in one.
            const auto [px, py] = address.position(p.point, 1);
            if (px >= 0 && px < 1 && py >= 0 && py < 1) found.push_back({p.point, px, py, p.id, p.types});
            return true;
        });
    });

    TileContent content;
    content.services = static_cast<std::int64_t>(found.size());
    const bool crowded = content.services > rules.max_points;
    if (address.z >= rules.cluster_below_zoom && !crowded) {
        content.items.reserve(found.size());
        for (const auto& f : found)
            content.items.push_back({f.point, 1, f.id, family_of(f.types, m_impl->reference)});
        return content;
    }

    content.clustered = true;
    content.grid = address.z >= rules.cluster_below_zoom ? rules.grid * 4 : rules.grid;
    const int g = content.grid;
    struct Cell {
        std::int64_t count = 0;
        const Found* only = nullptr;
    };
    std::unordered_map<std::int64_t, Cell> cells;
    for (const auto& f : found) {
        const auto cx = std::min<std::int64_t>(g - 1, static_cast<std::int64_t>(f.px * g));
        const auto cy = std::min<std::int64_t>(g - 1, static_cast<std::int64_t>(f.py * g));
        auto& cell = cells[cy * g + cx];
        ++cell.count;
        cell.only = &f;
    }
    std::vector<std::int64_t> keys;
    keys.reserve(cells.size());
    for (const auto& entry : cells)
        keys.push_back(entry.first);
    std::sort(keys.begin(), keys.end()); // a stable order: the same tile, the same bytes
    const double n = std::ldexp(1.0, address.z);
    for (const auto key : keys) {
        const auto& cell = cells[key];
        if (cell.count == 1) {
            // Alone in its cell: drawn where it is shown at any zoom (a public point for the public).
            content.items.push_back(
                {cell.only->point, 1, cell.only->id, family_of(cell.only->types, m_impl->reference)});
            continue;
        }
        const double wx = (static_cast<double>(address.x) + (static_cast<double>(key % g) + 0.5) / g) / n;
        const double wy = (static_cast<double>(address.y) + (static_cast<double>(key / g) + 0.5) / g) / n;
        content.items.push_back({world_point(wx, wy), cell.count, 0, {}});
    }
    return content;
}

} // namespace enlace::core
