// Crash trials of an import: `enlace import` of 100,000 services killed with SIGKILL at random
// moments. After each kill the registry must open and pass `enlace check` (integrity, R*Trees,
// index vs rows) and hold either none of the import or all of it, with a change log that agrees.
#include "faults/fault_support.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

namespace fs = std::filesystem;
using enlace::test::EnlaceChild;
using enlace::test::RegistryState;
using enlace::test::ScratchDir;

namespace {

constexpr int imported_rows = 100000;

/// A copy of a closed registry, with no -wal or -shm of an earlier trial beside it.
void copy_registry(const std::string& from, const std::string& to) {
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(to + suffix);
    fs::copy_file(from, to);
}

std::vector<std::string> import_args(const std::string& db, const std::string& file,
                                     const std::string& source = "servicios") {
    return {"--db", db, "import", file, "--source", source, "--quiet"};
}

} // namespace

TEST_CASE("an import of 100,000 services killed at random moments is all or nothing", "[faults][crash]") {
    ScratchDir dir;
    const std::string file = dir.file("servicios.csv");
    enlace::test::write_services_csv(file, imported_rows, 15);

    // The registry before: reference data and 300 services of another source, so that "nothing of
    // the import" is not an empty registry.
    const std::string base = dir.file("base.db");
    enlace::test::make_registry(dir, "base.db");
    enlace::test::write_services_csv(dir.file("previos.csv"), 300, 16, "A");
    {
        EnlaceChild earlier(import_args(base, dir.file("previos.csv"), "previos"), dir.file("earlier.out"),
                            dir.file("earlier.err"));
        const int code = earlier.wait(120);
        INFO(enlace::test::read_text(dir.file("earlier.err")));
        REQUIRE(code == 0);
    }
    const RegistryState before = enlace::test::sound_state_of(base);
    REQUIRE(before.services == 300);

    // The whole import once, undisturbed: its duration is the span the kills are drawn from, its
    // result what "all of it" must equal.
    const std::string whole = dir.file("whole.db");
    copy_registry(base, whole);
    const auto started = std::chrono::steady_clock::now();
    {
        EnlaceChild importing(import_args(whole, file), dir.file("whole.out"), dir.file("whole.err"));
        const int code = importing.wait(600);
        INFO(enlace::test::read_text(dir.file("whole.err")));
        REQUIRE(code == 0);
    }
    const double duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const RegistryState after = enlace::test::sound_state_of(whole);
    INFO("before: " << describe(before) << "; after: " << describe(after));
    REQUIRE(after.services == before.services + imported_rows);
    REQUIRE(after.sites == before.sites + imported_rows);
    REQUIRE(after.logged_creates == before.logged_creates + imported_rows);
    REQUIRE(after.revision > before.revision);

    const int trials = enlace::test::trial_count(3);
    const auto seed = enlace::test::trial_seed("import crash trials");
    std::mt19937_64 random(seed);
    std::uniform_real_distribution<double> moment(0.0, duration);
    std::printf("import crash trials: %d trials, a whole import takes %.2f s\n", trials, duration);
    int nothing = 0, all = 0;
    for (int trial = 1; trial <= trials; ++trial) {
        const double at = moment(random);
        const std::string db = dir.file("trial.db");
        copy_registry(base, db);
        int code = 0;
        {
            EnlaceChild importing(import_args(db, file), dir.file("trial.out"), dir.file("trial.err"));
            std::this_thread::sleep_for(std::chrono::duration<double>(at));
            code = importing.wait(0); // it may have finished already
            if (code == -1) code = importing.kill_now();
        }
        INFO("trial " << trial << " of seed " << seed << ": killed at " << at << " s of " << duration << " s");
        CHECK((code == 0 || code == 128 + SIGKILL));
        CHECK(enlace::test::run_check(db, dir.file("check.log")) == 0);
        const RegistryState state = enlace::test::sound_state_of(db);
        INFO("after the kill: " << describe(state));
        CHECK((state == before || state == after));
        const bool kept = state == after;
        (kept ? all : nothing) += 1;
        std::printf("  trial %d: SIGKILL at %.3f s (%s): %s\n", trial, at, code == 0 ? "it had finished" : "killed",
                    kept              ? "all of the import"
                    : state == before ? "none of the import"
                                      : "HALF-APPLIED");
    }
    std::printf("import crash trials: %d survived, %d with none of the import, %d with all of it\n", nothing + all,
                nothing, all);
}
