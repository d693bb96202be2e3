#include "enlace/http/auth_throttle.hpp"

namespace enlace::http {

int AuthThrottle::wait_seconds(const std::string& client, clock::time_point now) {
    std::lock_guard lock(m_mutex);
    const auto it = m_clients.find(client);
    if (it == m_clients.end() || it->second.failures < m_allowed) return 0;
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.start + m_window - now).count();
    if (left <= 0) {
        m_clients.erase(it);
        return 0;
    }
    return static_cast<int>(left);
}

void AuthThrottle::failed(const std::string& client, clock::time_point now) {
    std::lock_guard lock(m_mutex);
    if (m_clients.size() >= max_clients)
        std::erase_if(m_clients, [&](const auto& entry) { return entry.second.start + m_window <= now; });
    if (m_clients.size() >= max_clients) m_clients.clear(); // all fresh: start over rather than grow
    auto& window = m_clients[client];
    if (window.failures == 0 || window.start + m_window <= now) window = {now, 0};
    ++window.failures;
}

} // namespace enlace::http
