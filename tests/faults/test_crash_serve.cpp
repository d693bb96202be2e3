// Crash trials of the server: a focal point's client creates (POST) and edits (PATCH) services over
// a real socket while `enlace serve` is killed with SIGKILL at a random moment. After a restart
// every write that got a 2xx answer is there, as answered; the one in flight is whole or absent;
// the change log counts exactly the writes that landed; `enlace check` passes.
#include "faults/fault_support.hpp"
#include "http/serve_process.hpp"
#include "support/temp_registry.hpp"

#include "enlace/core/sqlite.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <thread>

namespace fs = std::filesystem;
using enlace::test::RegistryState;
using enlace::test::ScratchDir;
using enlace::test::ServedRegistry;
using nlohmann::json;

namespace {

constexpr int writes_per_run = 600;

/// What the client was told about one service: its version and the capacity it last set.
struct Acknowledged {
    std::string name;
    std::int64_t version = 1;
    std::optional<int> capacity;
};

/// One write, sent before the kill; `id` is the record a PATCH edits.
struct Write {
    bool create = true;
    std::int64_t id = 0;
    std::string name;
    int capacity = 0;
};

/// The writer's log: what was acknowledged, and the write that had no answer.
struct Written {
    std::map<std::int64_t, Acknowledged> services;
    int acknowledged = 0;
    std::optional<Write> in_flight;
    std::string unexpected; // an answer other than the one due (no Catch assertion off the main thread)
};

enlace::test::HttpReply send(int port, const std::string& token, const std::string& method, const std::string& target,
                             const std::string& body, const std::string& extra = {}) {
    return enlace::test::exchange(port, method + " " + target +
                                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                                            "Authorization: Bearer " + token + "\r\n" + extra +
                                            "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

/// Writes until `count` are done or one gets no whole answer (the server is gone): every third
/// write edits the service created two writes before, the others create one. Runs on a thread of
/// its own, so it reports an unexpected answer rather than asserting.
Written write_until_gone(int port, const std::string& token, int count) {
    Written out;
    std::int64_t last_created = 0;
    for (int i = 0; i < count; ++i) {
        Write w;
        w.create = i % 3 != 2 || last_created == 0;
        if (w.create) {
            w.name = "Servicio escrito " + std::to_string(i);
            const std::string body =
                json{{"name", {{"es", w.name}}},
                     {"types", {"LEG.AID"}},
                     {"country", "GT"},
                     {"location", {{"lon", -91.4 + 0.003 * (i % 300)}, {"lat", 14.7 + 0.01 * (i / 300)}}}}
                    .dump();
            const auto r = send(port, token, "POST", "/api/v1/services", body, "Content-Type: application/json\r\n");
            if (r.status == 0 || !r.complete) {
                out.in_flight = w;
                return out;
            }
            const auto doc = json::parse(r.body, nullptr, false);
            if (r.status != 201 || !doc.is_object() || !doc.contains("id")) {
                out.unexpected = "POST " + std::to_string(i) + ": " + std::to_string(r.status) + " " + r.body;
                return out;
            }
            last_created = doc["id"].get<std::int64_t>();
            out.services[last_created] = {w.name, 1, std::nullopt};
        } else {
            w.id = last_created;
            w.capacity = i;
            auto& known = out.services.at(w.id);
            const auto r = send(port, token, "PATCH", "/api/v1/services/" + std::to_string(w.id),
                                json{{"capacity", w.capacity}}.dump(),
                                "Content-Type: application/merge-patch+json\r\nIf-Match: \"v" +
                                    std::to_string(known.version) + "\"\r\n");
            if (r.status == 0 || !r.complete) {
                out.in_flight = w;
                return out;
            }
            if (r.status != 200) {
                out.unexpected = "PATCH " + std::to_string(i) + ": " + std::to_string(r.status) + " " + r.body;
                return out;
            }
            known.version += 1;
            known.capacity = w.capacity;
        }
        ++out.acknowledged;
    }
    return out;
}

/// The id of the last service the file holds (0 when none).
std::int64_t last_service_id(const std::string& db) {
    enlace::core::sqlite::Database file(db, enlace::core::sqlite::open_mode::read_only);
    enlace::core::sqlite::Statement stmt(file, "SELECT COALESCE(max(id), 0) FROM services");
    REQUIRE(stmt.step());
    return stmt.column_int(0);
}

std::int64_t version_of(const enlace::test::HttpReply& r) {
    const auto etag = r.header("etag"); // "v<version>"
    REQUIRE(etag.size() > 3);
    return std::stoll(etag.substr(2, etag.size() - 3));
}

} // namespace

TEST_CASE("a server killed while a client writes keeps every acknowledged write, whole", "[faults][crash]") {
    ScratchDir dir;
    const std::string base = dir.file("base.db");
    std::string token;
    {
        auto registry = enlace::test::make_registry(dir, "base.db");
        token =
            registry.add_user(enlace::core::Caller::holder("test"), "ana", enlace::core::Role::editor, {"GT"}).token;
    }
    const RegistryState before = enlace::test::sound_state_of(base);

    // The writes once, undisturbed: how long they take is the span the kill is drawn from.
    double duration = 0;
    {
        const std::string db = dir.file("whole.db");
        fs::copy_file(base, db);
        ServedRegistry server(db, dir.file("whole.log"));
        const auto started = std::chrono::steady_clock::now();
        const auto written = write_until_gone(server.port(), token, writes_per_run);
        duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        CHECK(written.unexpected == "");
        REQUIRE(written.acknowledged == writes_per_run);
    }

    const int trials = enlace::test::trial_count(3);
    const auto seed = enlace::test::trial_seed("server crash trials");
    std::mt19937_64 random(seed);
    std::uniform_real_distribution<double> moment(0.0, duration);
    std::printf("server crash trials: %d trials, %d writes take %.2f s\n", trials, writes_per_run, duration);
    int survived = 0;
    for (int trial = 1; trial <= trials; ++trial) {
        const double at = moment(random);
        const std::string db = dir.file("trial" + std::to_string(trial) + ".db");
        fs::copy_file(base, db);
        Written written;
        {
            ServedRegistry server(db, dir.file("trial.log"));
            std::thread writer([&] { written = write_until_gone(server.port(), token, writes_per_run); });
            std::this_thread::sleep_for(std::chrono::duration<double>(at));
            server.crash();
            writer.join();
        }
        INFO("trial " << trial << " of seed " << seed << ": killed at " << at << " s of " << duration << " s, after "
                      << written.acknowledged << " acknowledged writes");
        CHECK(written.unexpected == "");
        CHECK(enlace::test::run_check(db, dir.file("check.log")) == 0);
        const RegistryState state = enlace::test::sound_state_of(db);
        INFO("after the kill: " << describe(state));

        // Restarted: each acknowledged write is there as the client was told.
        ServedRegistry server(db, dir.file("restart.log"));
        const auto& in_flight = written.in_flight;
        bool landed = false; // the write in flight was applied (whole) before the kill
        for (const auto& [id, known] : written.services) {
            const auto r = enlace::test::request(server.port(), "GET", "/api/v1/services/" + std::to_string(id),
                                                 "Authorization: Bearer " + token + "\r\n");
            REQUIRE(r.status == 200);
            const auto doc = json::parse(r.body);
            CHECK(doc["name"]["es"] == known.name);
            const auto version = version_of(r);
            if (in_flight && !in_flight->create && in_flight->id == id && version == known.version + 1) {
                CHECK(doc["capacity"] == in_flight->capacity);
                landed = true;
            } else {
                CHECK(version == known.version);
                if (known.capacity)
                    CHECK(doc["capacity"] == *known.capacity);
                else
                    CHECK_FALSE(doc.contains("capacity"));
            }
        }
        const auto created = static_cast<std::int64_t>(written.services.size());
        if (in_flight && in_flight->create && state.services == before.services + created + 1) {
            // The create in flight landed: as a whole record, the last one.
            const auto id = last_service_id(db);
            CHECK(written.services.count(id) == 0);
            const auto r = enlace::test::request(server.port(), "GET", "/api/v1/services/" + std::to_string(id),
                                                 "Authorization: Bearer " + token + "\r\n");
            REQUIRE(r.status == 200);
            CHECK(json::parse(r.body)["name"]["es"] == in_flight->name);
            CHECK(version_of(r) == 1);
            landed = true;
        } else {
            CHECK(state.services == before.services + created);
        }
        CHECK(state.sites == state.services);
        CHECK(state.change_rows == before.change_rows + written.acknowledged + (landed ? 1 : 0));
        survived += 1;
        std::printf("  trial %d: SIGKILL at %.3f s after %d acknowledged writes; %s\n", trial, at, written.acknowledged,
                    !in_flight ? "all had finished"
                    : landed   ? "the write in flight landed whole"
                               : "the write in flight left nothing");
    }
    std::printf("server crash trials: %d survived\n", survived);
}
