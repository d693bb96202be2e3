#include "spatial_index.hpp"

#include "enlace/core/geodesy.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>

namespace enlace::core::detail {
namespace {
constexpr std::uint32_t leaf_size = 8;
constexpr std::uint32_t bucket_size = 512;

// Float bounds rounded outward, so that a node's box always holds its points' exact doubles.
float down(double x) {
    const auto f = static_cast<float>(x);
    return f > x ? std::nextafter(f, -std::numeric_limits<float>::infinity()) : f;
}
float up(double x) {
    const auto f = static_cast<float>(x);
    return f < x ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}

int status_of(const IndexedPoint& p) { return std::countr_zero(static_cast<unsigned>(p.statuses)); }
} // namespace

bool PointFilter::accepts(const IndexedPoint& p) const {
    if (!(p.types & types) || !(p.countries & countries) || !(p.available() & available_in) ||
        !(p.populations & populations) || !(p.statuses & statuses))
        return false;
    if (age && (*age < p.age_min || *age > p.age_max)) return false;
    return !bbox || bbox->contains(p.point);
}

SpatialIndex::SpatialIndex(std::vector<IndexedPoint> points) : m_points(std::move(points)) {
    for (auto& p : m_points)
        p.xyz = geodesy::unit_vector(p.point);
    if (!m_points.empty()) {
        m_nodes.reserve(2 * m_points.size() / leaf_size + 1);
        m_by_id.resize(m_points.size());
        build(0, static_cast<std::uint32_t>(m_points.size()), false);
    }
    m_places_by_id.resize(m_points.size());
    std::iota(m_places_by_id.begin(), m_places_by_id.end(), 0u);
    std::sort(m_places_by_id.begin(), m_places_by_id.end(),
              [&](std::uint32_t a, std::uint32_t b) { return m_points[a].id < m_points[b].id; });
}

std::optional<std::uint32_t> SpatialIndex::place_of(std::int64_t id) const {
    const auto it =
        std::lower_bound(m_places_by_id.begin(), m_places_by_id.end(), id,
                         [&](std::uint32_t place, std::int64_t wanted) { return m_points[place].id < wanted; });
    if (it == m_places_by_id.end() || m_points[*it].id != id) return std::nullopt;
    return *it;
}

std::int32_t SpatialIndex::build(std::uint32_t begin, std::uint32_t end, bool in_bucket) {
    Node node{};
    node.bucket = !in_bucket && end - begin <= bucket_size;
    node.begin = begin;
    node.end = end;
    auto lo = m_points[begin].xyz, hi = lo;
    node.lon_lo = node.lat_lo = std::numeric_limits<float>::infinity();
    node.lon_hi = node.lat_hi = -std::numeric_limits<float>::infinity();
    node.min_id = std::numeric_limits<std::int64_t>::max();
    node.max_id = std::numeric_limits<std::int64_t>::min();
    for (std::uint32_t i = begin; i < end; ++i) {
        const auto& p = m_points[i];
        node.lon_lo = std::min(node.lon_lo, down(p.point.lon));
        node.lat_lo = std::min(node.lat_lo, down(p.point.lat));
        node.lon_hi = std::max(node.lon_hi, up(p.point.lon));
        node.lat_hi = std::max(node.lat_hi, up(p.point.lat));
        node.min_id = std::min(node.min_id, p.id);
        node.max_id = std::max(node.max_id, p.id);
        // Counted only when any type and any population filter would pass it (count_in_box).
        if (p.types != 0 && p.populations != 0 && p.statuses != 0)
            ++node.status_counts[static_cast<std::size_t>(status_of(p))];
        for (int a = 0; a < 3; ++a) {
            lo[a] = std::min(lo[a], p.xyz[a]);
            hi[a] = std::max(hi[a], p.xyz[a]);
        }
        node.types |= p.types;
        node.countries |= p.countries;
        node.populations |= p.populations;
        node.statuses |= p.statuses;
        node.age_min = std::min(node.age_min, p.age_min);
        node.age_max = std::max(node.age_max, p.age_max);
    }
    for (int a = 0; a < 3; ++a) {
        node.lo[a] = down(lo[a]);
        node.hi[a] = up(hi[a]);
    }
    const auto index = static_cast<std::int32_t>(m_nodes.size());
    m_nodes.push_back(node);
    if (end - begin > leaf_size) {
        int axis = 0;
        for (int a = 1; a < 3; ++a)
            if (hi[a] - lo[a] > hi[axis] - lo[axis]) axis = a;
        const std::uint32_t middle = begin + (end - begin) / 2;
        std::nth_element(m_points.begin() + begin, m_points.begin() + middle, m_points.begin() + end,
                         [axis](const IndexedPoint& a, const IndexedPoint& b) { return a.xyz[axis] < b.xyz[axis]; });
        const auto left = build(begin, middle, in_bucket || node.bucket);
        const auto right = build(middle, end, in_bucket || node.bucket);
        m_nodes[index].left = left;
        m_nodes[index].right = right;
    }
    if (node.bucket) { // after the children: they reorder the points of the range
        const auto first = m_by_id.begin() + begin, last = m_by_id.begin() + end;
        std::iota(first, last, begin);
        std::sort(first, last, [&](std::uint32_t a, std::uint32_t b) { return m_points[a].id < m_points[b].id; });
    }
    return index;
}

bool SpatialIndex::may_match(const Node& node, const PointFilter& filter) const {
    // The tree holds services with a site, which are available where they are: their country.
    if (!(node.types & filter.types) || !(node.countries & filter.countries) ||
        !(node.countries & filter.available_in) || !(node.populations & filter.populations) ||
        !(node.statuses & filter.statuses))
        return false;
    return !filter.age || (*filter.age >= node.age_min && *filter.age <= node.age_max);
}

double SpatialIndex::min_distance2(const Node& node, const std::array<double, 3>& q) {
    double d2 = 0;
    for (int a = 0; a < 3; ++a) {
        const double lo = node.lo[a], hi = node.hi[a];
        const double d = q[a] < lo ? lo - q[a] : (q[a] > hi ? q[a] - hi : 0.0);
        d2 += d * d;
    }
    return d2;
}

double SpatialIndex::max_distance2(const Node& node, const std::array<double, 3>& q) {
    double d2 = 0;
    for (int a = 0; a < 3; ++a) {
        const double d = std::max(std::abs(q[a] - node.lo[a]), std::abs(node.hi[a] - q[a]));
        d2 += d * d;
    }
    return d2;
}

void SpatialIndex::search(const std::vector<Layer>& layers, const GeoPoint& from, double max_chord2,
                          const PointFilter& filter, const NearPosition& after, VisitNear visit, void* context) {
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
    // A resumed search (a later page, a walk in batches) skips the subtrees wholly nearer than
    // where it resumes, rather than walking them again; the margin keeps rounding on the safe side.
    const double behind = after.chord2 * (1 - 1e-9);
    auto wanted = [&](const SpatialIndex& tree, const Node& node) {
        return tree.may_match(node, filter) && !(behind > 0 && max_distance2(node, q) < behind);
    };
    for (std::uint8_t l = 0; l < layers.size(); ++l) {
        const auto& tree = *layers[l].tree;
        if (!tree.m_nodes.empty() && wanted(tree, tree.m_nodes[0]))
            queue.push({min_distance2(tree.m_nodes[0], q), false, 0, 0, l});
    }
    while (!queue.empty()) {
        const Step step = queue.top();
        queue.pop();
        if (step.key > max_chord2) return;
        const SpatialIndex& tree = *layers[step.layer].tree;
        if (step.is_point) {
            if (!visit(context, tree.m_points[step.index], step.key)) return;
            continue;
        }
        const Node& node = tree.m_nodes[step.index];
        if (node.left < 0) {
            const Shadow* shadow = layers[step.layer].shadow;
            for (std::uint32_t i = node.begin; i < node.end; ++i) {
                const auto& p = tree.m_points[i];
                if (!filter.accepts(p) || (shadow && shadow->hides(i))) continue;
                const double dx = p.xyz[0] - q[0], dy = p.xyz[1] - q[1], dz = p.xyz[2] - q[2];
                const double d2 = dx * dx + dy * dy + dz * dz;
                if (d2 > max_chord2) continue;
                if (d2 < after.chord2 || (d2 == after.chord2 && p.id <= after.id)) continue;
                queue.push({d2, true, p.id, i, step.layer});
            }
            continue;
        }
        for (const auto child : {node.left, node.right}) {
            const Node& c = tree.m_nodes[static_cast<std::size_t>(child)];
            if (!wanted(tree, c)) continue;
            const double d2 = min_distance2(c, q);
            if (d2 <= max_chord2) queue.push({d2, false, 0, static_cast<std::uint32_t>(child), step.layer});
        }
    }
}

bool SpatialIndex::meets_box(const Node& node, const std::optional<BBox>& bbox) {
    if (!bbox) return true;
    const BBox& box = *bbox;
    if (node.lat_hi < box.south || node.lat_lo > box.north) return false;
    auto meets = [&](double west, double east) { return node.lon_hi >= west && node.lon_lo <= east; };
    return box.crosses_antimeridian() ? meets(box.west, 180.0) || meets(-180.0, box.east) : meets(box.west, box.east);
}

bool SpatialIndex::inside_box(const Node& node, const std::optional<BBox>& bbox) {
    if (!bbox) return true;
    const BBox& box = *bbox;
    if (node.lat_lo < box.south || node.lat_hi > box.north) return false;
    auto inside = [&](double west, double east) { return node.lon_lo >= west && node.lon_hi <= east; };
    return box.crosses_antimeridian() ? inside(box.west, 180.0) || inside(-180.0, box.east)
                                      : inside(box.west, box.east);
}

void SpatialIndex::walk_by_id(const std::vector<Layer>& layers, const PointFilter& filter, std::int64_t after,
                              VisitId visit, void* context) {
    // A box with no other filter but status: most points in it match, so merging the id-ordered
    // buckets reads about one point per result. With type, country, population or age filters
    // few may match, and the subtree masks below skip the subtrees that have none.
    const bool box_only = filter.bbox && filter.types == ~0ull && filter.countries == ~0u &&
                          filter.available_in == ~0u && filter.populations == ~0u && !filter.age;
    if (box_only) return merge_buckets_by_id(layers, filter, after, visit, context);
    const auto& box = filter.bbox;
    // Keys are ids: a point's own; a subtree's smallest id, or after + 1 when it straddles (a lower
    // bound). A leaf popped with its bound is queued again with its smallest matching id after
    // `after` (exact, so that on a later page the leaves straddling `after` do not all spill their
    // points into the queue); only then are its points queued. Leaves never popped are never scanned.
    enum class Kind : std::uint8_t { point, leaf, subtree };
    struct Entry {
        std::int64_t key;
        Kind kind;
        std::uint8_t layer;
        std::uint32_t index;
    };
    auto later = [](const Entry& a, const Entry& b) { return a.key != b.key ? a.key > b.key : a.kind > b.kind; };
    std::priority_queue<Entry, std::vector<Entry>, decltype(later)> queue(later);
    auto push_node = [&](std::uint8_t l, std::int32_t i) {
        const SpatialIndex& tree = *layers[l].tree;
        const Node& node = tree.m_nodes[static_cast<std::size_t>(i)];
        if (node.max_id <= after || !tree.may_match(node, filter) || !meets_box(node, box)) return;
        queue.push({std::max(node.min_id, after + 1), Kind::subtree, l, static_cast<std::uint32_t>(i)});
    };
    for (std::uint8_t l = 0; l < layers.size(); ++l)
        if (!layers[l].tree->m_nodes.empty()) push_node(l, 0);
    while (!queue.empty()) {
        const Entry entry = queue.top();
        queue.pop();
        const SpatialIndex& tree = *layers[entry.layer].tree;
        const Shadow* shadow = layers[entry.layer].shadow;
        if (entry.kind == Kind::point) {
            if (!visit(context, tree.m_points[entry.index])) return;
            continue;
        }
        const Node& node = tree.m_nodes[entry.index];
        auto visible = [&](std::uint32_t p) {
            return tree.m_points[p].id > after && filter.accepts(tree.m_points[p]) && !(shadow && shadow->hides(p));
        };
        if (node.left >= 0) {
            push_node(entry.layer, node.left);
            push_node(entry.layer, node.right);
        } else if (entry.kind == Kind::subtree) {
            auto key = std::numeric_limits<std::int64_t>::max();
            for (std::uint32_t p = node.begin; p < node.end; ++p)
                if (tree.m_points[p].id < key && visible(p)) key = tree.m_points[p].id;
            if (key != std::numeric_limits<std::int64_t>::max())
                queue.push({key, Kind::leaf, entry.layer, entry.index});
        } else {
            for (std::uint32_t p = node.begin; p < node.end; ++p)
                if (visible(p)) queue.push({tree.m_points[p].id, Kind::point, entry.layer, p});
        }
    }
}

void SpatialIndex::merge_buckets_by_id(const std::vector<Layer>& layers, const PointFilter& filter, std::int64_t after,
                                       VisitId visit, void* context) {
    struct Cursor {
        std::int64_t id; // of the point at `at`
        std::uint32_t at, end;
        std::uint8_t layer;
    };
    auto later = [](const Cursor& a, const Cursor& b) { return a.id > b.id; };
    std::vector<Cursor> storage;
    storage.reserve(256);
    std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> queue(later, std::move(storage));
    // Moves a cursor to its bucket's next matching point, and queues it if there is one.
    auto advance = [&](std::uint8_t l, std::uint32_t at, std::uint32_t end) {
        const SpatialIndex& tree = *layers[l].tree;
        const Shadow* shadow = layers[l].shadow;
        for (; at < end; ++at) {
            const std::uint32_t place = tree.m_by_id[at];
            const auto& p = tree.m_points[place];
            if (filter.accepts(p) && !(shadow && shadow->hides(place))) {
                queue.push({p.id, at, end, l});
                return;
            }
        }
    };
    for (std::uint8_t l = 0; l < layers.size(); ++l) {
        const SpatialIndex& tree = *layers[l].tree;
        if (tree.m_nodes.empty()) continue;
        std::vector<std::int32_t> stack{0};
        while (!stack.empty()) {
            const Node& node = tree.m_nodes[static_cast<std::size_t>(stack.back())];
            stack.pop_back();
            if (node.max_id <= after || !tree.may_match(node, filter) || !meets_box(node, filter.bbox)) continue;
            if (node.bucket) {
                const auto first = tree.m_by_id.begin() + node.begin, last = tree.m_by_id.begin() + node.end;
                const auto from =
                    std::partition_point(first, last, [&](std::uint32_t i) { return tree.m_points[i].id <= after; });
                advance(l, static_cast<std::uint32_t>(from - tree.m_by_id.begin()), node.end);
                continue;
            }
            stack.push_back(node.right);
            stack.push_back(node.left);
        }
    }
    while (!queue.empty()) {
        const Cursor cursor = queue.top();
        queue.pop();
        const SpatialIndex& tree = *layers[cursor.layer].tree;
        if (!visit(context, tree.m_points[tree.m_by_id[cursor.at]])) return;
        advance(cursor.layer, cursor.at + 1, cursor.end);
    }
}

std::int64_t SpatialIndex::count(const PointFilter& filter) const { return count_one(filter); }

std::int64_t SpatialIndex::count(const std::vector<Layer>& layers, const PointFilter& filter) {
    std::int64_t n = 0;
    for (const auto& layer : layers) {
        n += layer.tree->count_one(filter);
        // What the tree counted but newer trees hide: few, counted one by one.
        if (layer.shadow)
            for (const auto place : layer.shadow->points)
                n -= filter.accepts(layer.tree->m_points[place]) ? 1 : 0;
    }
    return n;
}

std::int64_t SpatialIndex::count_one(const PointFilter& filter) const {
    if (m_nodes.empty()) return 0;
    const auto& box = filter.bbox;
    const bool status_only = filter.types == ~0ull && filter.populations == ~0u && !filter.age;
    std::int64_t n = 0;
    std::vector<std::int32_t> stack{0};
    while (!stack.empty()) {
        const Node& node = m_nodes[static_cast<std::size_t>(stack.back())];
        stack.pop_back();
        if (!may_match(node, filter) || !meets_box(node, box)) continue;
        if (status_only && (node.countries & ~(filter.countries & filter.available_in)) == 0 && inside_box(node, box)) {
            for (std::size_t status = 0; status < node.status_counts.size(); ++status)
                if (filter.statuses & (1u << status)) n += node.status_counts[status];
            continue;
        }
        if (node.left < 0) {
            for (std::uint32_t i = node.begin; i < node.end; ++i)
                n += filter.accepts(m_points[i]) ? 1 : 0;
            continue;
        }
        stack.push_back(node.left);
        stack.push_back(node.right);
    }
    return n;
}

} // namespace enlace::core::detail
