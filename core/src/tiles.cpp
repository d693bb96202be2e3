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

/// The part of the world a cell of a tile covers, as a box the index can count: half-open, so
/// that the cells (and the tiles) of a zoom share out every point once: the west and north edges
/// inside, the east and south ones outside. Edges are computed from their integer place on the
/// zoom's grid, so two neighbours agree on theirs exactly. The polar rows reach +-90 (Web
/// Mercator stops at 85.05: a point past it is counted in the row nearest to it).
BBox cell_bounds(const TileAddress& a, std::int64_t grid, std::int64_t cx, std::int64_t cy) {
    const double cells = std::ldexp(static_cast<double>(grid), a.z); // cells per world side
    const std::int64_t column = a.x * grid + cx, row = a.y * grid + cy;
    const double last = cells - 1;
    BBox box;
    box.west = static_cast<double>(column) / cells * 360 - 180;
    box.east = std::nextafter(static_cast<double>(column + 1) / cells * 360 - 180, -360.0);
    box.north = row == 0 ? 90 : world_point(0, static_cast<double>(row) / cells).lat;
    box.south = static_cast<double>(row) == last
                    ? -90
                    : std::nextafter(world_point(0, (static_cast<double>(row) + 1) / cells).lat, 90.0);
    return box;
}

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

    // Counted from the index, cell by cell, instead of visiting every point: a subtree wholly
    // inside a cell is counted from its node (at 1M services a z4 tile holds hundreds of thousands).
    auto filter = detail::point_filter(conditions, m_impl->reference);
    TileContent content;
    const auto add_point = [&](const detail::IndexedPoint& p) {
        content.items.push_back({p.point, 1, p.id, family_of(p.types, m_impl->reference)});
        return true; // and go on
    };
    m_impl->read([&] {
        const auto index = m_impl->index(q.audience);
        filter.bbox = cell_bounds(address, 1, 0, 0);
        content.services = index->count(filter);
        if (address.z >= rules.cluster_below_zoom && content.services <= rules.max_points) {
            index->by_id(filter, 0, [&](const detail::IndexedPoint& p) { return add_point(p); });
            return;
        }
        content.clustered = true;
        content.grid = address.z >= rules.cluster_below_zoom ? rules.grid * 4 : rules.grid;
        const std::int64_t g = content.grid;
        for (std::int64_t cy = 0; cy < g; ++cy)
            for (std::int64_t cx = 0; cx < g; ++cx) {
                filter.bbox = cell_bounds(address, g, cx, cy);
                const auto count = index->count(filter);
                if (count == 1) {
                    // Alone in its cell: drawn where it is shown at any zoom (a public point for the public).
                    index->by_id(filter, 0, [&](const detail::IndexedPoint& p) {
                        add_point(p);
                        return false; // the first is the only one
                    });
                } else if (count > 1) {
                    const double n = std::ldexp(static_cast<double>(g), address.z);
                    const double wx = (static_cast<double>(address.x * g + cx) + 0.5) / n;
                    const double wy = (static_cast<double>(address.y * g + cy) + 0.5) / n;
                    content.items.push_back({world_point(wx, wy), count, 0, {}});
                }
            }
    });
    return content;
}

} // namespace enlace::core
