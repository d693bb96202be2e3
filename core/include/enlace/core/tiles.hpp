#pragma once
// Services as map tiles: what a Web Mercator tile (z/x/y, the XYZ scheme every web map uses) holds
// of a query's matches, from the in-memory index. The privacy rule of the map lives here, shared by
// every encoder: points are the audience's (public points for the public: a sensitive site's
// coarsened place), and where a tile holds too many to draw, services are counted on a grid
// anchored to the world and each count is placed at its cell's centre, never at the mean of its
// members (which would point at a small group of shelters).
#include "enlace/core/model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace enlace::core {

struct TileAddress {
    int z = 0;
    std::int64_t x = 0, y = 0;

    static constexpr int max_zoom = 20;
    /// Throws query_error naming z, x or y when the tile is not on the XYZ grid.
    void check() const;
    /// Its corners as longitude / latitude (latitudes within Web Mercator's ±85.0511°).
    BBox bounds() const;
    /// Where `point` falls in the tile, in units of 1/extent of its side from its top-left corner
    /// (may be outside [0, extent) for a point outside the tile).
    std::pair<double, double> position(const GeoPoint& point, int extent) const;
};

/// One thing drawn: one service at its point, or `count` services counted in a grid cell.
struct TileItem {
    GeoPoint point;         // the service's point as the audience sees it, or the cell's centre
    std::int64_t count = 1; // services; above 1 this is a cluster
    std::int64_t id = 0;    // the service (count 1)
    std::string family;     // the family of its first service type (count 1), e.g. "PRO"
};

struct TileContent {
    std::vector<TileItem> items;
    bool clustered = false; // counted on the grid
    int grid = 0;           // cells per tile side when clustered
    std::int64_t services = 0;
};

struct TileRules {
    /// Below this zoom services are always counted on the grid.
    int cluster_below_zoom = 12;
    /// Cells per tile side (a power of two): 8 cells of 32 px on a 256 px tile.
    int grid = 8;
    /// Past this many services a tile is counted on a grid of grid * 4 cells, whatever the zoom:
    /// a tile stays under ~300 KB.
    std::int64_t max_points = 12000;
};

} // namespace enlace::core
