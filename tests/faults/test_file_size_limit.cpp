// A registry that cannot grow, by the process's file size limit (RLIMIT_FSIZE, `ulimit -f`, with
// SIGXFSZ ignored so that write() fails with EFBIG): an import and the server's writes fail with
// an error naming the cause, leave the registry as it was, and the server goes on answering reads.
// The same with a disk that is really full (ENOSPC) is in test_full_disk.cpp.
#include "faults/fault_support.hpp"
#include "http/serve_process.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using enlace::test::EnlaceChild;
using enlace::test::RegistryState;
using enlace::test::ScratchDir;
using nlohmann::json;

namespace {

/// A registry with the reference data and `services` published services of Guatemala.
std::string registry_with_services(const ScratchDir& dir, int services) {
    auto registry = enlace::test::make_registry(dir);
    registry.batch([&] {
        for (int i = 0; i < services; ++i)
            registry.put(enlace::test::service_at(-91.4 + 0.01 * (i % 100), 14.7 + 0.01 * (i / 100), "GT", "LEG.AID",
                                                  "Servicio previo " + std::to_string(i)));
    });
    return dir.file("registry.db");
}

bool ends_with(const std::string& text, const std::string& end) {
    return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

} // namespace

TEST_CASE("an import past the file size limit fails naming the cause and changes nothing", "[faults][disk]") {
    ScratchDir dir;
    const std::string db = registry_with_services(dir, 300);
    const RegistryState before = enlace::test::sound_state_of(db);
    const std::string file = dir.file("servicios.csv");
    enlace::test::write_services_csv(file, 20000, 17);

    // 2 MiB: far below what the import's write-ahead log needs, above the -shm index (32 KiB).
    const std::vector<std::string> args{"--db", db, "import", file, "--quiet"};
    EnlaceChild limited(args, dir.file("import.out"), dir.file("import.err"), 2 << 20);
    const int code = limited.wait(300);
    const std::string err = enlace::test::read_text(dir.file("import.err"));
    INFO("stderr: " << err);
    CHECK(code == 1);
    CHECK(err.rfind("enlace: cannot write '" + db + "': the file size limit of this process (ulimit -f) is reached",
                    0) == 0);
    CHECK(err.find("File too large") != std::string::npos);
    CHECK(ends_with(err, ": nothing was changed (make room, then run it again)\n"));
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);

    CHECK(enlace::test::sound_state_of(db) == before);
    CHECK(enlace::test::run_check(db, dir.file("check.log")) == 0);

    // Room again, the same import goes through.
    EnlaceChild unlimited(args, dir.file("again.out"), dir.file("again.err"));
    CHECK(unlimited.wait(300) == 0);
    CHECK(enlace::test::sound_state_of(db).services == before.services + 20000);
}

TEST_CASE("a server whose registry reaches the file size limit answers writes 507 and goes on reading",
          "[faults][disk]") {
    ScratchDir dir;
    const std::string db = registry_with_services(dir, 300);
    std::string token;
    {
        auto registry = enlace::core::Registry::open(db, enlace::core::Registry::mode::read_write);
        token =
            registry.add_user(enlace::core::Caller::holder("test"), "ana", enlace::core::Role::editor, {"GT"}).token;
    }
    const RegistryState before = enlace::test::sound_state_of(db);
    // 64 KiB: the -shm index (32 KiB) fits, a service's write (its row, indexes, text, R*Tree and
    // change log pages in the write-ahead log) does not.
    enlace::test::ServedRegistry server(db, dir.file("serve.log"), 64 << 10);
    const std::string read_target = "/api/v1/services?country=GT&limit=20";
    const auto read_before = enlace::test::request(server.port(), "GET", read_target);
    REQUIRE(read_before.status == 200);
    const std::string auth = "Authorization: Bearer " + token + "\r\n";
    const std::string body = R"({"name":{"es":"Defensoría nueva"},"types":["PRO.AUTHORITY"],"country":"GT",)"
                             R"("location":{"lon":-90.9,"lat":14.9}})";
    const auto post = [&] {
        return enlace::test::exchange(
            server.port(), "POST /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + auth +
                               "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                               "\r\n\r\n" + body);
    };
    for (int attempt = 0; attempt < 3; ++attempt) {
        const auto refused = post();
        INFO("attempt " << attempt << ": " << refused.status << " " << refused.body);
        CHECK(refused.status == 507);
        CHECK(refused.header("content-type") == "application/problem+json");
        const auto problem = json::parse(refused.body, nullptr, false);
        REQUIRE(problem.is_object());
        CHECK(problem["status"] == 507);
        CHECK(problem["title"] == "Insufficient storage");
        CHECK(problem["detail"] == "The registry's file reached the server's file size limit: nothing was changed.");
        // Reads go on, at the same revision.
        const auto read = enlace::test::request(server.port(), "GET", read_target);
        CHECK(read.status == 200);
        CHECK(read.body == read_before.body);
        CHECK(read.header("enlace-revision") == read_before.header("enlace-revision"));
        CHECK(enlace::test::request(server.port(), "GET", "/api/v1/services/1").status == 200);
        // A caseworker's read with a token, whose last-used stamp cannot be written: still 200.
        CHECK(enlace::test::request(server.port(), "GET", "/api/v1/services/1", auth).status == 200);
        // A wrong token is refused as ever, though the security log cannot take its line.
        CHECK(enlace::test::request(server.port(), "GET", "/api/v1/services/1", "Authorization: Bearer enl_1_wrong\r\n")
                  .status == 401);
    }
    server.crash();
    const std::string log = enlace::test::read_text(dir.file("serve.log"));
    INFO("serve log: " << log);
    CHECK(log.find("cannot write '" + db + "': the file size limit of this process (ulimit -f) is reached") !=
          std::string::npos);
    CHECK(enlace::test::sound_state_of(db) == before);
    CHECK(enlace::test::run_check(db, dir.file("check.log")) == 0);
}
