// The import's read-ahead thread: order, end, errors in their place, bounded memory, and a stop
// that does not wait for the producer to finish its input.
#include "prefetch.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

using enlace::geo::detail::Prefetch;

TEST_CASE("Prefetch hands over every item in order on another thread and then ends", "[prefetch]") {
    const auto consumer = std::this_thread::get_id();
    std::atomic<bool> other_thread{true};
    int next = 0;
    Prefetch<int> items(
        [&]() -> std::optional<int> {
            if (std::this_thread::get_id() == consumer) other_thread = false;
            if (next == 10'000) return std::nullopt;
            return next++;
        },
        7, 2);
    int expected = 0;
    while (auto item = items.next())
        CHECK(*item == expected++);
    CHECK(expected == 10'000);
    CHECK_FALSE(items.next()); // the end stays the end
    CHECK(other_thread);
}

TEST_CASE("Prefetch delivers a producer's exception after the items produced before it", "[prefetch]") {
    int next = 0;
    Prefetch<int> items(
        [&]() -> std::optional<int> {
            if (next == 20) throw std::runtime_error("row 21 is truncated");
            return next++;
        },
        8, 2);
    for (int i = 0; i < 20; ++i) {
        auto item = items.next();
        REQUIRE(item);
        CHECK(*item == i);
    }
    CHECK_THROWS_WITH(items.next(), "row 21 is truncated");
    CHECK_FALSE(items.next());
}

TEST_CASE("Prefetch stays a bounded number of items ahead and stops an endless producer", "[prefetch]") {
    std::atomic<long> produced{0};
    {
        Prefetch<long> items([&]() -> std::optional<long> { return produced++; }, 16, 3);
        REQUIRE(items.next() == 0L);
        // Wait until the producer is blocked on a full queue (or, were it unbounded, for 2 s).
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        long seen = -1;
        while (produced.load() != seen && std::chrono::steady_clock::now() < give_up) {
            seen = produced.load();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        // One batch handed over, three queued, one more filled and waiting for room.
        CHECK(produced.load() <= 16 * 5);
    } // the destructor must return although the producer never ends
    CHECK(produced.load() <= 16 * 5);
}
