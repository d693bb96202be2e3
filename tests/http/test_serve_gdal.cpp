// End to end: the real `enlace serve` on a loopback port, read by GDAL's own OAPIF client
// (ogrinfo, ogr2ogr), then stopped with SIGTERM.
#include "support/temp_registry.hpp"

#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <thread>

using enlace::test::ScratchDir;

namespace {

/// `enlace serve --port 0` as a child process; its first stdout line names the URL.
class ServeProcess {
public:
    ServeProcess(const std::string& db, const std::string& log) {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        m_pid = ::fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            ::dup2(fds[1], 1);
            const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(err, 2);
            ::close(fds[0]);
            ::execl(ENLACE_BINARY, "enlace", "--db", db.c_str(), "serve", "--port", "0", "--threads", "2", nullptr);
            ::_exit(127);
        }
        ::close(fds[1]);
        m_out = fds[0];
        std::string line;
        char c = 0;
        pollfd pfd{m_out, POLLIN, 0};
        while (line.find('\n') == std::string::npos && ::poll(&pfd, 1, 30000) > 0 && ::read(m_out, &c, 1) == 1) line += c;
        INFO("serve printed: " << line);
        std::smatch m;
        REQUIRE(std::regex_search(line, m, std::regex("Enlace serving http://127\\.0\\.0\\.1:(\\d+)/")));
        port = std::stoi(m[1]);
    }
    ~ServeProcess() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        ::close(m_out);
    }
    /// SIGTERM, then the exit status (-1 when it has not exited within 15 s).
    int terminate() {
        ::kill(m_pid, SIGTERM);
        for (int i = 0; i < 150; ++i) {
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return -1;
    }
    int port = 0;

private:
    pid_t m_pid = -1;
    int m_out = -1;
};

/// A raw GET over a socket; returns the status line ("" when nothing answers).
std::string status_line(int port, const std::string& path) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string reply;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
            char buffer[512];
            ssize_t n = 0;
            while ((n = ::read(fd, buffer, sizeof buffer)) > 0) reply.append(buffer, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    return reply.substr(0, reply.find("\r\n"));
}

std::string run(const std::string& command, const std::string& output) {
    const int code = std::system((command + " > " + output + " 2>&1").c_str());
    std::ifstream in(output);
    std::string text{std::istreambuf_iterator<char>(in), {}};
    INFO(command << "\n" << text);
    REQUIRE(code == 0);
    return text;
}

std::set<std::int64_t> ids_in(const std::string& geojson_file) {
    std::ifstream in(geojson_file);
    const auto doc = nlohmann::json::parse(in);
    std::set<std::int64_t> ids;
    for (const auto& f : doc["features"]) ids.insert(f["id"].get<std::int64_t>());
    return ids;
}

} // namespace

TEST_CASE("GDAL's OAPIF client reads enlace serve, and SIGTERM stops it cleanly") {
    ScratchDir dir;
    auto registry = enlace::test::make_registry(dir);
    registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));

    ServeProcess server(dir.file("registry.db"), dir.file("serve.log"));
    bool up = false;
    for (int i = 0; i < 100 && !up; ++i) {
        up = status_line(server.port, "/healthz") == "HTTP/1.1 200 OK";
        if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(up);
    const auto source = "OAPIF:http://127.0.0.1:" + std::to_string(server.port) + "/ogcapi";

    SECTION("ogrinfo counts the public active services and reports an extent") {
        const auto info = run("ogrinfo -ro -so " + source + " services", dir.file("ogrinfo.txt"));
        std::smatch m;
        REQUIRE(std::regex_search(info, m, std::regex("Feature Count: (\\d+)")));
        CHECK(std::stoll(m[1]) == registry.count(enlace::core::ServiceQuery{}));
        CHECK(std::regex_search(info, std::regex("Extent: \\(-?[0-9.]+, -?[0-9.]+\\) - \\(-?[0-9.]+, -?[0-9.]+\\)")));
    }

    SECTION("ogr2ogr -where country='GT' returns exactly the core's GT services, paged or not") {
        enlace::core::ServiceQuery gt;
        gt.countries = {"GT"};
        gt.limit = 1000;
        std::set<std::int64_t> expected;
        for (const auto& hit : registry.find(gt).items) expected.insert(hit.service.id);
        REQUIRE(expected.size() >= 2);
        for (const std::string options : {"", "-oo PAGE_SIZE=1"}) {
            INFO(options);
            const auto out = dir.file(options.empty() ? "gt.geojson" : "gt_paged.geojson");
            run("ogr2ogr -f GeoJSON -preserve_fid " + options + " " + out + " " + source +
                    " services -where \"country='GT'\"",
                dir.file("ogr2ogr.txt"));
            CHECK(ids_in(out) == expected);
        }
    }

    CHECK(server.terminate() == 0);
    std::ifstream log(dir.file("serve.log"));
    const std::string text{std::istreambuf_iterator<char>(log), {}};
    CHECK(text.find("GET /ogcapi/collections") != std::string::npos);
    CHECK(text.find("127.0.0.1") == std::string::npos);  // never the client address
    CHECK(text.find('?') == std::string::npos);          // never a query string
}
