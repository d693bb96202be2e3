// A disk that is really full: the registry on a 20 MB ext4 image mounted through a loop device,
// so that write() fails with ENOSPC and SQLite reports SQLITE_FULL. An import that fills it and a
// server's writes once it is full fail naming a full disk, change nothing, and the server goes on
// reading and takes writes again once there is room. It needs root and a loop device
// (scripts/test.sh runs as root); without them it fails, saying so, rather than pass unproven.
#include "faults/fault_support.hpp"
#include "http/serve_process.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using enlace::test::EnlaceChild;
using enlace::test::RegistryState;
using enlace::test::ScratchDir;
using nlohmann::json;

namespace {

int shell(const std::string& line) { return std::system(line.c_str()); }

/// A 20 MB ext4 file system on a loop device, mounted at `path()`; unmounted on destruction.
class SmallDisk {
  public:
    explicit SmallDisk(const ScratchDir& dir) : m_image(dir.file("disk.img")), m_mount(dir.file("disk")) {
        fs::create_directories(m_mount);
        INFO("the full-disk test mounts a 20 MB ext4 image through a loop device: it needs root (uid "
             << ::geteuid() << " now) and /dev/loop-control; see docs/reliability.md");
        REQUIRE(::geteuid() == 0);
        REQUIRE(shell("truncate -s 20M '" + m_image + "' && mkfs.ext4 -q -F -m 0 '" + m_image + "' 2>&1") == 0);
        REQUIRE(shell("mount -o loop '" + m_image + "' '" + m_mount + "' 2>&1") == 0);
        m_mounted = true;
    }
    ~SmallDisk() {
        if (m_mounted) shell("umount '" + m_mount + "' 2>/dev/null || umount -l '" + m_mount + "'");
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    std::string file(const std::string& name) const { return m_mount + "/" + name; }

  private:
    std::string m_image, m_mount;
    bool m_mounted = false;
};

/// Writes zeros into `path` until the disk has no room left (ENOSPC).
void fill(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    const std::vector<char> zeros(64 * 1024, 0);
    std::size_t size = zeros.size();
    while (size > 0) {
        const ssize_t n = ::write(fd, zeros.data(), size);
        if (n < 0 && errno == ENOSPC)
            size /= 2; // the last blocks, a smaller write at a time
        else
            REQUIRE(n > 0);
    }
    ::fsync(fd);
    ::close(fd);
}

std::string registry_on(const SmallDisk& disk, const ScratchDir& dir, std::string& token) {
    {
        auto registry = enlace::test::make_registry(dir);
        registry.batch([&] {
            for (int i = 0; i < 200; ++i)
                registry.put(enlace::test::service_at(-91.4 + 0.01 * (i % 100), 14.7 + 0.01 * (i / 100), "GT",
                                                      "LEG.AID", "Servicio previo " + std::to_string(i)));
        });
        token =
            registry.add_user(enlace::core::Caller::holder("test"), "ana", enlace::core::Role::editor, {"GT"}).token;
    }
    const std::string db = disk.file("registry.db");
    fs::copy_file(dir.file("registry.db"), db);
    return db;
}

} // namespace

TEST_CASE("on a full disk an import fails naming it and changes nothing, and the server reads on",
          "[faults][disk][loop]") {
    ScratchDir dir;
    SmallDisk disk(dir);
    std::string token;
    const std::string db = registry_on(disk, dir, token);
    const RegistryState before = enlace::test::sound_state_of(db);

    SECTION("an import larger than the room left") {
        const std::string file = dir.file("servicios.csv"); // the file is elsewhere: only the registry fills
        enlace::test::write_services_csv(file, 60000, 18);
        EnlaceChild importing({"--db", db, "import", file, "--quiet"}, dir.file("import.out"), dir.file("import.err"));
        const int code = importing.wait(300);
        const std::string err = enlace::test::read_text(dir.file("import.err"));
        INFO("stderr: " << err);
        CHECK(code == 1);
        CHECK(err.rfind("enlace: cannot write '" + db + "': the disk is full (SQLite: database or disk is full)", 0) ==
              0);
        CHECK(err.find(": nothing was changed (make room, then run it again)\n") != std::string::npos);
        CHECK(enlace::test::sound_state_of(db) == before);
        CHECK(enlace::test::run_check(db, dir.file("check.log")) == 0);
    }
    SECTION("a server's writes once the disk is full, and again once there is room") {
        enlace::test::ServedRegistry server(db, dir.file("serve.log"));
        const std::string read_target = "/api/v1/services?country=GT&limit=20";
        const auto read_before = enlace::test::request(server.port(), "GET", read_target);
        REQUIRE(read_before.status == 200);
        fill(disk.file("filler"));
        const std::string body = R"({"name":{"es":"Defensoría nueva"},"types":["PRO.AUTHORITY"],"country":"GT",)"
                                 R"("location":{"lon":-90.9,"lat":14.9}})";
        const auto post = [&] {
            return enlace::test::exchange(server.port(),
                                          "POST /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                          "Authorization: Bearer " +
                                              token + "\r\nContent-Type: application/json\r\nContent-Length: " +
                                              std::to_string(body.size()) + "\r\n\r\n" + body);
        };
        const auto refused = post();
        INFO("POST on a full disk: " << refused.status << " " << refused.body);
        CHECK(refused.status == 507);
        CHECK(refused.header("content-type") == "application/problem+json");
        const auto problem = json::parse(refused.body, nullptr, false);
        REQUIRE(problem.is_object());
        CHECK(problem["detail"] == "The registry's disk is full: nothing was changed.");
        const auto read = enlace::test::request(server.port(), "GET", read_target);
        CHECK(read.status == 200);
        CHECK(read.body == read_before.body);
        CHECK(read.header("enlace-revision") == read_before.header("enlace-revision"));
        CHECK(
            enlace::test::request(server.port(), "GET", "/api/v1/services/1", "Authorization: Bearer " + token + "\r\n")
                .status == 200);
        CHECK(enlace::test::sound_state_of(db) == before);

        fs::remove(disk.file("filler"));
        const auto created = post();
        INFO("POST with room again: " << created.status << " " << created.body);
        CHECK(created.status == 201);
        server.crash();
        const RegistryState after = enlace::test::sound_state_of(db);
        CHECK(after.services == before.services + 1);
        CHECK(after.change_rows == before.change_rows + 1);
        CHECK(enlace::test::run_check(db, dir.file("check.log")) == 0);
    }
}
