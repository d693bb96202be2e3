#include "change_feed.hpp"

#include "enlace/core/errors.hpp"
#include "pg_connection.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>

namespace enlace::core::detail::pg {
namespace {

/// After a failed reconnection, the next try waits this long (or the wait's timeout, if shorter),
/// so that a database that is down is not hammered.
constexpr std::chrono::milliseconds retry_pause{1000};

class ListeningFeed final : public ChangeFeed {
  public:
    explicit ListeningFeed(const std::string& uri) : m_db(uri) {
        m_wakeup = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (m_wakeup < 0) throw error("the change feed cannot make its wakeup descriptor");
        try {
            listen();
        } catch (...) {
            close(m_wakeup);
            throw;
        }
    }
    ~ListeningFeed() override { close(m_wakeup); }
    ListeningFeed(const ListeningFeed&) = delete;
    ListeningFeed& operator=(const ListeningFeed&) = delete;

    Wake wait(std::chrono::milliseconds timeout) override {
        // A connection the server closed while nobody waited (libpq saw it fail) has no socket.
        if (m_lost || m_db.lost()) return reconnect(timeout);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            // Notices that came with an earlier reply are already read in.
            if (m_db.take_notifications() > 0) return Wake::changed;
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return Wake::timed_out;
            const auto ready = poll_both(m_db.socket(), left);
            if (ready == Ready::interrupted) return Wake::interrupted;
            if (ready == Ready::nothing) return Wake::timed_out;
            // Readable: a notice, or the server's last words before it closes the connection.
            if (!m_db.consume_input() || m_db.lost()) return reconnect(timeout);
        }
    }

    bool listening() const noexcept override { return !m_lost && !m_db.lost(); }

    void interrupt() noexcept override {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(m_wakeup, &one, sizeof one);
    }

  private:
    enum class Ready { nothing, socket, interrupted };

    void listen() { m_db.script(std::string("LISTEN ") + change_channel); }

    /// Waits for the socket (-1: none) or an interrupt, at most `timeout`.
    Ready poll_both(int socket, std::chrono::milliseconds timeout) {
        pollfd fds[2] = {{m_wakeup, POLLIN, 0}, {socket, POLLIN, 0}};
        const int count = socket >= 0 ? 2 : 1;
        int n = 0;
        do {
            n = ::poll(fds, count, static_cast<int>(std::clamp<long long>(timeout.count(), 0, 1 << 30)));
        } while (n < 0 && errno == EINTR);
        if (n <= 0) return Ready::nothing;
        if (fds[0].revents & POLLIN) {
            std::uint64_t value = 0;
            [[maybe_unused]] const auto got = ::read(m_wakeup, &value, sizeof value);
            return Ready::interrupted;
        }
        return Ready::socket; // readable, or closed (POLLHUP, POLLERR): consume_input tells
    }

    /// Connects again and listens again: what was committed meanwhile is in the log, which the
    /// caller reads on `reconnected`. On failure, waits a pause (interruptibly) and says timed_out.
    Wake reconnect(std::chrono::milliseconds timeout) {
        try {
            m_db.reopen();
            listen();
            m_lost = false;
            return Wake::reconnected;
        } catch (const db_error&) {
            m_lost = true; // the reset may have connected and the LISTEN failed: not listening
            const auto pause = std::min(timeout, retry_pause);
            return poll_both(-1, pause) == Ready::interrupted ? Wake::interrupted : Wake::timed_out;
        }
    }

    Connection m_db;
    int m_wakeup = -1;
    bool m_lost = false; // a reconnection failed part way: the next wait tries again
};

} // namespace

std::unique_ptr<ChangeFeed> listen_for_changes(const std::string& uri) { return std::make_unique<ListeningFeed>(uri); }

} // namespace enlace::core::detail::pg
