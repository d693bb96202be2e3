#include "spatial_index.hpp"

#include "enlace/core/geodesy.hpp"

#include <algorithm>
#include <queue>

namespace enlace::core::detail {
namespace {
constexpr std::uint32_t leaf_size = 8;

/// The unit-vector bounds of the points in a lon/lat box that does not cross 180°. Each coordinate
/// is a product of a function of latitude and one of longitude, so its extremes lie at the box's
/// edges or where those functions peak (the equator, and longitudes -180, -90, 0, 90, 180).
struct Bounds3 {
    std::array<double, 3> lo{1, 1, 1}, hi{-1, -1, -1};
};

Bounds3 box_bounds(double west, double south, double east, double north) {
    std::vector<double> lats{south, north}, lons{west, east};
    if (south < 0 && north > 0) lats.push_back(0);
    for (double lon : {-180.0, -90.0, 0.0, 90.0, 180.0})
        if (lon > west && lon < east) lons.push_back(lon);
    Bounds3 b;
    for (double lat : lats)
        for (double lon : lons) {
            const auto v = geodesy::unit_vector({lon, lat});
            for (int a = 0; a < 3; ++a) {
                b.lo[a] = std::min(b.lo[a], v[a]);
                b.hi[a] = std::max(b.hi[a], v[a]);
            }
        }
    constexpr double slack = 1e-12;  // rounding in unit_vector
    for (int a = 0; a < 3; ++a) {
        b.lo[a] -= slack;
        b.hi[a] += slack;
    }
    return b;
}

bool overlaps(const Bounds3& b, const std::array<double, 3>& lo, const std::array<double, 3>& hi) {
    for (int a = 0; a < 3; ++a)
        if (hi[a] < b.lo[a] || lo[a] > b.hi[a]) return false;
    return true;
}
} // namespace

bool PointFilter::accepts(const IndexedPoint& p) const {
    if (!(p.types & types) || !(p.countries & countries) || !(p.populations & populations) || !(p.statuses & statuses))
        return false;
    if (age && (*age < p.age_min || *age > p.age_max)) return false;
    return !bbox || bbox->contains(p.point);
}

SpatialIndex::SpatialIndex(std::vector<IndexedPoint> points) : m_points(std::move(points)) {
    for (auto& p : m_points) p.xyz = geodesy::unit_vector(p.point);
    if (!m_points.empty()) {
        m_nodes.reserve(2 * m_points.size() / leaf_size + 1);
        build(0, static_cast<std::uint32_t>(m_points.size()));
    }
}

std::int32_t SpatialIndex::build(std::uint32_t begin, std::uint32_t end) {
    Node node{};
    node.begin = begin;
    node.end = end;
    node.lo = m_points[begin].xyz;
    node.hi = m_points[begin].xyz;
    for (std::uint32_t i = begin; i < end; ++i) {
        const auto& p = m_points[i];
        for (int a = 0; a < 3; ++a) {
            node.lo[a] = std::min(node.lo[a], p.xyz[a]);
            node.hi[a] = std::max(node.hi[a], p.xyz[a]);
        }
        node.types |= p.types;
        node.countries |= p.countries;
        node.populations |= p.populations;
        node.statuses |= p.statuses;
        node.age_min = std::min(node.age_min, p.age_min);
        node.age_max = std::max(node.age_max, p.age_max);
    }
    const auto index = static_cast<std::int32_t>(m_nodes.size());
    m_nodes.push_back(node);
    if (end - begin > leaf_size) {
        int axis = 0;
        for (int a = 1; a < 3; ++a)
            if (node.hi[a] - node.lo[a] > node.hi[axis] - node.lo[axis]) axis = a;
        const std::uint32_t middle = begin + (end - begin) / 2;
        std::nth_element(m_points.begin() + begin, m_points.begin() + middle, m_points.begin() + end,
                         [axis](const IndexedPoint& a, const IndexedPoint& b) { return a.xyz[axis] < b.xyz[axis]; });
        const auto left = build(begin, middle);
        const auto right = build(middle, end);
        m_nodes[index].left = left;
        m_nodes[index].right = right;
    }
    return index;
}

bool SpatialIndex::may_match(const Node& node, const PointFilter& filter) const {
    if (!(node.types & filter.types) || !(node.countries & filter.countries) ||
        !(node.populations & filter.populations) || !(node.statuses & filter.statuses))
        return false;
    return !filter.age || (*filter.age >= node.age_min && *filter.age <= node.age_max);
}

double SpatialIndex::min_distance2(const Node& node, const std::array<double, 3>& q) {
    double d2 = 0;
    for (int a = 0; a < 3; ++a) {
        const double d = q[a] < node.lo[a] ? node.lo[a] - q[a] : (q[a] > node.hi[a] ? q[a] - node.hi[a] : 0.0);
        d2 += d * d;
    }
    return d2;
}

void SpatialIndex::search(const GeoPoint& from, double max_chord2, const PointFilter& filter,
                          const NearPosition& after, bool (*visit)(void*, const IndexedPoint&, double),
                          void* context) const {
    if (m_nodes.empty()) return;
    const auto q = geodesy::unit_vector(from);
    // Nodes sort before points at an equal key, so points leave the queue in (distance, id) order.
    auto later = [](const Step& a, const Step& b) {
        if (a.key != b.key) return a.key > b.key;
        if (a.is_point != b.is_point) return a.is_point;
        return a.tie > b.tie;
    };
    std::vector<Step> storage;
    storage.reserve(256);
    std::priority_queue<Step, std::vector<Step>, decltype(later)> queue(later, std::move(storage));
    if (may_match(m_nodes[0], filter)) queue.push({min_distance2(m_nodes[0], q), false, 0, 0});
    while (!queue.empty()) {
        const Step step = queue.top();
        queue.pop();
        if (step.key > max_chord2) return;
        if (step.is_point) {
            if (!visit(context, m_points[step.index], step.key)) return;
            continue;
        }
        const Node& node = m_nodes[step.index];
        if (node.left < 0) {
            for (std::uint32_t i = node.begin; i < node.end; ++i) {
                const auto& p = m_points[i];
                if (!filter.accepts(p)) continue;
                const double dx = p.xyz[0] - q[0], dy = p.xyz[1] - q[1], dz = p.xyz[2] - q[2];
                const double d2 = dx * dx + dy * dy + dz * dz;
                if (d2 > max_chord2) continue;
                if (d2 < after.chord2 || (d2 == after.chord2 && p.id <= after.id)) continue;
                queue.push({d2, true, p.id, i});
            }
            continue;
        }
        for (const auto child : {node.left, node.right}) {
            const Node& c = m_nodes[static_cast<std::size_t>(child)];
            if (!may_match(c, filter)) continue;
            const double d2 = min_distance2(c, q);
            if (d2 <= max_chord2) queue.push({d2, false, 0, static_cast<std::uint32_t>(child)});
        }
    }
}

void SpatialIndex::scan_box(const PointFilter& filter, void (*visit)(void*, const IndexedPoint&), void* context) const {
    if (m_nodes.empty() || !filter.bbox) return;
    const BBox& box = *filter.bbox;
    std::vector<Bounds3> parts;
    if (box.crosses_antimeridian()) {
        parts.push_back(box_bounds(box.west, box.south, 180.0, box.north));
        parts.push_back(box_bounds(-180.0, box.south, box.east, box.north));
    } else {
        parts.push_back(box_bounds(box.west, box.south, box.east, box.north));
    }
    std::vector<std::int32_t> stack{0};
    while (!stack.empty()) {
        const Node& node = m_nodes[static_cast<std::size_t>(stack.back())];
        stack.pop_back();
        if (!may_match(node, filter)) continue;
        if (std::none_of(parts.begin(), parts.end(), [&](const Bounds3& b) { return overlaps(b, node.lo, node.hi); }))
            continue;
        if (node.left < 0) {
            for (std::uint32_t i = node.begin; i < node.end; ++i)
                if (filter.accepts(m_points[i])) visit(context, m_points[i]);
            continue;
        }
        stack.push_back(node.left);
        stack.push_back(node.right);
    }
}

} // namespace enlace::core::detail
