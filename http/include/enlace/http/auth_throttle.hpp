#pragma once
// Failed sign-ins, counted per client address: past a few in a window, that client (and only that
// client: an account is never locked, so no one can lock another out) waits. Shared by every
// server thread.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace enlace::http {

class AuthThrottle {
  public:
    using clock = std::chrono::steady_clock;

    /// `allowed` failures per `window`; then the client waits until the window's end.
    explicit AuthThrottle(int allowed = 10, std::chrono::seconds window = std::chrono::seconds(60))
        : m_allowed(allowed), m_window(window) {}

    /// Seconds the client must wait before trying again (0: it may try now).
    int wait_seconds(const std::string& client, clock::time_point now = clock::now());
    /// Records a failed sign-in of the client.
    void failed(const std::string& client, clock::time_point now = clock::now());

  private:
    struct Window {
        clock::time_point start;
        int failures = 0;
    };
    /// The most clients tracked: past it, windows that ended are dropped (a flood of addresses
    /// cannot grow the map without bound).
    static constexpr std::size_t max_clients = 65536;

    int m_allowed;
    std::chrono::seconds m_window;
    std::mutex m_mutex;
    std::unordered_map<std::string, Window> m_clients;
};

} // namespace enlace::http
