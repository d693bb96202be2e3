// Over real sockets: clients reading while another connection writes to the same registry file;
// every answer is a complete 200 with parseable JSON, numberMatched never decreases, and SIGTERM
// during traffic ends with exit status 0 and no half-sent response.
#include "serve_process.hpp"
#include "support/temp_registry.hpp"

#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using enlace::test::ScratchDir;
using enlace::test::ServeProcess;

namespace {

struct ClientLog {
    std::mutex mutex;
    std::vector<std::string> failures;
    void fail(const std::string& what) {
        std::lock_guard lock(mutex);
        if (failures.size() < 20) failures.push_back(what);
    }
};

} // namespace

TEST_CASE("concurrent clients read consistent pages while a writer adds services") {
    ScratchDir dir;
    auto registry = enlace::test::make_registry(dir);
    registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));
    ServeProcess server(dir.registry(), dir.file("serve.log"));
    REQUIRE(server.wait_until_up());

    constexpr int clients = 4;
    constexpr int requests_each = 200;
    constexpr int writes = 100;
    std::atomic<int> ok{0};
    std::atomic<bool> writing{true};
    ClientLog log;

    std::thread writer([&] {
        for (int i = 0; i < writes; ++i) {
            auto s = enlace::test::service_at(-90.5 + 0.001 * i, 14.6, "GT", "LEG.AID",
                                              "Servicio concurrente " + std::to_string(i));
            s.source = "concurrency";
            s.source_id = "c" + std::to_string(i);
            registry.put(s, "test");
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        writing = false;
    });

    std::vector<std::thread> readers;
    for (int c = 0; c < clients; ++c)
        readers.emplace_back([&, c] {
            std::int64_t last_matched = 0;
            for (int i = 0; i < requests_each; ++i) {
                const bool ogc = (i + c) % 2 == 0;
                const auto target =
                    ogc ? "/ogcapi/collections/services/items?country=GT" : "/api/v1/services?country=GT";
                const auto reply = enlace::test::request(server.port, "GET", target);
                if (reply.status != 200 || !reply.complete) {
                    log.fail(std::string(target) + " -> " + std::to_string(reply.status));
                    continue;
                }
                const auto doc = nlohmann::json::parse(reply.body, nullptr, false);
                if (doc.is_discarded()) {
                    log.fail(std::string(target) + " -> unparseable JSON");
                    continue;
                }
                if (ogc) {
                    const auto matched = doc["numberMatched"].get<std::int64_t>();
                    if (matched < last_matched) log.fail("numberMatched went down: " + std::to_string(matched));
                    last_matched = matched;
                }
                ++ok;
            }
        });
    for (auto& t : readers)
        t.join();
    writer.join();
    for (const auto& f : log.failures)
        UNSCOPED_INFO(f);
    CHECK(log.failures.empty());
    CHECK(ok == clients * requests_each);
    CHECK_FALSE(writing);

    // Every write is visible once the writer is done.
    const auto final_page =
        enlace::test::request(server.port, "GET", "/ogcapi/collections/services/items?country=GT&limit=1");
    enlace::core::ServiceQuery gt;
    gt.countries = {"GT"};
    CHECK(nlohmann::json::parse(final_page.body)["numberMatched"] == registry.count(gt));

    // SIGTERM while clients are busy: each answer that arrives is whole; the server exits 0.
    std::atomic<bool> running{true};
    std::atomic<int> answered{0};
    std::vector<std::thread> late;
    for (int c = 0; c < clients; ++c)
        late.emplace_back([&] {
            while (running) {
                const auto reply = enlace::test::request(server.port, "GET", "/api/v1/services?country=GT&limit=200");
                if (reply.status == 0) continue; // refused or closed before any byte: not served
                if (reply.status != 200 || !reply.complete ||
                    nlohmann::json::parse(reply.body, nullptr, false).is_discarded())
                    log.fail("during stop: status " + std::to_string(reply.status));
                else
                    ++answered;
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(server.terminate() == 0);
    running = false;
    for (auto& t : late)
        t.join();
    for (const auto& f : log.failures)
        UNSCOPED_INFO(f);
    CHECK(log.failures.empty());
    CHECK(answered > 0);
}
