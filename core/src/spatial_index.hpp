#pragma once
// An in-memory k-d tree over unit vectors of service points, for exact nearest-neighbour search
// in great-circle order. Each node keeps the union of its points' filterable attributes as bit
// masks, so a best-first search skips whole subtrees that cannot match (a rare service type far
// away costs a few node visits, not a scan).
#include "enlace/core/model.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace enlace::core::detail {

struct IndexedPoint {
    std::array<double, 3> xyz{};
    GeoPoint point;
    std::int64_t id = 0;
    std::uint64_t types = 0;        // bit per taxonomy term
    std::uint32_t countries = 0;    // bit per member country: its own
    std::uint32_t area_countries = 0;  // a service without a site: bit per country of its area
    /// Where a child can use it: where it is (a site), or its area (none; its own country when
    /// the area names only admin1 codes).
    std::uint32_t available() const { return area_countries ? area_countries : countries; }
    std::uint32_t populations = 0;  // bit per population; all bits when the service lists none
    std::uint8_t statuses = 0;      // bit per ServiceStatus
    std::uint8_t age_min = 0;       // years; 0 when open below
    std::uint8_t age_max = 255;     // years; 255 when open above
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

class SpatialIndex {
public:
    explicit SpatialIndex(std::vector<IndexedPoint> points);

    std::size_t size() const { return m_points.size(); }

    /// Calls visit(point, chord2) for matching points in increasing (distance, id) order, after
    /// `after`, until visit returns false or the squared chord exceeds max_chord2.
    template <class Visit>
    void nearest(const GeoPoint& from, double max_chord2, const PointFilter& filter, const NearPosition& after,
                 Visit&& visit) const;

    /// Calls visit(point) for the matching points (inside filter.bbox, if set) whose id is above
    /// `after`, in increasing id order, until visit returns false. Subtrees are taken in order of
    /// their smallest id, so a page visits a small part of a large box or country.
    template <class Visit>
    void by_id(const PointFilter& filter, std::int64_t after, Visit&& visit) const;

    /// How many points match. A subtree wholly inside the box (if any) whose points all pass the
    /// filter but for their status is counted from its per-status counts, unvisited.
    std::int64_t count(const PointFilter& filter) const;

private:
    /// Two cache lines: the first holds all that the id-ordered walk and the counts read, so a
    /// page of a box that holds tens of thousands of points touches one line per node it passes.
    struct alignas(64) Node {
        std::int64_t min_id, max_id;
        std::int32_t left = -1, right = -1;
        float lon_lo, lat_lo, lon_hi, lat_hi;  // the points' own lon/lat, rounded outward
        std::uint64_t types = 0;
        std::uint32_t countries = 0, populations = 0;
        std::uint8_t statuses = 0, age_min = 255, age_max = 0;
        bool bucket = false;  // the largest subtree of at most bucket_size points on its path
        std::array<float, 3> lo, hi;  // the unit vectors' box, rounded outward (nearest search)
        std::uint32_t begin, end;
        std::array<std::uint32_t, 4> status_counts{};  // points per ServiceStatus
    };
    std::int32_t build(std::uint32_t begin, std::uint32_t end, bool in_bucket);
    bool may_match(const Node& node, const PointFilter& filter) const;
    static bool meets_box(const Node& node, const std::optional<BBox>& box);
    static bool inside_box(const Node& node, const std::optional<BBox>& box);
    static double min_distance2(const Node& node, const std::array<double, 3>& q);

    struct Step {
        double key;
        bool is_point;
        std::int64_t tie;  // point id, for (distance, id) order
        std::uint32_t index;
    };
    void search(const GeoPoint& from, double max_chord2, const PointFilter& filter, const NearPosition& after,
                bool (*visit)(void*, const IndexedPoint&, double), void* context) const;
    void walk_by_id(const PointFilter& filter, std::int64_t after, bool (*visit)(void*, const IndexedPoint&),
                        void* context) const;
    void merge_buckets_by_id(const PointFilter& filter, std::int64_t after,
                             bool (*visit)(void*, const IndexedPoint&), void* context) const;

    std::vector<IndexedPoint> m_points;
    std::vector<Node> m_nodes;
    /// Per bucket, its points' indices in id order: a box page merges the buckets that meet the
    /// box instead of walking subtrees whose ids are spread over the whole registry.
    std::vector<std::uint32_t> m_by_id;
};

template <class Visit>
void SpatialIndex::nearest(const GeoPoint& from, double max_chord2, const PointFilter& filter,
                           const NearPosition& after, Visit&& visit) const {
    search(from, max_chord2, filter, after,
           [](void* context, const IndexedPoint& p, double d2) { return (*static_cast<Visit*>(context))(p, d2); },
           &visit);
}

template <class Visit>
void SpatialIndex::by_id(const PointFilter& filter, std::int64_t after, Visit&& visit) const {
    walk_by_id(filter, after,
                   [](void* context, const IndexedPoint& p) { return (*static_cast<Visit*>(context))(p); }, &visit);
}

/// What queries filter on without reading records, for one audience at one services revision:
/// sited services in the k-d tree, and services without a site (phone lines, country-wide
/// services) in id order.
struct ServiceIndex {
    SpatialIndex sited;
    std::vector<IndexedPoint> unsited;
};

} // namespace enlace::core::detail
