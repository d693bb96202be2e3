#include "serve_process.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <regex>
#include <thread>

namespace enlace::test {

void exec_enlace(const std::vector<std::string>& args) {
    std::vector<char*> argv{const_cast<char*>("enlace")};
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(ENLACE_BINARY, argv.data());
    ::_exit(127);
}

namespace {

pid_t spawn(const std::vector<std::string>& args, const std::string& log, int out_fd) {
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    if (out_fd >= 0) ::dup2(out_fd, 1);
    const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err, 2);
    exec_enlace(args);
}

int wait_exit(pid_t pid, int tenths) {
    for (int i = 0; i < tenths; ++i) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return -1;
}

} // namespace

ServeProcess::ServeProcess(const std::string& db, const std::string& log, const std::vector<std::string>& args) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::vector<std::string> all{"--db", db, "serve", "--port", "0", "--threads", "2"};
    all.insert(all.end(), args.begin(), args.end());
    m_pid = spawn(all, log, fds[1]);
    REQUIRE(m_pid > 0);
    ::close(fds[1]);
    m_out = fds[0];
    std::string line;
    char c = 0;
    pollfd pfd{m_out, POLLIN, 0};
    while (line.find('\n') == std::string::npos && ::poll(&pfd, 1, 30000) > 0 && ::read(m_out, &c, 1) == 1)
        line += c;
    INFO("serve printed: " << line);
    std::smatch m;
    REQUIRE(std::regex_search(line, m, std::regex("Enlace serving https?://127\\.0\\.0\\.1:(\\d+)/")));
    port = std::stoi(m[1]);
}

ServeProcess::~ServeProcess() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    ::close(m_out);
}

int ServeProcess::terminate() {
    ::kill(m_pid, SIGTERM);
    const int code = wait_exit(m_pid, 150);
    if (code != -1) m_pid = -1;
    return code;
}

bool ServeProcess::wait_until_up() const {
    for (int i = 0; i < 100; ++i) {
        if (request(port, "GET", "/healthz").status == 200) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

int run_enlace(const std::vector<std::string>& args, const std::string& log) {
    const pid_t pid = spawn(args, log, -1);
    REQUIRE(pid > 0);
    const int code = wait_exit(pid, 200);
    if (code == -1) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    return code;
}

std::string HttpReply::header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
}

int connect_loopback(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

int connect_from(const std::string& source, int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    // The port is chosen at connect (as without bind), not from the smaller pool bind draws on.
    const int yes = 1;
    ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &yes, sizeof yes);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::string read_all(int fd, int timeout_ms) {
    std::string reply;
    char buffer[16384];
    pollfd pfd{fd, POLLIN, 0};
    while (::poll(&pfd, 1, timeout_ms) > 0) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        reply.append(buffer, static_cast<std::size_t>(n));
    }
    return reply;
}

HttpReply exchange(int port, const std::string& raw, bool head) {
    HttpReply reply;
    const int fd = connect_loopback(port);
    if (fd < 0) return reply;
    std::size_t sent = 0;
    while (sent < raw.size()) {
        const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    const auto text = read_all(fd);
    ::close(fd);
    const auto end = text.find("\r\n\r\n");
    if (text.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return reply;
    reply.status = std::stoi(text.substr(9, 3));
    std::size_t at = text.find("\r\n") + 2;
    while (at < end) {
        const auto eol = text.find("\r\n", at);
        const auto line = text.substr(at, eol - at);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            auto name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            reply.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        }
        at = eol + 2;
    }
    reply.body = text.substr(end + 4);
    const auto length = reply.header("content-length");
    reply.complete = head || reply.status == 204 || reply.status == 304
                         ? reply.body.empty()
                         : !length.empty() && reply.body.size() == std::stoul(length);
    return reply;
}

HttpReply request(int port, const std::string& method, const std::string& target, const std::string& headers) {
    return exchange(port,
                    method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + "\r\n",
                    method == "HEAD");
}

} // namespace enlace::test
