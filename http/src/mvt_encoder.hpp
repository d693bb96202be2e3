#pragma once
// A tile's services as a Mapbox Vector Tile 2.1 (protobuf, written with libprotozero): one layer
// "services" of points; each feature has `count` (1 for a service), `cluster`, and for a service
// its `id` (also the feature id) and `family`.
#include "enlace/core/tiles.hpp"

#include <string>

namespace enlace::http::detail {

inline constexpr int mvt_extent = 4096;
inline constexpr const char* mvt_layer = "services";
/// How far past its edges (in 1/4096 of its side) a tile draws a point: beyond, an item is none of
/// the tile's and is left out (its coordinates would not even fit the format's 32 bits).
inline constexpr int mvt_buffer = 64;

/// The tile's bytes; empty (a valid tile with no layer) when it holds nothing. Items outside the
/// tile and its buffer are left out.
std::string encode_mvt(const core::TileContent& content, const core::TileAddress& address, int extent = mvt_extent);

} // namespace enlace::http::detail
