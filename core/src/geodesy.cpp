#include "enlace/core/geodesy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace enlace::core {

bool BBox::contains(const GeoPoint& p) const {
    if (p.lat < south || p.lat > north) return false;
    if (crosses_antimeridian()) return p.lon >= west || p.lon <= east;
    return p.lon >= west && p.lon <= east;
}

} // namespace enlace::core

namespace enlace::core::geodesy {
namespace {
constexpr double deg = std::numbers::pi / 180.0;
}

bool valid_lon(double lon) { return std::isfinite(lon) && lon >= -180.0 && lon <= 180.0; }
bool valid_lat(double lat) { return std::isfinite(lat) && lat >= -90.0 && lat <= 90.0; }

double distance_m(const GeoPoint& a, const GeoPoint& b) {
    const double dlat = (b.lat - a.lat) * deg;
    const double dlon = (b.lon - a.lon) * deg;
    const double s = std::sin(dlat / 2), t = std::sin(dlon / 2);
    const double h = s * s + std::cos(a.lat * deg) * std::cos(b.lat * deg) * t * t;
    return 2 * earth_radius_m * std::asin(std::min(1.0, std::sqrt(h)));
}

std::array<double, 3> unit_vector(const GeoPoint& p) {
    const double lat = p.lat * deg, lon = p.lon * deg;
    return {std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)};
}

double chord_to_m(double chord) { return 2 * earth_radius_m * std::asin(std::min(1.0, chord / 2)); }

double m_to_chord(double metres) {
    const double angle = std::min(metres / earth_radius_m, std::numbers::pi);
    return 2 * std::sin(angle / 2);
}

bool contains(const MultiPolygon& outline, const GeoPoint& p) {
    for (const auto& polygon : outline) {
        if (!polygon.bounds.contains(p)) continue;
        bool inside = false;
        for (const auto& ring : polygon.rings) {
            for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
                const auto& a = ring[i];
                const auto& b = ring[j];
                if ((a.lat > p.lat) != (b.lat > p.lat) &&
                    p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon)
                    inside = !inside;
            }
        }
        if (inside) return true;
    }
    return false;
}

double distance_to_outline_m(const MultiPolygon& outline, const GeoPoint& p, double limit_m) {
    const double metres_per_deg = earth_radius_m * deg;
    const double kx = std::max(std::cos(p.lat * deg), 1e-6) * metres_per_deg; // metres per degree of longitude
    const double pad_lat = limit_m / metres_per_deg, pad_lon = limit_m / kx;
    double best = std::numeric_limits<double>::infinity();
    for (const auto& polygon : outline) {
        const BBox& b = polygon.bounds;
        if (p.lat < b.south - pad_lat || p.lat > b.north + pad_lat || p.lon < b.west - pad_lon ||
            p.lon > b.east + pad_lon)
            continue;
        for (const auto& ring : polygon.rings) {
            for (std::size_t i = 1; i < ring.size(); ++i) {
                // In metres around p: x east, y north.
                const double ax = (ring[i - 1].lon - p.lon) * kx, ay = (ring[i - 1].lat - p.lat) * metres_per_deg;
                const double bx = (ring[i].lon - p.lon) * kx, by = (ring[i].lat - p.lat) * metres_per_deg;
                const double dx = bx - ax, dy = by - ay, length2 = dx * dx + dy * dy;
                const double t = length2 > 0 ? std::clamp(-(ax * dx + ay * dy) / length2, 0.0, 1.0) : 0.0;
                best = std::min(best, std::hypot(ax + t * dx, ay + t * dy));
            }
        }
    }
    return best;
}

BBox bounds_of(const std::vector<std::vector<GeoPoint>>& rings) {
    BBox b{180, 90, -180, -90};
    for (const auto& ring : rings)
        for (const auto& p : ring) {
            b.west = std::min(b.west, p.lon);
            b.east = std::max(b.east, p.lon);
            b.south = std::min(b.south, p.lat);
            b.north = std::max(b.north, p.lat);
        }
    return b;
}

GeoPoint coarsen(const GeoPoint& exact, const BBox& within) {
    auto centre = [](double v) { return (std::floor(v / coarsening_cell_deg) + 0.5) * coarsening_cell_deg; };
    GeoPoint p{centre(exact.lon), centre(exact.lat)};
    p.lat = std::clamp(p.lat, std::max(-90.0, within.south), std::min(90.0, within.north));
    p.lon = std::clamp(p.lon, -180.0, 180.0);
    if (!within.contains(p)) {
        // The cell centre fell outside the country box (a site on its edge): the edge is as coarse.
        if (within.crosses_antimeridian())
            p.lon = std::abs(p.lon - within.west) < std::abs(p.lon - within.east) ? within.west : within.east;
        else
            p.lon = std::clamp(p.lon, within.west, within.east);
    }
    return p;
}

} // namespace enlace::core::geodesy
