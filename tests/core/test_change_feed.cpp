// Several servers on one PostgreSQL database (docs/deploy.md): each keeps its own in-memory index
// and follows the others' writes. A commit NOTIFYs; a server's change feed (LISTEN) wakes, and
// catch_up() brings the shared index to the newest revision before any request asks. A lost
// connection (a restart, a terminated backend) is opened again, and the log tells what was missed.
#include "enlace/core/registry.hpp"
#include "enlace/core/store.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace enlace;
using namespace std::chrono_literals;
using Wake = core::ChangeFeed::Wake;

namespace {

/// Terminates the backends of the registry's database whose last statement was `query`, as an
/// administrator or a failover would; returns how many.
int terminate_backends(const std::string& location, const std::string& query) {
    return std::stoi(test::sql_value(location, "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM "
                                               "pg_stat_activity WHERE datname = current_database() AND pid <> "
                                               "pg_backend_pid() AND query = '" +
                                                   query + "') AS t"));
}

/// Waits until no backend of the database has `query` as its last statement (the terminated ones
/// have exited).
void wait_until_gone(const std::string& location, const std::string& query) {
    for (int i = 0; i < 200; ++i) {
        if (test::sql_value(location, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                                      "query = '" +
                                          query + "'") == "0")
            return;
        std::this_thread::sleep_for(25ms);
    }
    FAIL("the terminated backends are still there");
}

} // namespace

TEST_CASE("another server's commit wakes the feed, and catch_up brings the index to it before any read", "[postgres]") {
    REQUIRE(test::on_postgres());
    test::ScratchDir dir;
    auto writer = test::make_registry(dir); // the other server
    auto reader = core::Registry::open(dir.registry(), core::Registry::mode::read_only);
    reader.prepare_index();
    const auto before = reader.followed_revision();
    const auto services = reader.count(core::ServiceQuery{});

    auto feed = reader.change_feed();
    REQUIRE(feed);
    CHECK(feed->wait(200ms) == Wake::timed_out); // nothing committed

    const auto written = writer.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
    REQUIRE(written.revision > before);
    CHECK(feed->wait(10s) == Wake::changed);
    CHECK(reader.followed_revision() == before); // nothing has read since
    CHECK(reader.catch_up() == written.revision);
    CHECK(reader.followed_revision() == written.revision);
    CHECK(reader.count(core::ServiceQuery{}) == services + 1);

    SECTION("a write that changes nothing wakes no one") {
        auto same = *writer.service_record(written.id);
        REQUIRE(writer.put(same).outcome == core::WriteOutcome::unchanged);
        CHECK(feed->wait(300ms) == Wake::timed_out);
    }
    SECTION("a batch wakes it once, at its commit") {
        writer.batch([&] {
            for (int i = 0; i < 3; ++i)
                writer.put(
                    test::service_at(-90.4, 14.6 + i * 0.01, "GT", "PRO.AUTHORITY", "Lote " + std::to_string(i)));
        });
        CHECK(feed->wait(10s) == Wake::changed);
        CHECK(feed->wait(300ms) == Wake::timed_out);
        CHECK(reader.catch_up() == writer.revision());
    }
    SECTION("another thread ends a wait") {
        std::thread stopper([&] {
            std::this_thread::sleep_for(100ms);
            feed->interrupt();
        });
        const auto started = std::chrono::steady_clock::now();
        CHECK(feed->wait(30s) == Wake::interrupted);
        CHECK(std::chrono::steady_clock::now() - started < 10s);
        stopper.join();
    }
}

TEST_CASE("a feed whose connection was lost connects again, and the reader catches up from the log", "[postgres]") {
    REQUIRE(test::on_postgres());
    test::ScratchDir dir;
    auto writer = test::make_registry(dir);
    auto reader = core::Registry::open(dir.registry(), core::Registry::mode::read_only);
    reader.prepare_index();
    auto feed = reader.change_feed();
    REQUIRE(feed);

    const std::string listen = "LISTEN enlace_changes";
    REQUIRE(terminate_backends(dir.registry(), listen) == 1);
    wait_until_gone(dir.registry(), listen);
    // Committed while the feed has no connection: its notice reaches no one.
    const auto written = writer.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));

    CHECK(feed->wait(10s) == Wake::reconnected);
    CHECK(reader.catch_up() == written.revision);
    // Listening again: the next commit wakes it as before.
    const auto next = writer.put(test::service_at(-90.4, 14.6, "GT", "PRO.AUTHORITY", "Oficina siguiente"));
    CHECK(feed->wait(10s) == Wake::changed);
    CHECK(reader.catch_up() == next.revision);
}

TEST_CASE("connections the database server closed are opened again at the next read or write", "[postgres]") {
    REQUIRE(test::on_postgres());
    test::ScratchDir dir;
    auto writer = test::make_registry(dir);
    auto reader = core::Registry::open(dir.registry(), core::Registry::mode::read_only);
    const auto services = reader.count(core::ServiceQuery{});

    // Every other connection to the database, as a restart of the server would.
    const auto terminated = std::stoi(test::sql_value(
        dir.registry(), "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND pid <> pg_backend_pid()) AS t"));
    REQUIRE(terminated >= 2);
    for (int i = 0; i < 200 && test::sql_value(dir.registry(), "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                                               "current_database() AND pid <> pg_backend_pid()") != "0";
         ++i)
        std::this_thread::sleep_for(25ms);

    const auto written = writer.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
    CHECK(written.revision > 0);
    CHECK(reader.count(core::ServiceQuery{}) == services + 1);
    CHECK(reader.followed_revision() == written.revision);
}

TEST_CASE("a registry file has no change feed: each read's snapshot reads the log", "[sqlite]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    CHECK(registry.change_feed() == nullptr);
    auto other = core::Registry::open(dir.registry(), core::Registry::mode::read_write);
    const auto written = other.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
    CHECK(registry.catch_up() == written.revision);
    CHECK(registry.followed_revision() == written.revision);
}
