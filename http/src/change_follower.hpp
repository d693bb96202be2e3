#pragma once
// A server's thread that follows other servers' writes between requests: it waits on the
// registry's change feed (LISTEN/NOTIFY on PostgreSQL) and, when woken, brings the shared index
// and record cache to the newest revision, so that no request pays for advancing them. While the
// feed listens, each catch-up (at least one a second) tells the registry that the revision it
// reached is the newest, so that pages are read at it without a statement. After a lost
// connection the feed connects again and the follower catches up from the change log.
// Where the store has no feed (a SQLite file) there is no thread: each read catches up itself.
#include "enlace/core/registry.hpp"

#include <atomic>
#include <memory>
#include <thread>

namespace enlace::core {
class ChangeFeed;
}

namespace enlace::http {

class ChangeFollower {
  public:
    /// `connection`: a connection of its own to the registry the server shares its index with.
    explicit ChangeFollower(core::Registry connection);
    /// Ends the wait and joins the thread.
    ~ChangeFollower();
    ChangeFollower(const ChangeFollower&) = delete;
    ChangeFollower& operator=(const ChangeFollower&) = delete;

  private:
    void run();
    /// Brings the registry to the newest revision and vouches for it while the feed listens.
    void catch_up();

    core::Registry m_connection;
    std::unique_ptr<core::ChangeFeed> m_feed;
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
};

} // namespace enlace::http
