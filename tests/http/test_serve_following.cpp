// Two servers on one PostgreSQL database: a write through one reaches the other's index between
// requests (its change feed wakes it), not only when a request arrives. /healthz says how far a
// server has followed the log without reading the store, so asking it changes nothing. While the
// database cannot be reached, requests are answered 503 and the servers recover when it is back.
#include "serve_process.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

using enlace::test::ServeProcess;

namespace {

std::int64_t followed_revision(int port) {
    const auto reply = enlace::test::request(port, "GET", "/healthz");
    REQUIRE(reply.status == 200);
    return nlohmann::json::parse(reply.body).at("followed_revision").get<std::int64_t>();
}

/// Asks /healthz until the server has followed the log to `revision` (at most 10 s).
bool follows_to(int port, std::int64_t revision) {
    for (int i = 0; i < 400; ++i) {
        if (followed_revision(port) >= revision) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
}

} // namespace

TEST_CASE("a server follows another's writes between requests, and after its connections were lost", "[postgres]") {
    REQUIRE(enlace::test::on_postgres());
    enlace::test::ScratchDir dir;
    auto writer = enlace::test::make_registry(dir); // the other server
    ServeProcess server(dir.registry(), dir.file("serve.log"));
    REQUIRE(server.wait_until_up());
    const auto started = followed_revision(server.port);

    const auto written = writer.put(enlace::test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina nueva"));
    REQUIRE(written.revision > started);
    CHECK(follows_to(server.port, written.revision));

    SECTION("a page asked for a write's revision shows it at once") {
        // Pages are read at the revision followed; min_revision brings the server to the newest.
        const auto next = writer.put(enlace::test::service_at(-90.4, 14.6, "GT", "PRO.AUTHORITY", "Oficina al día"));
        const auto page = enlace::test::request(
            server.port, "GET", "/api/v1/services?country=GT&limit=200&min_revision=" + std::to_string(next.revision));
        REQUIRE(page.status == 200);
        CHECK(page.body.find("Oficina al día") != std::string::npos);
    }
    SECTION("after a restart of the database's connections") {
        // Every connection of the server (its threads' and its feed's), as a failover would.
        enlace::test::sql_value(dir.registry(), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                                                "datname = current_database() AND pid <> pg_backend_pid()");
        const auto next = writer.put(enlace::test::service_at(-90.4, 14.6, "GT", "PRO.AUTHORITY", "Oficina siguiente"));
        CHECK(follows_to(server.port, next.revision));
        // And it reads again: the threads' connections open again at their next snapshot.
        const auto read = enlace::test::request(server.port, "GET", "/api/v1/services/" + std::to_string(next.id));
        CHECK(read.status == 200);
    }
    SECTION("while the database cannot be reached, and when it is back") {
        const auto target = "/api/v1/services/" + std::to_string(written.id);
        enlace::test::set_database_reachable(dir.registry(), false);
        const auto down = enlace::test::request(server.port, "GET", target);
        CHECK(down.status == 503);
        REQUIRE(down.headers.count("retry-after") == 1);
        CHECK(down.headers.at("retry-after") == "1");
        CHECK(nlohmann::json::parse(down.body).at("title") == "Registry unavailable");
        CHECK(down.body.find("postgresql://") == std::string::npos); // the location stays in the log
        // Alive but not ready: a load balancer sends elsewhere, a liveness probe does not restart it.
        CHECK(enlace::test::request(server.port, "GET", "/healthz").status == 200);
        CHECK(enlace::test::request(server.port, "GET", "/readyz").status == 503);

        enlace::test::set_database_reachable(dir.registry(), true);
        CHECK(enlace::test::request(server.port, "GET", target).status == 200);
        CHECK(enlace::test::request(server.port, "GET", "/readyz").status == 200);
        // The feed's retries found the database again, so writes wake this server again.
        const auto next = writer.put(enlace::test::service_at(-90.3, 14.6, "GT", "PRO.AUTHORITY", "Oficina de vuelta"));
        CHECK(follows_to(server.port, next.revision));
    }
    CHECK(server.terminate() == 0);
}
