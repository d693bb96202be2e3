#pragma once
// Nearest-rank percentiles of latency samples, as every benchmark here reports them.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace enlace::bench {

/// The q-quantile (0 < q <= 1) of samples sorted ascending, by nearest rank; 0 when there are none.
inline double nearest_rank(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0;
    const auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(i, 1, sorted.size()) - 1];
}

} // namespace enlace::bench
