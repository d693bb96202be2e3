// The R*Tree rows a batch writes at its end, sorted in bounded runs spilled to temporary files:
// the external sort itself, and trees built from many runs against trees built by INSERTs.
#include "external_sort.hpp"
#include "site_rtree.hpp"

#include "support/temp_registry.hpp"

#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace core = enlace::core;
using enlace::test::make_registry;
using enlace::test::ScratchDir;
using enlace::test::service_at;

namespace {

/// Every row of a query as text, one line each.
std::string rows_of(core::sqlite::Database& db, const std::string& sql) {
    core::sqlite::Statement stmt(db, sql);
    std::string out;
    while (stmt.step())
        out += stmt.column_text(0) + "\n";
    return out;
}

/// An R*Tree's rows (every stored float32 exactly) in id order, after SQLite's rtreecheck().
std::string tree_rows(const std::string& path, const std::string& table) {
    core::sqlite::Database db(path, core::sqlite::open_mode::read_only);
    CHECK(rows_of(db, "SELECT rtreecheck('" + table + "')") == "ok\n");
    return rows_of(db, "SELECT printf('%d %.17g %.17g %.17g %.17g', id, min_lon, max_lon, min_lat, max_lat) FROM " +
                           table + " ORDER BY id");
}

/// An R*Tree's own tables, node bytes included: two trees built alike are equal here.
std::string tree_tables(const std::string& path, const std::string& table) {
    core::sqlite::Database db(path, core::sqlite::open_mode::read_only);
    return rows_of(db, "SELECT nodeno || ' ' || hex(data) FROM " + table + "_node ORDER BY nodeno") +
           rows_of(db, "SELECT rowid || ' ' || nodeno FROM " + table + "_rowid ORDER BY rowid") +
           rows_of(db, "SELECT nodeno || ' ' || parentnode FROM " + table + "_parent ORDER BY nodeno");
}

const std::vector<std::string> trees{"service_public_sites", "service_exact_sites"};

/// n services over Guatemala's highlands; one in five sensitive, so that many share a coarsened
/// public point (rows equal along the curve, ordered by id).
std::vector<core::Service> spread(int n) {
    std::mt19937 random(5);
    std::uniform_real_distribution<double> lon(-91.5, -89.6), lat(14.4, 15.6);
    std::vector<core::Service> out;
    for (int i = 0; i < n; ++i) {
        auto s = service_at(lon(random), lat(random), "GT", i % 5 == 0 ? "REC.SHORTSTAY" : "PRO.AUTHORITY");
        s.source = "spread";
        s.source_id = std::to_string(i);
        out.push_back(std::move(s));
    }
    return out;
}

/// Takes the rows of services above `kept` out of both trees and writes them again as one batch
/// would, sorting at most `run_rows` rows in memory at once; the ids are added out of order.
void rewrite_sites(const std::string& path, std::int64_t kept, std::int64_t last, std::size_t run_rows) {
    core::sqlite::Database db(path, core::sqlite::open_mode::read_write);
    core::sqlite::Transaction tx(db);
    for (const auto& table : trees)
        db.exec("DELETE FROM " + table + " WHERE id > " + std::to_string(kept));
    std::vector<std::int64_t> ids;
    for (auto id = kept + 1; id <= last; ++id)
        ids.push_back(id);
    std::shuffle(ids.begin(), ids.end(), std::mt19937(3));
    core::detail::PendingSites pending;
    for (const auto id : ids)
        pending.add(id);
    pending.flush(db, run_rows);
    REQUIRE(pending.empty());
    tx.commit();
}

} // namespace

TEST_CASE("an external sort gives the order of a sort in memory, from one run or from many", "[rtree][sort][sqlite]") {
    struct Less {
        bool operator()(std::uint64_t a, std::uint64_t b) const { return a < b; }
    };
    std::mt19937_64 random(9);
    std::vector<std::uint64_t> values(4011);
    for (auto& v : values)
        v = random() % 1000; // many equal values
    auto expected = values;
    std::sort(expected.begin(), expected.end());
    // One run in memory; a few spilled; 573 runs of 7, none left in memory: every 64 merged into
    // one as they come, and the 69 left more than the last merge takes at once.
    for (const std::size_t run_rows : {std::size_t{10000}, std::size_t{1024}, std::size_t{7}}) {
        core::detail::ExternalSorter<std::uint64_t, Less> sorter(run_rows);
        for (const auto v : values)
            sorter.push(v);
        CHECK(sorter.size() == values.size());
        std::vector<std::uint64_t> merged;
        sorter.merge([&](std::uint64_t v) { merged.push_back(v); });
        CHECK(merged == expected);
        CHECK(sorter.size() == 0);
    }
}

TEST_CASE("a packed rebuild sorted in many spilled runs gives the rows of INSERTs and the nodes of one run",
          "[write][batch][rtree][sqlite]") {
    ScratchDir dir;
    const auto services = spread(3000);
    {
        auto one_by_one = make_registry(dir, "one.db"); // trees built by SQLite's INSERTs
        for (const auto& s : services)
            one_by_one.put(s);
        auto batched = make_registry(dir, "runs.db"); // packed, sorted in one run in memory
        batched.batch([&] {
            for (const auto& s : services)
                batched.put(s);
        });
    }
    const std::string inserted = dir.file("one.db"), rebuilt = dir.file("runs.db");
    std::vector<std::string> one_run;
    for (const auto& table : trees) {
        CHECK(tree_rows(rebuilt, table) == tree_rows(inserted, table));
        one_run.push_back(tree_tables(rebuilt, table));
    }

    SECTION("a rebuild of 1,000 rows kept and 2,000 added, in runs of 7 rows (more than the merge's fan-in)") {
        rewrite_sites(rebuilt, 1000, 3000, 7);
        for (std::size_t t = 0; t < trees.size(); ++t) {
            CHECK(tree_rows(rebuilt, trees[t]) == tree_rows(inserted, trees[t]));
            CHECK(tree_tables(rebuilt, trees[t]) == one_run[t]);
        }
    }
    SECTION("a few rows next to a large tree, inserted one by one in the order of runs of 7 rows") {
        rewrite_sites(rebuilt, 2900, 3000, 7);
        for (const auto& table : trees)
            CHECK(tree_rows(rebuilt, table) == tree_rows(inserted, table));
    }
}
