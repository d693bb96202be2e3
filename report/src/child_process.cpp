#include "child_process.hpp"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace enlace::report::detail {

TempFolder::TempFolder() {
    static std::atomic<std::uint64_t> counter{0};
    static const auto salt = std::random_device{}();
    const auto base = std::filesystem::temp_directory_path();
    for (int attempt = 0;; ++attempt) {
        m_path = base / ("enlace-report-" + std::to_string(::getpid()) + "-" + std::to_string(salt) + "-" +
                         std::to_string(counter++));
        if (std::filesystem::create_directory(m_path)) return;
        if (attempt > 100) throw std::runtime_error("cannot create a temporary folder under " + base.string());
    }
}

TempFolder::~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const auto end = std::min(dirs.find(':', start), dirs.size());
        const auto dir = dirs.substr(start, end - start);
        if (!dir.empty()) {
            const auto candidate = dir + "/" + name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        }
        start = end + 1;
    }
    return {};
}

int run_child(const std::vector<std::string>& argv, const std::string& out_file, const std::string& err_file,
              std::chrono::milliseconds timeout) {
    // Everything the child needs is made before fork: a server's other threads may hold locks
    // (malloc's among them) that the child would never see released.
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    auto close_all = [&] {
        for (int fd : {in, out, err})
            if (fd >= 0) ::close(fd);
    };
    if (in < 0 || out < 0 || err < 0) {
        close_all();
        throw std::runtime_error("cannot open the files for " + argv[0] + "'s output");
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        close_all();
        throw std::runtime_error("cannot start " + argv[0]);
    }
    if (pid == 0) {
        ::setpgid(0, 0); // its own group, so that a timeout ends chromium's helpers too
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    close_all();
    ::setpgid(pid, pid);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            ::kill(-pid, SIGKILL); // helpers left behind by the main process
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (done < 0 && errno != EINTR) throw std::runtime_error("lost track of " + argv[0]);
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            throw std::runtime_error(argv[0] + " did not finish within " +
                                     std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) +
                                     " s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

} // namespace enlace::report::detail
