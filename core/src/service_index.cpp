#include "service_index.hpp"

#include <algorithm>

namespace enlace::core::detail {
namespace {

/// The points of a tree its shadow leaves visible.
void append_visible(const SpatialIndex& tree, const Shadow* shadow, std::vector<IndexedPoint>& out) {
    const auto& points = tree.points();
    for (std::uint32_t i = 0; i < points.size(); ++i)
        if (!(shadow && shadow->hides(i))) out.push_back(points[i]);
}

std::size_t visible_size(const SpatialIndex& tree, const Shadow* shadow) {
    return tree.size() - (shadow ? shadow->points.size() : 0);
}

bool id_less(const IndexedPoint& a, const IndexedPoint& b) { return a.id < b.id; }

} // namespace

ServiceIndex::ServiceIndex(std::int64_t revision, std::vector<Level> levels,
                           std::shared_ptr<const std::vector<IndexedPoint>> unsited)
    : m_revision(revision), m_levels(std::move(levels)), m_unsited(std::move(unsited)) {
    for (const auto& level : m_levels)
        if (level.tree->size() > 0) m_layers.push_back({level.tree.get(), level.shadow.get()});
}

std::shared_ptr<const ServiceIndex> ServiceIndex::build(std::int64_t revision, std::vector<IndexedPoint> sited,
                                                        std::vector<IndexedPoint> unsited) {
    std::vector<Level> levels{{std::make_shared<const SpatialIndex>(std::move(sited)), nullptr}};
    return std::shared_ptr<const ServiceIndex>(new ServiceIndex(
        revision, std::move(levels), std::make_shared<const std::vector<IndexedPoint>>(std::move(unsited))));
}

std::size_t ServiceIndex::sited_size() const {
    std::size_t n = 0;
    for (const auto& level : m_levels)
        n += visible_size(*level.tree, level.shadow.get());
    return n;
}

std::vector<IndexedPoint> ServiceIndex::sited_points() const {
    std::vector<IndexedPoint> out;
    for (const auto& level : m_levels)
        append_visible(*level.tree, level.shadow.get(), out);
    std::sort(out.begin(), out.end(), id_less);
    return out;
}

std::shared_ptr<const ServiceIndex> ServiceIndex::advanced(std::int64_t revision, const std::vector<std::int64_t>& ids,
                                                           std::vector<IndexedPoint> points) const {
    auto changed = [&](std::int64_t id) { return std::binary_search(ids.begin(), ids.end(), id); };
    std::vector<IndexedPoint> sited, unsited_new;
    for (auto& p : points)
        (p.sited ? sited : unsited_new).push_back(std::move(p));

    // Without a site: the list keeps its id order.
    auto unsited = m_unsited;
    if (!unsited_new.empty() ||
        std::any_of(m_unsited->begin(), m_unsited->end(), [&](const auto& p) { return changed(p.id); })) {
        std::vector<IndexedPoint> list;
        list.reserve(m_unsited->size() + unsited_new.size());
        for (const auto& p : *m_unsited)
            if (!changed(p.id)) list.push_back(p);
        std::sort(unsited_new.begin(), unsited_new.end(), id_less);
        std::vector<IndexedPoint> merged;
        merged.reserve(list.size() + unsited_new.size());
        std::merge(list.begin(), list.end(), unsited_new.begin(), unsited_new.end(), std::back_inserter(merged),
                   id_less);
        unsited = std::make_shared<const std::vector<IndexedPoint>>(std::move(merged));
    }

    // Every tree but the smallest keeps its points and hides the changed ones; the smallest is
    // made again from its own that did not change and the new points.
    std::vector<Level> levels = m_levels;
    std::vector<IndexedPoint> small;
    if (levels.size() > 1 && levels.back().tree->size() <= small_level_limit) {
        const Level last = levels.back();
        levels.pop_back();
        const auto& own = last.tree->points();
        for (std::uint32_t i = 0; i < own.size(); ++i)
            if (!(last.shadow && last.shadow->hides(i)) && !changed(own[i].id)) small.push_back(own[i]);
    }
    for (auto& level : levels) {
        std::shared_ptr<Shadow> shadow;
        for (const auto id : ids) {
            const auto place = level.tree->place_of(id);
            if (!place || (level.shadow && level.shadow->hides(*place))) continue;
            if (!shadow) {
                shadow = level.shadow ? std::make_shared<Shadow>(*level.shadow) : std::make_shared<Shadow>();
                shadow->bits.resize((level.tree->size() + 63) / 64, 0);
            }
            shadow->bits[*place >> 6] |= std::uint64_t{1} << (*place & 63);
            shadow->points.push_back(*place);
        }
        if (shadow) level.shadow = std::move(shadow);
    }
    small.insert(small.end(), std::make_move_iterator(sited.begin()), std::make_move_iterator(sited.end()));

    if (small.size() > small_level_limit) {
        // Too large to rebuild at every write: into the middle tree, or with it into the base when
        // that grows past an eighth of the base (so the base is rebuilt only after that much change).
        const std::size_t base_size = visible_size(*levels.front().tree, levels.front().shadow.get());
        std::vector<IndexedPoint> merged;
        if (levels.size() > 1) {
            append_visible(*levels.back().tree, levels.back().shadow.get(), merged);
            levels.pop_back();
        }
        merged.insert(merged.end(), std::make_move_iterator(small.begin()), std::make_move_iterator(small.end()));
        small.clear();
        if (merged.size() > std::max(8 * small_level_limit, base_size / 8)) {
            append_visible(*levels.front().tree, levels.front().shadow.get(), merged);
            levels.clear();
        }
        levels.push_back({std::make_shared<const SpatialIndex>(std::move(merged)), nullptr});
    }
    if (!small.empty()) levels.push_back({std::make_shared<const SpatialIndex>(std::move(small)), nullptr});
    return std::shared_ptr<const ServiceIndex>(new ServiceIndex(revision, std::move(levels), std::move(unsited)));
}

} // namespace enlace::core::detail
