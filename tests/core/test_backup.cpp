// Registry::backup under writes: a copy taken a page at a time while another connection commits
// between its steps is one snapshot (it never restarts, and it holds exactly the services
// committed before it began), and it passes every check of check_registry.
#include "support/temp_registry.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/maintenance.hpp"
#include "enlace/core/registry.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace enlace;
using enlace::test::ScratchDir;

namespace {

/// Waits until `counter` moves past `seen` (at most 10 s); whether it did.
bool wait_past(const std::atomic<int>& counter, int seen) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (counter.load() <= seen && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return counter.load() > seen;
}

std::string problems_of(const core::CheckReport& report) {
    std::string out;
    for (const auto& c : report.checks)
        for (const auto& p : c.problems)
            out += c.name + ": " + p + "\n";
    return out;
}

} // namespace

TEST_CASE("a backup a page at a time while another connection commits between its steps is one snapshot",
          "[core][backup][sqlite]") {
    ScratchDir dir;
    auto registry = test::make_registry(dir);
    const int initial = 3000;
    registry.batch([&] {
        for (int i = 0; i < initial; ++i)
            registry.put(test::service_at(-90.5 + (i % 100) * 0.003, 14.6 + (i / 100) * 0.003));
    });

    std::atomic<bool> stop{false};
    std::atomic<int> committed{0};
    std::thread writer([&] {
        auto other = core::Registry::open(dir.file("registry.db"), core::Registry::mode::read_write);
        for (int i = 0; !stop; ++i) {
            other.put(test::service_at(-90.4 + (i % 50) * 0.001, 14.7));
            ++committed;
        }
    });

    core::BackupOptions options;
    options.pages_per_step = 1;
    std::int64_t steps = 0;
    int at_first_step = -1;
    bool wrote_between = true;
    options.after_step = [&](std::int64_t copied, std::int64_t total) {
        ++steps;
        CHECK(copied <= total);
        if (at_first_step < 0) at_first_step = committed.load();
        // Another commit between each of the first steps: each would restart a copy that took
        // a snapshot of its own at every step.
        if (steps <= 5) wrote_between = wrote_between && wait_past(committed, committed.load());
    };
    const int before = committed.load();
    core::BackupResult result;
    try {
        result = registry.backup(core::Caller::holder("test"), dir.file("copy.db"), options);
    } catch (...) {
        stop = true;
        writer.join();
        throw;
    }
    stop = true;
    writer.join();

    CHECK(wrote_between);
    REQUIRE(result.pages > 100);
    CHECK(steps == result.pages); // a page a step, and no restart
    CHECK(result.services >= initial + before);
    // One commit may have landed before the snapshot and not been counted yet.
    CHECK(result.services <= initial + at_first_step + 1);
    const auto report = core::check_registry(dir.file("copy.db"));
    INFO(problems_of(report));
    CHECK(report.ok());
    CHECK(core::check_registry(dir.file("registry.db")).ok());

    const auto copy = core::Registry::open(dir.file("copy.db"), core::Registry::mode::read_only);
    CHECK(copy.count(core::ServiceQuery{}) == result.services); // every one active and public
}

TEST_CASE("only the holder or an admin backs up, not a viewer, an editor or the public", "[core][backup][sqlite]") {
    ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto holder = core::Caller::holder("test");
    registry.add_user(holder, "ana", core::Role::editor, {"GT"});
    registry.add_user(holder, "gil", core::Role::viewer, {"GT"});
    registry.add_user(holder, "root", core::Role::admin, {});
    for (const char* name : {"ana", "gil"})
        CHECK_THROWS_AS(registry.backup(registry.caller_of(name), dir.file("a.db")), core::forbidden);
    CHECK_THROWS_AS(registry.backup(core::Caller::anyone(), dir.file("a.db")), core::forbidden);
    CHECK_FALSE(std::filesystem::exists(dir.file("a.db")));
    CHECK(registry.backup(registry.caller_of("root"), dir.file("b.db")).users == 3);
}
