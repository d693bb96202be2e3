// Keyset paging: every record once, in order, with no gaps or repeats, also while another
// connection inserts between and during page reads.
#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

using namespace enlace;

namespace {

std::vector<std::int64_t> seed(core::Registry& registry, int n) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < n; ++i)
        ids.push_back(
            registry.put(test::service_at(-90.5 + 0.01 * i, 14.6, "GT", "LEG.AID", "Base " + std::to_string(i))).id);
    return ids;
}

template <class Between>
std::vector<core::ServiceHit> read_all(const core::Registry& reader, core::ServiceQuery q, Between&& between) {
    std::vector<core::ServiceHit> all;
    while (true) {
        auto page = reader.find(q);
        REQUIRE(static_cast<int>(page.items.size()) <= q.limit);
        all.insert(all.end(), page.items.begin(), page.items.end());
        if (page.next_cursor.empty()) return all;
        q.cursor = page.next_cursor;
        between();
    }
}

void require_each_once(const std::vector<core::ServiceHit>& hits, const std::vector<std::int64_t>& expected) {
    std::set<std::int64_t> seen;
    for (const auto& hit : hits)
        REQUIRE(seen.insert(hit.service->id).second); // no repeats
    for (auto id : expected)
        REQUIRE(seen.count(id) == 1); // no gaps
}

} // namespace

TEST_CASE("paging by id visits every service once, in id order") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto ids = seed(registry, 53);
    core::ServiceQuery q;
    q.limit = 7;
    const auto all = read_all(registry, q, [] {});
    REQUIRE(all.size() == 53);
    require_each_once(all, ids);
    REQUIRE(std::is_sorted(all.begin(), all.end(),
                           [](const auto& a, const auto& b) { return a.service->id < b.service->id; }));
}

TEST_CASE("paging by id has no gaps or repeats while another connection inserts between pages") {
    test::ScratchDir dir;
    auto writer = test::make_registry(dir);
    const auto ids = seed(writer, 40);
    auto reader = writer.another_connection();
    core::ServiceQuery q;
    q.limit = 6;
    int extra = 0;
    const auto all = read_all(reader, q, [&] {
        writer.put(test::service_at(-90.0, 14.0 + 0.01 * extra, "GT", "LEG.AID", "Nuevo " + std::to_string(extra)));
        ++extra;
    });
    require_each_once(all, ids);
}

TEST_CASE("paging by distance has no gaps or repeats while another connection inserts near and far") {
    test::ScratchDir dir;
    auto writer = test::make_registry(dir);
    const auto ids = seed(writer, 40);
    auto reader = writer.another_connection();
    core::ServiceQuery q;
    q.near = core::Near{{-90.5, 14.6}, std::nullopt, std::nullopt};
    q.limit = 5;
    int extra = 0;
    const auto all = read_all(reader, q, [&] {
        // One insert right at the query point (closer than any cursor), one far beyond the rest.
        writer.put(test::service_at(-90.5, 14.6, "GT", "LEG.AID", "Cerca " + std::to_string(extra)));
        writer.put(test::service_at(-89.0, 15.5, "GT", "LEG.AID", "Lejos " + std::to_string(extra)));
        ++extra;
    });
    require_each_once(all, ids);
    for (std::size_t i = 1; i < all.size(); ++i)
        REQUIRE(*all[i - 1].distance_m <= *all[i].distance_m);
}

TEST_CASE("readers on other threads page without errors or repeats while a writer inserts") {
    test::ScratchDir dir;
    auto writer = test::make_registry(dir);
    const auto ids = seed(writer, 120);
    std::atomic<bool> done{false};
    std::thread inserter([&] {
        auto own = writer.another_connection(core::Registry::mode::read_write);
        for (int i = 0; i < 150; ++i)
            own.put(test::service_at(-91.0 + 0.001 * i, 15.0, "GT", "LEG.AID", "Hilo " + std::to_string(i)));
        done = true;
    });
    std::vector<std::vector<core::ServiceHit>> results(2);
    std::vector<std::thread> readers;
    for (int r = 0; r < 2; ++r)
        readers.emplace_back([&, r] {
            auto reader = writer.another_connection();
            core::ServiceQuery q;
            q.limit = 9;
            if (r == 1) q.near = core::Near{{-90.5, 14.6}, std::nullopt, std::nullopt};
            do {
                std::vector<core::ServiceHit> all;
                auto query = q;
                while (true) {
                    auto page = reader.find(query);
                    all.insert(all.end(), page.items.begin(), page.items.end());
                    if (page.next_cursor.empty()) break;
                    query.cursor = page.next_cursor;
                }
                results[static_cast<std::size_t>(r)] = std::move(all);
            } while (!done);
        });
    inserter.join();
    for (auto& t : readers)
        t.join();
    for (const auto& all : results)
        require_each_once(all, ids);
}

TEST_CASE("a cursor from another kind of query or a forged one is refused, naming the cursor") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    seed(registry, 5);
    core::ServiceQuery by_id;
    by_id.limit = 2;
    const auto cursor = registry.find(by_id).next_cursor;
    REQUIRE_FALSE(cursor.empty());
    core::ServiceQuery by_distance;
    by_distance.near = core::Near{{-90.5, 14.6}, std::nullopt, std::nullopt};
    by_distance.cursor = cursor;
    try {
        registry.find(by_distance);
        FAIL("a by-id cursor was accepted by a distance query");
    } catch (const core::query_error& e) {
        REQUIRE(e.parameter() == "cursor");
    }
    for (const std::string& forged : std::vector<std::string>{"!!!", "bjox", "aTotMQ", std::string(300, 'A')}) {
        by_id.cursor = forged;
        REQUIRE_THROWS_AS(registry.find(by_id), core::query_error);
    }
}

TEST_CASE("a distance cursor with a negative id is refused, as a by-id one is") {
    // Found by fuzz/fuzz_cursor.cpp: "n:0:-5:0" decoded as a cursor, though no page ever ends there.
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    seed(registry, 3);
    core::ServiceQuery by_distance;
    by_distance.near = core::Near{{-90.5, 14.6}, std::nullopt, std::nullopt};
    by_distance.cursor = "bjowOi01OjA"; // base64url of n:0:-5:0
    try {
        registry.find(by_distance);
        FAIL("a distance cursor with a negative id was accepted");
    } catch (const core::query_error& e) {
        REQUIRE(e.parameter() == "cursor");
    }
}
