// Reading the next page of services while the current one is written: the core's read (SQLite
// and the record JSON) and the writer (GDAL) run on the two cores instead of one after the other.
#include "export_detail.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace enlace::geo::detail {

std::int64_t for_each_service_pipelined(const core::Registry& registry, core::ServiceQuery query,
                                        const std::function<void(const core::Service&)>& fn) {
    // Pages of 1,000: up to four are alive at once (read, queued, written), a few MB of records;
    // pages of 10,000 held about 100 MB for no gain in speed.
    query.limit = 1000;
    query.cursor.clear();
    constexpr std::size_t max_pages = 2; // queued pages: memory stays bounded whatever the row count

    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::vector<core::ServiceHit>> pages;
    bool done = false, stop = false;
    std::exception_ptr read_error;

    // The registry is used by this reader thread only while the export runs.
    std::thread reader([&] {
        try {
            for (;;) {
                auto page = registry.find(query);
                const bool last = page.next_cursor.empty() || page.items.empty();
                query.cursor = std::move(page.next_cursor);
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return stop || pages.size() < max_pages; });
                if (stop) return;
                pages.push_back(std::move(page.items));
                changed.notify_all();
                if (last) break;
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            read_error = std::current_exception();
        }
        std::lock_guard lock(mutex);
        done = true;
        changed.notify_all();
    });

    auto stop_reader = [&] {
        {
            std::lock_guard lock(mutex);
            stop = true;
            changed.notify_all();
        }
        reader.join();
    };

    std::int64_t n = 0;
    try {
        for (;;) {
            std::vector<core::ServiceHit> page;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return !pages.empty() || done; });
                if (pages.empty()) break;
                page = std::move(pages.front());
                pages.pop_front();
                changed.notify_all();
            }
            for (const auto& hit : page) {
                fn(*hit.service);
                ++n;
            }
        }
    } catch (...) {
        stop_reader();
        throw;
    }
    stop_reader();
    if (read_error) std::rethrow_exception(read_error);
    return n;
}

} // namespace enlace::geo::detail
