#pragma once
// Great-circle geometry on a sphere of the mean Earth radius (haversine), the one distance every
// layer reports as distance_m.
#include "enlace/core/model.hpp"

#include <array>

namespace enlace::core::geodesy {

inline constexpr double earth_radius_m = 6371008.8;

bool valid_lon(double lon);
bool valid_lat(double lat);

/// Haversine distance in metres.
double distance_m(const GeoPoint& a, const GeoPoint& b);

/// The point as a unit vector; chord length between unit vectors orders points exactly as the
/// great-circle distance does, and has no seam at ±180° or at the poles.
std::array<double, 3> unit_vector(const GeoPoint& p);
double chord_to_m(double chord);
double m_to_chord(double metres);

/// Point in polygon (even-odd over all rings, so holes are excluded).
bool contains(const MultiPolygon& outline, const GeoPoint& p);

/// Distance in metres from a point outside the outline to its nearest edge, searched only within
/// `limit_m` (returns a value > limit_m when no edge is that close). Local flat approximation:
/// meant for tolerances of a few kilometres.
double distance_to_outline_m(const MultiPolygon& outline, const GeoPoint& p, double limit_m);

/// Bounding box of a ring set, for Polygon::bounds.
BBox bounds_of(const std::vector<std::vector<GeoPoint>>& rings);

/// The sensitive-site rule: the centre of the 0.1° cell holding the point, kept inside `within`.
GeoPoint coarsen(const GeoPoint& exact, const BBox& within);
inline constexpr double coarsening_cell_deg = 0.1;

} // namespace enlace::core::geodesy
