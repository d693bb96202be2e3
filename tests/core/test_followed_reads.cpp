// Pages read at the revision a server has followed (Registry::catch_up with its feed listening):
// while that holds, a page the in-memory index and cache answer asks the store nothing, so
// another process's commit shows once it has been followed, not before; a page that needs the
// store reads it at the newest revision, whole; and the trust lapses by itself. On PostgreSQL the
// snapshot begins only with a statement that needs it, and a page's records come with the log's
// revision in one statement.
#include "enlace/core/registry.hpp"
#include "enlace/core/store.hpp"
#include "open_store.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace enlace;
using namespace std::chrono_literals;

namespace {

core::ServiceQuery nearest_ten() {
    core::ServiceQuery q;
    q.near = core::Near{{-90.5, 14.6}, std::nullopt, 10};
    return q;
}

std::vector<std::string> names(const core::ServicePage& page) {
    std::vector<std::string> out;
    for (const auto& hit : page.items)
        out.push_back(hit.service->name.at("es"));
    return out;
}

bool lists(const core::ServicePage& page, const std::string& name) {
    const auto all = names(page);
    return std::find(all.begin(), all.end(), name) != all.end();
}

} // namespace

TEST_CASE("while the feed vouches for the followed revision, pages are read at it", "[postgres]") {
    REQUIRE(test::on_postgres());
    test::ScratchDir dir;
    auto writer = test::make_registry(dir); // another server
    const auto first = writer.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina central"));
    auto reader = core::Registry::open(dir.registry(), core::Registry::mode::read_only);
    reader.prepare_index();
    REQUIRE(lists(reader.find(nearest_ten()), "Oficina central")); // its record is in the cache now

    const auto followed = reader.catch_up(std::chrono::steady_clock::now());
    REQUIRE(followed == first.revision);
    // Committed before this process has its notice: the page it answers from memory is as of the
    // revision followed, whole (the index and the records of one revision).
    const auto written = writer.put(test::service_at(-90.5001, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
    const auto stale = reader.find(nearest_ten());
    CHECK(names(stale) == std::vector<std::string>{"Oficina central"});
    CHECK(reader.followed_revision() == followed);

    SECTION("once followed, the write shows") {
        CHECK(reader.catch_up(std::chrono::steady_clock::now()) == written.revision);
        CHECK(lists(reader.find(nearest_ten()), "Oficina nueva"));
    }
    SECTION("a page that needs a record from the store reads the newest revision instead") {
        // The writer changes the cached record; the reader's cache cannot serve it any more.
        reader.set_record_cache(0);
        const auto page = reader.find(nearest_ten());
        CHECK(lists(page, "Oficina central"));
        CHECK(lists(page, "Oficina nueva")); // the snapshot was at the newest: read again there
        CHECK(reader.followed_revision() == written.revision);
    }
    SECTION("a read asked for the write's revision (min_revision) brings the reader to it") {
        CHECK(reader.revision() == written.revision);
        CHECK(lists(reader.find(nearest_ten()), "Oficina nueva"));
    }
    SECTION("when the feed stops listening, pages ask the store again") {
        reader.stop_following();
        CHECK(lists(reader.find(nearest_ten()), "Oficina nueva"));
    }
    SECTION("without a new confirmation the trust lapses within seconds") {
        std::this_thread::sleep_for(3100ms);
        CHECK(lists(reader.find(nearest_ten()), "Oficina nueva"));
    }
}

TEST_CASE("a caller's own writes are read at once, vouched for or not", "[postgres]") {
    REQUIRE(test::on_postgres());
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    registry.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina central"));
    registry.prepare_index();
    registry.catch_up(std::chrono::steady_clock::now());
    // A write of this process brings the shared state to its revision before it returns.
    const auto written = registry.put(test::service_at(-90.5001, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
    CHECK(registry.followed_revision() == written.revision);
    CHECK(lists(registry.find(nearest_ten()), "Oficina nueva"));
}

TEST_CASE("on a registry file, a vouched-for revision hides no newer commit", "[sqlite]") {
    test::ScratchDir dir;
    auto writer = test::make_registry(dir);
    writer.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina central"));
    auto reader = core::Registry::open(dir.registry(), core::Registry::mode::read_only);
    reader.prepare_index();
    reader.catch_up(std::chrono::steady_clock::now());
    // SQLite's snapshot begins at once (no round trip to spare): it is at the newest revision.
    const auto written = writer.put(test::service_at(-90.5001, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
    CHECK(lists(reader.find(nearest_ten()), "Oficina nueva"));
    CHECK(reader.followed_revision() == written.revision);
}

TEST_CASE("a snapshot at a followed revision begins with the first statement that needs one", "[postgres]") {
    REQUIRE(test::on_postgres());
    test::ScratchDir dir;
    auto writer = test::make_registry(dir);
    const auto first = writer.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina central"));
    auto store = core::detail::open_store(dir.registry(), core::Registry::mode::read_only);
    // The state of the store's connection, found by the statement that reads records with the
    // log's revision (no other statement starts so).
    const auto state = [&] {
        return test::sql_value(dir.registry(), "SELECT string_agg(state, ',') FROM pg_stat_activity WHERE query LIKE "
                                               "'SELECT (SELECT COALESCE(max(id), 0) FROM changes), id, %'");
    };
    // How many connections to the database hold a transaction open between statements.
    const auto open_transactions = [&] {
        return test::sql_value(dir.registry(),
                               "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND backend_type = 'client backend' AND state = 'idle in transaction'");
    };

    store->begin_read_at(first.revision);
    const auto records = store->services({first.id});
    REQUIRE(records.size() == 1);
    CHECK(records[0].first == first.id);
    CHECK(state() == "idle"); // one statement, no transaction left open
    CHECK(store->revision() == first.revision);
    // A statement of another kind begins the snapshot, at the same revision.
    CHECK(store->record(core::RecordKind::service, first.id));
    CHECK(open_transactions() == "1");
    store->end_read();

    SECTION("the records' statement at a newer revision throws, and leaves nothing open") {
        const auto next = writer.put(test::service_at(-90.4, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
        store->begin_read_at(first.revision);
        CHECK_THROWS_AS(store->services({first.id, next.id}), core::snapshot_moved);
        store->end_read();
        CHECK(state() == "idle");
    }
    SECTION("the snapshot's own beginning at a newer revision throws") {
        writer.put(test::service_at(-90.4, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
        store->begin_read_at(first.revision);
        CHECK_THROWS_AS(store->record(core::RecordKind::service, first.id), core::snapshot_moved);
        store->end_read();
        // The next snapshot is the newest, and begins as any other.
        store->begin_read();
        CHECK(store->revision() == writer.revision());
        store->end_read();
    }
    SECTION("records none of which is there begin the snapshot, which tells the revision") {
        store->begin_read_at(first.revision);
        CHECK(store->services({first.id + 1000}).empty());
        CHECK(open_transactions() == "1");
        store->end_read();
        writer.put(test::service_at(-90.4, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
        store->begin_read_at(first.revision);
        CHECK_THROWS_AS(store->services({first.id + 1000}), core::snapshot_moved);
        store->end_read();
    }
    SECTION("a read without a statement opens no transaction") {
        store->begin_read_at(first.revision);
        CHECK(open_transactions() == "0");
        store->end_read();
    }
}
