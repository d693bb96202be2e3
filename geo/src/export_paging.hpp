#pragma once
// Reading an export's services on a second thread, and turning each into what the writer needs
// (an OGR feature, a line of JSON) there too, while the caller writes the ones before: the core's
// read and the per-record work run on one core, the format's writer (GDAL) on the other.
#include "export_detail.hpp"
#include "prefetch.hpp"

#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace enlace::geo::detail {

/// Calls write(prepare(service)) for every service the query selects, in the query's order;
/// returns how many. `prepare` runs on the reading thread and must not touch what `write` changes;
/// `write` runs on the caller's thread and must not use the registry.
template <class Prepare, class Write>
std::int64_t for_each_service_pipelined(const core::Registry& registry, core::ServiceQuery query, Prepare prepare,
                                        Write write) {
    using Item = std::invoke_result_t<Prepare&, const core::ServiceView&>;
    // Pages of 1,000, two queued: up to four are alive at once (read, queued, written), a few MB
    // whatever the row count; pages of 10,000 held about 100 MB for no gain in speed.
    query.limit = 1000;
    query.cursor.clear();
    bool last = false;
    Prefetch<std::vector<Item>> pages(
        [&]() -> std::optional<std::vector<Item>> {
            if (last) return std::nullopt;
            auto page = registry.find(query);
            last = page.next_cursor.empty() || page.items.empty();
            query.cursor = std::move(page.next_cursor);
            std::vector<Item> items;
            items.reserve(page.items.size());
            for (const auto& hit : page.items)
                items.push_back(prepare(hit.service));
            return items;
        },
        1, 2);
    std::int64_t n = 0;
    while (auto page = pages.next())
        for (auto& item : *page) {
            write(item);
            ++n;
        }
    return n;
}

} // namespace enlace::geo::detail
