#include "enlace/http/report_throttle.hpp"

namespace enlace::http {

int ReportThrottle::take(const std::string& client, clock::time_point now) {
    std::lock_guard lock(m_mutex);
    if (m_clients.size() >= max_clients && m_clients.find(client) == m_clients.end()) {
        std::erase_if(m_clients, [&](const auto& entry) { return entry.second.start + m_window <= now; });
        if (m_clients.size() >= max_clients) m_clients.clear();
    }
    auto& window = m_clients[client];
    if (window.reports == 0 || window.start + m_window <= now) window = {now, 0};
    if (window.reports >= m_allowed) {
        const auto left = std::chrono::duration_cast<std::chrono::seconds>(window.start + m_window - now).count();
        return static_cast<int>(left > 0 ? left : 1);
    }
    ++window.reports;
    return 0;
}

void ReportThrottle::give_back(const std::string& client) {
    std::lock_guard lock(m_mutex);
    const auto it = m_clients.find(client);
    if (it != m_clients.end() && it->second.reports > 0) --it->second.reports;
}

} // namespace enlace::http
