#pragma once
// Problem reports accepted per client address: a few in a window, then that client waits (429)
// until the window ends. The address is held in memory for this count only: it is never stored
// with a report, logged or kept past its window. Shared by every server thread.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace enlace::http {

class ReportThrottle {
  public:
    using clock = std::chrono::steady_clock;

    /// `allowed` reports per `window`: 5 in 10 minutes by default.
    explicit ReportThrottle(int allowed = 5, std::chrono::seconds window = std::chrono::minutes(10))
        : m_allowed(allowed), m_window(window) {}

    /// Counts one report of the client and returns 0, or, when the client has used its reports
    /// of the window, counts nothing and returns the seconds it must wait.
    int take(const std::string& client, clock::time_point now = clock::now());
    /// Gives back a report counted by take() that was not filed (refused as invalid or not
    /// found), so that a mistyped form does not use up the client's reports.
    void give_back(const std::string& client);

  private:
    struct Window {
        clock::time_point start;
        int reports = 0;
    };
    /// The most clients tracked: past it, windows that ended are dropped, and if none has, all
    /// are (a flood of addresses cannot grow the map without bound).
    static constexpr std::size_t max_clients = 65536;

    int m_allowed;
    std::chrono::seconds m_window;
    std::mutex m_mutex;
    std::unordered_map<std::string, Window> m_clients;
};

} // namespace enlace::http
