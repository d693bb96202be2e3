#include "enlace/core/geodesy.hpp"

#include <algorithm>
#include <cmath>
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
