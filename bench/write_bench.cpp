// Write benchmark (issue "Editing, review and accountability"): what a focal point's write costs at
// N synthetic services, through the core's whole write path as a registry user (authorise, check
// the version, validate, privacy, the duplicate search, store, audit, the live index advanced by
// the change), against the peer measured in the same run: SQLite itself committing one document
// per transaction into a table of the same file with an R*Tree (the ceiling of any write here).
// Then nearest-10 read latency alone and while 4 clients write. Prints markdown tables.
#include "percentiles.hpp"
#include "synthetic_services.hpp"

#include "enlace/core/editing.hpp"
#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace enlace;
using Clock = std::chrono::steady_clock;

struct Stats {
    double median = 0, p99 = 0; // milliseconds
};

Stats summarise(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return {bench::nearest_rank(samples, 0.5), bench::nearest_rank(samples, 0.99)};
}

template <class F> double timed_ms(F&& f) {
    const auto start = Clock::now();
    f();
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

core::Caller user(const std::string& name, core::Role role) {
    core::Caller c;
    c.kind = core::Caller::Kind::user;
    c.name = name;
    c.role = role;
    c.countries = {"GT", "MX", "SV", "HN"};
    return c;
}

core::WriteOptions reviewed(std::optional<std::int64_t> version = std::nullopt) {
    core::WriteOptions o;
    o.reviewed = true;
    o.if_version = version;
    o.check_duplicates = true;
    return o;
}

core::Service new_service(int i) {
    core::Service s;
    s.name = {{"es", "Servicio de prueba " + std::to_string(i)}};
    s.types = {"PRO.AUTHORITY"};
    s.country = "GT";
    s.site = core::Site{{-90.6 + 0.001 * (i % 300), 14.5 + 0.001 * (i / 300)}, core::LocationPrecision::exact};
    return s;
}

void print(const char* what, const Stats& ours, const Stats& peer) {
    std::printf("| %s | %.2f / %.2f | %.2f / %.2f | %.1fx |\n", what, ours.median, ours.p99, peer.median, peer.p99,
                peer.median > 0 ? ours.median / peer.median : 0.0);
}

} // namespace

int main(int argc, char** argv) {
    std::int64_t n = 1000000;
    int writes = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--services")
            n = std::stoll(argv[i + 1]);
        else if (flag == "--writes")
            writes = std::stoi(argv[i + 1]);
    }
    try {
        const auto generated = bench::ensure_registry(ENLACE_BENCH_DATA_DIR, n);
        // Written into a copy: the cached registry stays exactly n services.
        const std::string path = std::string(ENLACE_BENCH_DATA_DIR) + "/write-bench.db";
        for (const auto* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path + suffix);
        std::filesystem::copy_file(generated.path, path);
        auto registry = core::Registry::open(path, core::Registry::mode::read_write);
        registry.prepare_index();
        const auto editor = user("editor", core::Role::editor);
        const auto reviewer = user("reviewer", core::Role::reviewer);

        // Ours: create a draft, submit; edit a published service (a pending revision), submit,
        // approve it.
        std::vector<double> create, patch, approve;
        std::vector<std::int64_t> published;
        {
            core::ServiceQuery q;
            q.countries = {"GT"};
            q.limit = writes;
            for (const auto& hit : registry.find(q).items)
                published.push_back(hit.service->id);
        }
        for (int i = 0; i < writes; ++i) {
            std::int64_t id = 0;
            create.push_back(timed_ms([&] { id = registry.put(editor, new_service(i), reviewed()).id; }));
        }
        for (std::size_t i = 0; i < published.size(); ++i) {
            auto s = *registry.service_record(published[i]);
            s.capacity = static_cast<int>(i % 50) + 1;
            patch.push_back(timed_ms([&] { registry.put(editor, s, reviewed(s.version)); }));
            registry.transition(editor, core::RecordKind::service, published[i], core::Transition::submit, reviewed());
        }
        for (const auto id : published)
            approve.push_back(timed_ms([&] {
                registry.transition(reviewer, core::RecordKind::service, id, core::Transition::approve, reviewed());
            }));

        // The peer: one document per transaction, WAL and synchronous=NORMAL like ours, with an
        // R*Tree row, into the same file.
        std::vector<double> peer_insert, peer_update;
        {
            core::sqlite::Database db(path, core::sqlite::open_mode::read_write);
            db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
            db.exec("CREATE TABLE peer (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, version INTEGER NOT NULL);"
                    "CREATE VIRTUAL TABLE peer_sites USING rtree(id, min_lon, max_lon, min_lat, max_lat)");
            const auto doc = core::to_json_text(new_service(0));
            for (int i = 0; i < writes; ++i)
                peer_insert.push_back(timed_ms([&] {
                    core::sqlite::Transaction tx(db);
                    core::sqlite::Statement insert(db, "INSERT INTO peer (doc, version) VALUES (?, 1)");
                    insert.bind(1, doc);
                    insert.run();
                    core::sqlite::Statement site(db, "INSERT INTO peer_sites VALUES (last_insert_rowid(), ?, ?, ?, ?)");
                    site.bind(1, -90.6).bind(2, -90.6).bind(3, 14.5).bind(4, 14.5);
                    site.run();
                    tx.commit();
                }));
            for (int i = 0; i < writes; ++i)
                peer_update.push_back(timed_ms([&] {
                    core::sqlite::Transaction tx(db);
                    core::sqlite::Statement update(db, "UPDATE peer SET doc = ?, version = version + 1 WHERE id = ?");
                    update.bind(1, doc).bind(2, std::int64_t{i + 1});
                    update.run();
                    tx.commit();
                }));
        }

        std::printf("\n%lld services, %d writes of each kind (ms)\n\n", static_cast<long long>(n), writes);
        std::printf(
            "| write | enlace median / p99 | SQLite one-row transaction median / p99 | ratio |\n|---|---|---|---|\n");
        print("create (draft, duplicate check)", summarise(create), summarise(peer_insert));
        print("PATCH of a published service (pending revision)", summarise(patch), summarise(peer_update));
        print("approve (revision applied, index advanced)", summarise(approve), summarise(peer_update));

        // Reads alone, then while 4 clients write (each its own connection, as server threads).
        const auto points = bench::query_points(180);
        // Rounds of the 200 query points for at least `seconds`.
        const auto read_for = [&](core::Registry& reader, double seconds) {
            std::vector<double> out;
            const auto start = Clock::now();
            while (std::chrono::duration<double>(Clock::now() - start).count() < seconds)
                for (const auto& p : points) {
                    core::ServiceQuery q;
                    q.near = core::Near{p.point, std::nullopt, 10};
                    q.limit = 10;
                    out.push_back(timed_ms([&] { reader.find(q); }));
                }
            return summarise(out);
        };
        auto reader = registry.another_connection(core::Registry::mode::read_only);
        const auto quiet = read_for(reader, 10);
        std::atomic<bool> stop{false};
        std::atomic<int> written{0}, ready{0};
        std::vector<std::thread> writers;
        for (int w = 0; w < 4; ++w)
            writers.emplace_back([&, w] {
                auto mine = registry.another_connection(core::Registry::mode::read_write);
                ++ready;
                for (int i = 0; !stop; ++i) {
                    mine.put(editor, new_service(100000 * (w + 1) + i), reviewed());
                    ++written;
                }
            });
        while (ready < 4)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        const int before = written;
        const auto start = Clock::now();
        const auto busy = read_for(reader, 10);
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        const int during = written - before;
        stop = true;
        for (auto& t : writers)
            t.join();
        std::printf("\n| nearest-10 reads (ms), 10 s each | median | p99 |\n|---|---|---|\n");
        std::printf("| alone | %.3f | %.3f |\n", quiet.median, quiet.p99);
        std::printf("| while 4 clients write (%.0f writes/s) | %.3f | %.3f |\n", during / seconds, busy.median,
                    busy.p99);
        for (const auto* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path + suffix);
    } catch (const std::exception& e) {
        std::cerr << "enlace_bench_writes: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
