// Reading the next page of services while the current one is written: the core's read (SQLite
// and the record JSON) and the writer (GDAL) run on the two cores instead of one after the other.
#include "export_detail.hpp"
#include "prefetch.hpp"

namespace enlace::geo::detail {

std::int64_t for_each_service_pipelined(const core::Registry& registry, core::ServiceQuery query,
                                        const std::function<void(const core::Service&)>& fn) {
    // Pages of 1,000, two queued: up to four are alive at once (read, queued, written), a few MB
    // of records whatever the row count; pages of 10,000 held about 100 MB for no gain in speed.
    query.limit = 1000;
    query.cursor.clear();
    bool last = false;
    // The registry is used by the reading thread only while the export runs.
    Prefetch<std::vector<core::ServiceHit>> pages(
        [&]() -> std::optional<std::vector<core::ServiceHit>> {
            if (last) return std::nullopt;
            auto page = registry.find(query);
            last = page.next_cursor.empty() || page.items.empty();
            query.cursor = std::move(page.next_cursor);
            return std::move(page.items);
        },
        1, 2);
    std::int64_t n = 0;
    while (auto page = pages.next())
        for (const auto& hit : *page) {
            fn(*hit.service);
            ++n;
        }
    return n;
}

} // namespace enlace::geo::detail
