// A batch on PostgreSQL (an import, `enlace copy` into a database) has a batch's statement
// timeout, not a request's: `enlace copy` of a million services updates every row it copied, and
// each update checks its foreign keys (60 s ran out at 1M). And it leaves the planner statistics
// of what it wrote: without them the tables a batch filled read as empty until autovacuum
// analyses them, and every query plans sequential scans (the soak on PostgreSQL measured 17
// requests/s instead of 200 for the minutes after a copy). PostgreSQL only: SQLite plans from its
// indexes and has no statement timeout.
#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/store.hpp"
#include "open_store.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace enlace;

namespace {

/// The planner's row estimate of a table: -1 until it is analysed (PostgreSQL 14 and later).
double estimated_rows(const std::string& location, const std::string& table) {
    return std::stod(test::sql_value(location, "SELECT reltuples FROM pg_class WHERE relname = '" + table + "'"));
}

nlohmann::json dataset(int services) {
    auto list = nlohmann::json::array();
    for (int i = 0; i < services; ++i) {
        auto s = core::to_json(test::service_at(-90.5 + (i % 40) * 0.01, 14.6 + (i / 40) * 0.01, "GT", "LEG.AID",
                                                "Servicio " + std::to_string(i)));
        s["source"] = "statistics";
        s["source_id"] = std::to_string(i);
        list.push_back(s);
    }
    return {{"services", list}};
}

} // namespace

TEST_CASE("a batch on PostgreSQL leaves the planner statistics of the tables it filled", "[postgres]") {
    REQUIRE(test::on_postgres());
    test::ScratchDir dir;
    SECTION("an import") {
        auto registry = test::make_registry(dir);
        REQUIRE(estimated_rows(dir.registry(), "services") < 0); // never analysed
        registry.load_dataset(dataset(400).dump());
        CHECK(estimated_rows(dir.registry(), "services") == 400);
        CHECK(estimated_rows(dir.registry(), "service_types") == 400);
    }
    SECTION("a copy from a file into a database") {
        const auto file = dir.file("source.db");
        {
            auto source = core::Registry::open(file, core::Registry::mode::create);
            source.load_reference(test::reference());
            source.load_dataset(dataset(300).dump());
            source.copy_to(core::Caller::holder("operator"), dir.registry("copy"));
        }
        CHECK(estimated_rows(dir.registry("copy"), "services") == 300);
    }
}

TEST_CASE("a batch on PostgreSQL bounds its statements by a batch's time, a request by its own", "[postgres]") {
    REQUIRE(test::on_postgres());
    test::ScratchDir dir;
    test::make_registry(dir);
    const auto store = core::detail::open_store(dir.registry(), core::Registry::mode::read_write);
    // The setting of the store's own session, read through its own connection.
    const auto statement_timeout = [&] {
        std::string value;
        store->read_rows({"pg_settings", {"name", "setting", "unit"}, "name"}, [&](const core::TableRow& row) {
            if (std::get<std::string>(row[0]) == "statement_timeout")
                value = std::get<std::string>(row[1]) + std::get<std::string>(row[2]);
        });
        return value;
    };
    store->begin_write();
    CHECK(statement_timeout() == "60000ms");
    store->set_bulk(true); // a batch: an import, `enlace copy` of a million rows
    CHECK(statement_timeout() == "1800000ms");
    store->rollback();
    store->begin_write();
    CHECK(statement_timeout() == "60000ms"); // the next transaction has a request's bound again
    store->commit();
}
