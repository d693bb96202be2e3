#pragma once
// Services of other sources, bucketed by ~0.001° cells, for the import's check of likely duplicates:
// the same normalised name (name_key.hpp) within 50 m.
#include "enlace/core/registry.hpp"
#include "enlace/geo/importer.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace enlace::geo::detail {

class DuplicateGrid {
  public:
    static constexpr double cell = 0.001, radius_m = 50;

    /// Every sited service of the registry whose source is not `source`, whatever its status.
    static DuplicateGrid other_sources(const core::Registry& registry, const std::string& source);

    void add(const core::Service& s);
    /// The first service of the grid near `s` with one of its names (row left 0).
    std::optional<DuplicateHint> match(const core::Service& s) const;

  private:
    struct Entry {
        std::int64_t id;
        std::string source;
        std::vector<std::string> names;
        core::GeoPoint point;
    };
    static long cell_of(double degrees);
    static std::int64_t key(long y, long x);
    std::unordered_map<std::int64_t, std::vector<Entry>> m_cells;
};

} // namespace enlace::geo::detail
