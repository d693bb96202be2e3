#pragma once
// A tile's services as a Mapbox Vector Tile 2.1 (protobuf, written with libprotozero): one layer
// "services" of points; each feature has `count` (1 for a service), `cluster`, and for a service
// its `id` (also the feature id) and `family`.
#include "enlace/core/tiles.hpp"

#include <string>

namespace enlace::http::detail {

inline constexpr int mvt_extent = 4096;
inline constexpr const char* mvt_layer = "services";

/// The tile's bytes; empty (a valid tile with no layer) when it holds nothing.
std::string encode_mvt(const core::TileContent& content, const core::TileAddress& address, int extent = mvt_extent);

} // namespace enlace::http::detail
