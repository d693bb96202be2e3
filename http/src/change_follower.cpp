#include "change_follower.hpp"

#include "enlace/core/store.hpp"

#include <chrono>

namespace enlace::http {

namespace {

/// A quiet feed is asked again this often: each catch-up renews the registry's trust in the
/// revision it follows (core::Registry::catch_up), which lapses after a few seconds without one.
constexpr std::chrono::seconds heartbeat{1};

} // namespace

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
    // The feed listened when it was made: what was committed before is in the log.
    catch_up();
    while (!m_stopping) {
        const auto wake = m_feed->wait(heartbeat);
        if (wake == Wake::interrupted) continue;
        // Notices between the lost connection and the new one are lost: until the log has been
        // read again, the revision followed may not be the newest.
        if (wake == Wake::reconnected) m_connection.stop_following();
        catch_up();
    }
    m_connection.stop_following();
}

void ChangeFollower::catch_up() {
    if (!m_feed->listening()) {
        m_connection.stop_following();
        return;
    }
    try {
        m_connection.catch_up(std::chrono::steady_clock::now());
    } catch (...) {
        // Nothing is lost: reads take their own snapshots, which read the log themselves, and a
        // lost connection is opened again at the next one.
        m_connection.stop_following();
    }
}

} // namespace enlace::http
