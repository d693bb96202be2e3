#include "faults/fault_support.hpp"

#include "enlace/core/sqlite.hpp"
#include "http/serve_process.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <regex>
#include <thread>

namespace enlace::test {

EnlaceChild::EnlaceChild(const std::vector<std::string>& args, const std::string& out, const std::string& err,
                         long long file_size_limit) {
    m_pid = ::fork();
    REQUIRE(m_pid >= 0);
    if (m_pid != 0) return;
    // The child: only async-signal-safe calls until exec.
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0 || err_fd < 0) ::_exit(126);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    if (file_size_limit > 0) {
        // Ignored signals stay ignored across exec: past the limit write() fails with EFBIG.
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{static_cast<rlim_t>(file_size_limit), static_cast<rlim_t>(file_size_limit)};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(125);
    }
    exec_enlace(args);
}

EnlaceChild::~EnlaceChild() {
    if (m_pid > 0) kill_now();
}

int EnlaceChild::wait(double seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (m_pid > 0) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (std::chrono::steady_clock::now() > until) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return -1;
}

int EnlaceChild::kill_now() {
    if (m_pid <= 0) return -1;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ServedRegistry::ServedRegistry(const std::string& db, const std::string& log, long long file_size_limit)
    : m_child({"--db", db, "serve", "--port", "0", "--threads", "2"}, log + ".out", log, file_size_limit) {
    // Its first stdout line names the URL; then it answers once its index is built.
    const std::regex url("Enlace serving https?://127\\.0\\.0\\.1:(\\d+)/");
    std::smatch m;
    std::string printed;
    for (int i = 0; i < 600 && !std::regex_search(printed, m, url); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        printed = read_text(log + ".out");
    }
    INFO("serve printed: " << printed << "\nits log: " << read_text(log));
    REQUIRE(std::regex_search(printed, m, url));
    m_port = std::stoi(m[1]);
    bool up = false;
    for (int i = 0; i < 200 && !up; ++i) {
        up = request(m_port, "GET", "/healthz").status == 200;
        if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(up);
}

void write_services_csv(const std::string& path, int count, std::uint64_t seed, const std::string& id_prefix) {
    std::mt19937_64 random(seed);
    // Inside Guatemala's outline (the highlands around Quetzaltenango to Cobán), well off its borders.
    std::uniform_real_distribution<double> lon(-91.5, -90.0), lat(14.6, 15.4);
    const char* types[] = {"PRO.AUTHORITY", "LEG.AID", "REC.SHORTSTAY", "HLT.MED", "INT.EDU"};
    std::uniform_int_distribution<int> type(0, 4);
    std::ofstream out(path, std::ios::binary);
    out << "id,nombre,tipo,pais,lat,lon\n";
    char line[256];
    for (int i = 0; i < count; ++i) {
        const int n = std::snprintf(line, sizeof line, "%s%d,Servicio %d de prueba,%s,GT,%.6f,%.6f\n",
                                    id_prefix.c_str(), i, i, types[type(random)], lat(random), lon(random));
        out.write(line, n);
    }
    REQUIRE(out.good());
}

std::string describe(const RegistryState& s) {
    return std::to_string(s.services) + " services, " + std::to_string(s.sites) + " sites, revision " +
           std::to_string(s.revision) + ", " + std::to_string(s.change_rows) + " change rows, " +
           std::to_string(s.logged_creates) + " logged creates";
}

namespace {

std::int64_t scalar(core::sqlite::Database& db, const char* sql) {
    core::sqlite::Statement stmt(db, sql);
    REQUIRE(stmt.step());
    return stmt.column_int(0);
}

std::string text(core::sqlite::Database& db, const char* sql) {
    core::sqlite::Statement stmt(db, sql);
    REQUIRE(stmt.step());
    return stmt.column_text(0);
}

} // namespace

RegistryState sound_state_of(const std::string& path) {
    core::sqlite::Database db(path, core::sqlite::open_mode::read_write);
    CHECK(text(db, "PRAGMA integrity_check") == "ok");
    CHECK(text(db, "SELECT rtreecheck('service_public_sites')") == "ok");
    CHECK(text(db, "SELECT rtreecheck('service_exact_sites')") == "ok");
    RegistryState s;
    s.services = scalar(db, "SELECT count(*) FROM services");
    s.sites = scalar(db, "SELECT count(*) FROM service_public_sites");
    s.revision = scalar(db, "SELECT COALESCE(max(id), 0) FROM changes");
    s.change_rows = scalar(db, "SELECT count(*) FROM changes");
    s.logged_creates = scalar(db, "SELECT COALESCE(sum(COALESCE(last_record_id, record_id) - record_id + 1), 0) "
                                  "FROM changes WHERE record_table = 'services' AND action = 'create'");
    return s;
}

int run_check(const std::string& db, const std::string& log) {
    EnlaceChild check({"--db", db, "check"}, log, log + ".err");
    const int code = check.wait(120);
    INFO("enlace check: " << read_text(log) << read_text(log + ".err"));
    CHECK(code == 0);
    return code;
}

int trial_count(int fallback) {
    const char* given = std::getenv("ENLACE_CRASH_TRIALS");
    if (!given || !*given) return fallback;
    const int n = std::atoi(given);
    REQUIRE(n > 0);
    return n;
}

std::uint64_t trial_seed(const char* what) {
    const char* given = std::getenv("ENLACE_CRASH_SEED");
    const std::uint64_t seed = given && *given ? std::strtoull(given, nullptr, 10)
                                               : (std::uint64_t{std::random_device{}()} << 32) ^ ::getpid();
    std::printf("%s: seed %llu (replay with ENLACE_CRASH_SEED=%llu)\n", what, static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(seed));
    std::fflush(stdout);
    return seed;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace enlace::test
