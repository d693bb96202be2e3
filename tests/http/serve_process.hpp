#pragma once
// End-to-end helpers: `enlace serve` as a child process on a loopback port, and a minimal HTTP/1.1
// client over a raw socket (so the tests see exactly what the server sends).
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace enlace::test {

/// `enlace --db DB serve --port 0 --threads 2 ARGS...`; its first stdout line names the URL.
class ServeProcess {
  public:
    ServeProcess(const std::string& db, const std::string& log, const std::vector<std::string>& args = {});
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    /// SIGTERM, then the exit status (-1 when it has not exited within 15 s).
    int terminate();
    /// Polls /healthz until it answers 200 (at most 10 s).
    bool wait_until_up() const;

    int port = 0;

  private:
    pid_t m_pid = -1;
    int m_out = -1;
};

/// In a forked child: replaces it with `enlace ARGS...` (exit status 127 when that fails).
[[noreturn]] void exec_enlace(const std::vector<std::string>& args);

/// Runs `enlace ARGS...` to completion (at most 20 s) with stderr into `log`; its exit status.
int run_enlace(const std::vector<std::string>& args, const std::string& log);

struct HttpReply {
    int status = 0;                             // 0: nothing came back (refused, reset)
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
    bool complete = false; // the body has exactly Content-Length bytes (or none is due)
    std::string header(const std::string& name) const;
};

/// Connects to 127.0.0.1:port, sends `raw` (a whole request), reads until the server closes and
/// parses the one reply. `head` says the request was HEAD (no body is due).
HttpReply exchange(int port, const std::string& raw, bool head = false);

/// A request with Connection: close; `headers` are extra "Name: value\r\n" lines.
HttpReply request(int port, const std::string& method, const std::string& target, const std::string& headers = {});

/// Connects and returns the socket (-1 on failure); the caller closes it.
int connect_loopback(int port);

/// Connects to 127.0.0.1:port from `source` (another loopback address such as "127.0.0.2": Linux
/// routes all of 127/8 to loopback), so the server sees another client; -1 on failure.
int connect_from(const std::string& source, int port);

/// Reads until the peer closes (or `timeout_ms` passes with nothing to read).
std::string read_all(int fd, int timeout_ms = 10000);

} // namespace enlace::test
