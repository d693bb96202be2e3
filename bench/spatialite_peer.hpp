#pragma once
// The peer: SpatiaLite's nearest-neighbour virtual table (KNN, module VirtualKNN of SpatiaLite 5.0)
// over a copy of the registry's public points, in its own SQLite file.
#include "enlace/core/model.hpp"

#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace enlace::bench {

struct PeerHit {
    std::int64_t id = 0; // the service id
    double distance_m = 0;
};

class SpatialitePeer {
  public:
    /// Builds peer_path from the registry file unless it already holds the same number of points.
    /// Returns the seconds spent building (0 when reused).
    static double ensure(const std::string& peer_path, const std::string& registry_path);

    explicit SpatialitePeer(const std::string& peer_path);
    SpatialitePeer(const SpatialitePeer&) = delete;
    SpatialitePeer& operator=(const SpatialitePeer&) = delete;
    ~SpatialitePeer();

    std::vector<PeerHit> nearest(const core::GeoPoint& point, int k);
    std::int64_t size();

  private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_knn = nullptr;
};

} // namespace enlace::bench
