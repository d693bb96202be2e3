#pragma once
// Runs a producer on a second thread, a bounded number of items ahead of the thread that consumes
// them. The import reads and maps rows (GDAL, field mapping, validation of the row's own values)
// while the caller writes the previous ones to SQLite: on two cores the two halves overlap.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace enlace::geo::detail {

template <class Item> class Prefetch {
  public:
    /// `produce` runs on the worker thread and returns nothing at the end. Items are handed over in
    /// batches of `batch`, at most `depth` batches ahead, so memory stays bounded whatever the
    /// producer's speed. An exception from `produce` reaches the consumer after the items produced
    /// before it, from next().
    explicit Prefetch(std::function<std::optional<Item>()> produce, std::size_t batch = 256, std::size_t depth = 4)
        : m_produce(std::move(produce)), m_batch(batch), m_depth(depth), m_worker([this] { run(); }) {}

    Prefetch(const Prefetch&) = delete;
    Prefetch& operator=(const Prefetch&) = delete;

    /// Stops the producer (at its next hand-over) and waits for it: whatever `produce` uses must
    /// outlive this object.
    ~Prefetch() {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_space.notify_all();
        m_worker.join();
    }

    /// The next item in the producer's order, or nothing at the end.
    std::optional<Item> next() {
        if (m_position == m_current.size()) {
            m_current.clear();
            m_position = 0;
            std::unique_lock lock(m_mutex);
            m_ready.wait(lock, [&] { return !m_queue.empty() || m_done; });
            if (m_queue.empty()) {
                if (m_failure) std::rethrow_exception(std::exchange(m_failure, nullptr));
                return std::nullopt;
            }
            m_current = std::move(m_queue.front());
            m_queue.pop_front();
            lock.unlock();
            m_space.notify_one();
        }
        return std::move(m_current[m_position++]);
    }

  private:
    void run() {
        std::exception_ptr failure;
        bool more = true;
        while (more) {
            std::vector<Item> batch;
            batch.reserve(m_batch);
            try {
                while (batch.size() < m_batch) {
                    auto item = m_produce();
                    if (!item) {
                        more = false;
                        break;
                    }
                    batch.push_back(std::move(*item));
                }
            } catch (...) {
                failure = std::current_exception();
                more = false;
            }
            std::unique_lock lock(m_mutex);
            m_space.wait(lock, [&] { return m_queue.size() < m_depth || m_stopping; });
            if (m_stopping) return;
            if (!batch.empty()) m_queue.push_back(std::move(batch));
            if (!more) {
                m_done = true;
                m_failure = failure;
            }
            lock.unlock();
            m_ready.notify_one();
        }
    }

    std::function<std::optional<Item>()> m_produce;
    const std::size_t m_batch, m_depth;

    std::mutex m_mutex;
    std::condition_variable m_ready, m_space;
    std::deque<std::vector<Item>> m_queue; // guarded by m_mutex, as are the three below
    bool m_done = false, m_stopping = false;
    std::exception_ptr m_failure;

    std::vector<Item> m_current; // consumer's side only
    std::size_t m_position = 0;

    std::thread m_worker; // last: starts once every member above is ready
};

} // namespace enlace::geo::detail
