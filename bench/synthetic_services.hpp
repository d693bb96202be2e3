#pragma once
// Synthetic services for the query benchmark: N services clustered around real towns of the member
// countries, always the same for the same N (fixed seed), and the query points asked about them.
#include "enlace/core/model.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace enlace::bench {

struct Town {
    const char* name;
    const char* country; // alpha-2 of a member country; the town lies inside its box
    double lon, lat;
    double weight;   // share of the services, relative
    double sigma_km; // normal scatter of its services around the centre
};

std::span<const Town> towns();

/// The leaf type the benchmark uses as "rare" (few services carry it).
inline constexpr const char* rare_type = "PRO.GUARDIAN";

struct QueryPoint {
    core::GeoPoint point;
    bool far = false;    // far from any service (oceans, Greenland, Arctic)
    std::string country; // the town's country; empty for far points
    std::string town;
};

/// near_towns points scattered around towns, then a fixed list of 20 far points.
std::vector<QueryPoint> query_points(int near_towns);

struct GeneratedFile {
    std::string path;
    bool reused = false; // found in the cache, not generated now
    double seconds = 0;  // generation time when generated
};

/// The registry file holding exactly n synthetic services, generated under dir unless a file with
/// n services is already there. Changing the generator bumps the version in the file name.
GeneratedFile ensure_registry(const std::string& dir, std::int64_t n);

} // namespace enlace::bench
