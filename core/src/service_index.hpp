#pragma once
// One audience's in-memory index of services at one revision of the change log: immutable once
// made, shared by every reader of that revision. Sited services are in up to three k-d trees:
// the base, built from the whole registry, and two smaller ones holding what changed since, with
// a shadow on every older point a newer one replaces or a change removed. A write of one service
// makes the next version by rebuilding only the smallest tree (and marking the older ones); when
// that one grows past its bound it is merged into the next, so rebuilding stays proportional to
// what changed. Services without a site are a list in id order.
#include "spatial_index.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace enlace::core::detail {

class ServiceIndex {
  public:
    /// The index of every point given (sited ones, and those without a site in id order).
    static std::shared_ptr<const ServiceIndex> build(std::int64_t revision, std::vector<IndexedPoint> sited,
                                                     std::vector<IndexedPoint> unsited);

    /// This index with the points of `ids` (sorted, unique) replaced by `points` (the current
    /// points of those of them that are visible; an id with none is gone), at `revision`.
    std::shared_ptr<const ServiceIndex> advanced(std::int64_t revision, const std::vector<std::int64_t>& ids,
                                                 std::vector<IndexedPoint> points) const;

    std::int64_t revision() const { return m_revision; }
    /// Visible sited services, and how many trees hold them (for the tests and the benchmarks).
    std::size_t sited_size() const;
    std::size_t levels() const { return m_levels.size(); }

    /// As SpatialIndex's, over every tree.
    template <class Visit>
    void nearest(const GeoPoint& from, double max_chord2, const PointFilter& filter, const NearPosition& after,
                 Visit&& visit) const {
        SpatialIndex::nearest(m_layers, from, max_chord2, filter, after, std::forward<Visit>(visit));
    }
    template <class Visit> void by_id(const PointFilter& filter, std::int64_t after, Visit&& visit) const {
        SpatialIndex::by_id(m_layers, filter, after, std::forward<Visit>(visit));
    }
    std::int64_t count(const PointFilter& filter) const { return SpatialIndex::count(m_layers, filter); }
    const std::vector<IndexedPoint>& unsited() const { return *m_unsited; }

    /// Every visible sited point, in id order (what a fresh build would hold).
    std::vector<IndexedPoint> sited_points() const;

    /// The smallest tree is rebuilt at every version: it holds at most this many points.
    static constexpr std::size_t small_level_limit = 16384;

  private:
    struct Level {
        std::shared_ptr<const SpatialIndex> tree;
        std::shared_ptr<const Shadow> shadow; // may be null: nothing hidden
    };
    ServiceIndex(std::int64_t revision, std::vector<Level> levels,
                 std::shared_ptr<const std::vector<IndexedPoint>> unsited);

    std::int64_t m_revision;
    std::vector<Level> m_levels; // base first
    std::shared_ptr<const std::vector<IndexedPoint>> m_unsited;
    std::vector<Layer> m_layers; // the levels as the searches take them
};

} // namespace enlace::core::detail
