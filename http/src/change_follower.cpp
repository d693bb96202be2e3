#include "change_follower.hpp"

#include "enlace/core/store.hpp"

#include <chrono>

namespace enlace::http {

ChangeFollower::ChangeFollower(core::Registry connection)
    : m_connection(std::move(connection)), m_feed(m_connection.change_feed()) {
    if (m_feed) m_thread = std::thread([this] { run(); });
}

ChangeFollower::~ChangeFollower() {
    if (!m_thread.joinable()) return;
    m_stopping = true;
    m_feed->interrupt();
    m_thread.join();
}

void ChangeFollower::run() {
    using Wake = core::ChangeFeed::Wake;
    while (!m_stopping) {
        const auto wake = m_feed->wait(std::chrono::seconds(30));
        if (wake != Wake::changed && wake != Wake::reconnected) continue;
        try {
            m_connection.catch_up();
        } catch (...) {
            // Nothing is lost: the next request's snapshot reads the log itself, and a lost
            // connection is opened again at the next one.
        }
    }
}

} // namespace enlace::http
