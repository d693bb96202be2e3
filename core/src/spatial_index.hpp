#pragma once
// An in-memory k-d tree over unit vectors of service points, for exact nearest-neighbour search
// in great-circle order. Each node keeps the union of its points' filterable attributes as bit
// masks, so a best-first search skips whole subtrees that cannot match (a rare service type far
// away costs a few node visits, not a scan).
#include "enlace/core/model.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace enlace::core::detail {

struct IndexedPoint {
    std::array<double, 3> xyz{};
    GeoPoint point;
    std::int64_t id = 0;
    std::uint64_t types = 0;          // bit per taxonomy term
    std::uint32_t countries = 0;      // bit per member country: its own
    std::uint32_t area_countries = 0; // a service without a site: bit per country of its area
    /// Where a child can use it: where it is (a site), or its area (none; its own country when
    /// the area names only admin1 codes).
    std::uint32_t available() const { return area_countries ? area_countries : countries; }
    std::uint32_t populations = 0; // bit per population; all bits when the service lists none
    std::uint8_t statuses = 0;     // bit per ServiceStatus
    std::uint8_t age_min = 0;      // years; 0 when open below
    std::uint8_t age_max = 255;    // years; 255 when open above
    bool sited = true;             // false: a service without a site (point unused)
};

/// Which points may be returned; a mask filter matches when it shares a bit with the point's.
struct PointFilter {
    std::uint64_t types = ~0ull;
    std::uint32_t countries = ~0u;
    std::uint32_t available_in = ~0u;
    std::uint32_t populations = ~0u;
    std::uint8_t statuses = 0xff;
    std::optional<int> age;
    std::optional<BBox> bbox;

    bool accepts(const IndexedPoint& p) const;
};

/// Where a paged nearest search resumes: strictly after (squared chord, id).
struct NearPosition {
    double chord2 = -1;
    std::int64_t id = 0;
};

/// The points of one tree that newer trees of a layered index replace or remove: a bit per point
/// (by its place in the tree) and the places set, to count what they hide.
struct Shadow {
    std::vector<std::uint64_t> bits;
    std::vector<std::uint32_t> points;
    bool hides(std::uint32_t i) const { return !bits.empty() && ((bits[i >> 6] >> (i & 63)) & 1u) != 0; }
};

class SpatialIndex;

/// One tree of a layered index with what newer trees hide of it (null: nothing).
struct Layer {
    const SpatialIndex* tree = nullptr;
    const Shadow* shadow = nullptr;
};

class SpatialIndex {
  public:
    explicit SpatialIndex(std::vector<IndexedPoint> points);

    std::size_t size() const { return m_points.size(); }
    const std::vector<IndexedPoint>& points() const { return m_points; }
    /// The place of the point with this id in points(), if the tree has it.
    std::optional<std::uint32_t> place_of(std::int64_t id) const;

    /// The searches below over several trees at once, as one index: a point hidden by its tree's
    /// shadow is passed over. Each returns what the single-tree form returns for the union of the
    /// visible points.
    template <class Visit>
    static void nearest(const std::vector<Layer>& layers, const GeoPoint& from, double max_chord2,
                        const PointFilter& filter, const NearPosition& after, Visit&& visit);
    template <class Visit>
    static void by_id(const std::vector<Layer>& layers, const PointFilter& filter, std::int64_t after, Visit&& visit);
    static std::int64_t count(const std::vector<Layer>& layers, const PointFilter& filter);

    /// Calls visit(point, chord2) for matching points in increasing (distance, id) order, after
    /// `after`, until visit returns false or the squared chord exceeds max_chord2.
    template <class Visit>
    void nearest(const GeoPoint& from, double max_chord2, const PointFilter& filter, const NearPosition& after,
                 Visit&& visit) const;

    /// Calls visit(point) for the matching points (inside filter.bbox, if set) whose id is above
    /// `after`, in increasing id order, until visit returns false. Subtrees are taken in order of
    /// their smallest id, so a page visits a small part of a large box or country.
    template <class Visit> void by_id(const PointFilter& filter, std::int64_t after, Visit&& visit) const;

    /// How many points match. A subtree wholly inside the box (if any) whose points all pass the
    /// filter but for their status is counted from its per-status counts, unvisited.
    std::int64_t count(const PointFilter& filter) const;

  private:
    /// Two cache lines: the first holds all that the id-ordered walk and the counts read, so a
    /// page of a box that holds tens of thousands of points touches one line per node it passes.
    struct alignas(64) Node {
        std::int64_t min_id, max_id;
        std::int32_t left = -1, right = -1;
        float lon_lo, lat_lo, lon_hi, lat_hi; // the points' own lon/lat, rounded outward
        std::uint64_t types = 0;
        std::uint32_t countries = 0, populations = 0;
        std::uint8_t statuses = 0, age_min = 255, age_max = 0;
        bool bucket = false;         // the largest subtree of at most bucket_size points on its path
        std::array<float, 3> lo, hi; // the unit vectors' box, rounded outward (nearest search)
        std::uint32_t begin, end;
        std::array<std::uint32_t, 4> status_counts{}; // points per ServiceStatus
    };
    std::int32_t build(std::uint32_t begin, std::uint32_t end, bool in_bucket);
    bool may_match(const Node& node, const PointFilter& filter) const;
    static bool meets_box(const Node& node, const std::optional<BBox>& box);
    static bool inside_box(const Node& node, const std::optional<BBox>& box);
    static double min_distance2(const Node& node, const std::array<double, 3>& q);
    /// The squared chord to the box's farthest corner: no point of the node is farther.
    static double max_distance2(const Node& node, const std::array<double, 3>& q);

    struct Step {
        double key;
        bool is_point;
        std::int64_t tie; // point id, for (distance, id) order
        std::uint32_t index;
        std::uint8_t layer;
    };
    using VisitNear = bool (*)(void*, const IndexedPoint&, double);
    using VisitId = bool (*)(void*, const IndexedPoint&);
    static void search(const std::vector<Layer>& layers, const GeoPoint& from, double max_chord2,
                       const PointFilter& filter, const NearPosition& after, VisitNear visit, void* context);
    static void walk_by_id(const std::vector<Layer>& layers, const PointFilter& filter, std::int64_t after,
                           VisitId visit, void* context);
    static void merge_buckets_by_id(const std::vector<Layer>& layers, const PointFilter& filter, std::int64_t after,
                                    VisitId visit, void* context);
    std::int64_t count_one(const PointFilter& filter) const;

    std::vector<IndexedPoint> m_points;
    std::vector<Node> m_nodes;
    /// Per bucket, its points' indices in id order: a box page merges the buckets that meet the
    /// box instead of walking subtrees whose ids are spread over the whole registry.
    std::vector<std::uint32_t> m_by_id;
    /// Every point's place in m_points, in id order (place_of).
    std::vector<std::uint32_t> m_places_by_id;
};

template <class Visit>
void SpatialIndex::nearest(const GeoPoint& from, double max_chord2, const PointFilter& filter,
                           const NearPosition& after, Visit&& visit) const {
    nearest({Layer{this, nullptr}}, from, max_chord2, filter, after, std::forward<Visit>(visit));
}

template <class Visit> void SpatialIndex::by_id(const PointFilter& filter, std::int64_t after, Visit&& visit) const {
    by_id({Layer{this, nullptr}}, filter, after, std::forward<Visit>(visit));
}

template <class Visit>
void SpatialIndex::nearest(const std::vector<Layer>& layers, const GeoPoint& from, double max_chord2,
                           const PointFilter& filter, const NearPosition& after, Visit&& visit) {
    search(
        layers, from, max_chord2, filter, after,
        [](void* context, const IndexedPoint& p, double d2) { return (*static_cast<Visit*>(context))(p, d2); }, &visit);
}

template <class Visit>
void SpatialIndex::by_id(const std::vector<Layer>& layers, const PointFilter& filter, std::int64_t after,
                         Visit&& visit) {
    walk_by_id(
        layers, filter, after, [](void* context, const IndexedPoint& p) { return (*static_cast<Visit*>(context))(p); },
        &visit);
}

} // namespace enlace::core::detail
