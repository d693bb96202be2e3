// /healthz says the process answers; /readyz says a load balancer may send it traffic: the
// registry answers and the index of public services is built and at the registry's revision.
#include "demo_handler.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

using enlace::test::body;
using enlace::test::DemoHandler;

TEST_CASE("readyz is 503 until the index is built, then 200 at the registry's revision") {
    DemoHandler h;
    const auto before = h.get("/readyz");
    CHECK(before.status == 503);
    CHECK(before.header("Retry-After") == "5");
    CHECK(before.header("Cache-Control") == "no-store");
    CHECK(body(before)["status"] == "not ready");
    CHECK(body(before)["problem"] == "the index of public services is not built yet");

    h.registry.prepare_index();
    const auto after = h.get("/readyz");
    REQUIRE(after.status == 200);
    const auto doc = body(after);
    CHECK(doc["status"] == "ready");
    CHECK(doc["revision"] == h.registry.revision());
    CHECK(doc["index_revision"] == doc["revision"]);
    CHECK(h.get("/readyz?verbose=1").status == 400); // no parameters
}

TEST_CASE("readyz follows another process's write to the registry's new revision") {
    DemoHandler h;
    h.registry.prepare_index();
    const auto first = body(h.get("/readyz"))["revision"].get<std::int64_t>();

    // Another process: its own connection and its own in-memory index.
    auto other = enlace::core::Registry::open(h.dir.registry(), enlace::core::Registry::mode::read_write);
    other.put(enlace::test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));

    const auto r = h.get("/readyz");
    REQUIRE(r.status == 200);
    CHECK(body(r)["revision"].get<std::int64_t>() > first);
    CHECK(body(r)["index_revision"] == body(r)["revision"]);
}

TEST_CASE("readyz is 503 without naming the file when the registry stops answering", "[sqlite]") {
    DemoHandler h;
    h.registry.prepare_index();
    REQUIRE(h.get("/readyz").status == 200);
    REQUIRE(h.get("/healthz").status == 200);

    // Every page moved from the WAL into the file, then the file overwritten under the open
    // connection, as a failing disk or a wrong restore would.
    const auto file = h.dir.file("registry.db");
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    const auto size = std::filesystem::file_size(file);
    {
        std::ofstream damage(file, std::ios::binary | std::ios::in | std::ios::out);
        const std::string garbage(size, '\x5a');
        damage.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    const auto r = h.get("/readyz");
    CHECK(r.status == 503);
    CHECK(body(r)["problem"] == "the registry does not answer");
    CHECK(r.body.find(file) == std::string::npos);
}

TEST_CASE("min_revision: a read asks for at least a write's revision, on any endpoint") {
    DemoHandler h;
    // A write by another process, as a focal point's through another server.
    auto other = enlace::core::Registry::open(h.dir.registry(), enlace::core::Registry::mode::read_write);
    const auto written = other.put(enlace::test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
    REQUIRE(written.revision > 0);
    const auto at = std::to_string(written.revision);

    const auto read = h.get("/api/v1/services/" + std::to_string(written.id) + "?min_revision=" + at);
    REQUIRE(read.status == 200);
    CHECK(body(read)["name"]["es"] == "Oficina nueva");
    CHECK(h.get("/healthz?min_revision=" + at).status == 200); // taken out before the endpoint's own parameters

    const auto ahead = h.get("/api/v1/services?min_revision=" + std::to_string(written.revision + 1));
    CHECK(ahead.status == 503);
    CHECK(ahead.header("Retry-After") == "1");
    CHECK(body(ahead)["parameter"] == "min_revision");
    CHECK(body(ahead)["detail"] ==
          "the registry is at revision " + at + ", not yet " + std::to_string(written.revision + 1));

    for (const auto* bad : {"abc", "-1", "1.5", ""}) {
        INFO(bad);
        const auto r = h.get(std::string("/api/v1/services?min_revision=") + bad);
        CHECK(r.status == 400);
        CHECK(body(r)["parameter"] == "min_revision");
    }
}
