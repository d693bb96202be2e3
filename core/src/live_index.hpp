#pragma once
// What the connections of one process share about one registry: the in-memory index of each
// audience and the public records they decoded, both kept current by following the change log.
// A reader brings them to the revision of its snapshot: the records the changes since touched are
// dropped from the cache, and an index is advanced by the changed services alone (rebuilt only
// after a change of the reference data, or when so much changed that a rebuild is cheaper).
#include "enlace/core/model.hpp"
#include "enlace/core/reference.hpp"
#include "enlace/core/store.hpp"
#include "service_index.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace enlace::core::detail {

/// Bit positions of the reference codes in the index masks.
struct MaskCodes {
    static std::uint64_t types(const ReferenceData& reference, const std::vector<std::string>& codes);
    static std::uint32_t countries(const ReferenceData& reference, const std::vector<std::string>& codes);
    static std::uint32_t populations(const ReferenceData& reference, const std::vector<std::string>& codes);
    static std::uint8_t statuses(const std::vector<ServiceStatus>& statuses);
};

/// The conditions the index answers, as its masks (the rest are checked on each record).
PointFilter point_filter(const ServiceConditions& conditions, const ReferenceData& reference);

/// Public views decoded from stored documents, valid from the revision they were read at until a
/// change to them is seen in the log. Bounded: past its capacity the least recently used entry
/// makes room, so that the records of the pages being read stay (on PostgreSQL each miss is a
/// round trip to the database).
class RecordCache {
  public:
    explicit RecordCache(std::size_t capacity) : m_capacity(capacity) {}
    /// The record as of `revision` (not older than what the cache knows), if cached.
    std::shared_ptr<const PublicService> get(std::int64_t id, std::int64_t revision);
    /// Keeps a record read at `revision`, if that is the revision the cache knows.
    void put(std::int64_t id, std::int64_t revision, std::shared_ptr<const PublicService> record);
    /// Keeps at most `capacity` records from now on (0: none), dropping the least recently used.
    void set_capacity(std::size_t capacity);
    std::size_t size();

  private:
    friend class LiveIndex;
    /// Forgets the records of the changes, now knowing `revision`; called under LiveIndex's lock.
    void advance(std::int64_t revision, const std::vector<LoggedChange>& changes);

    struct Entry {
        std::shared_ptr<const PublicService> record;
        std::int64_t read_at;
        std::list<std::int64_t>::iterator recency; // its place in m_recency
    };
    using Entries = std::unordered_map<std::int64_t, Entry>;
    Entries::iterator erase(Entries::iterator entry);

    std::mutex m_mutex;
    std::size_t m_capacity;
    std::int64_t m_known = -1;
    Entries m_entries;
    std::list<std::int64_t> m_recency; // ids, the most recently used first
};

class LiveIndex {
  public:
    explicit LiveIndex(std::size_t cache_capacity) : m_records(cache_capacity) {}

    /// Starts following the log at `revision` (the first connection's, at open).
    void start(std::int64_t revision);
    /// Brings the shared state to `revision`, the reader's snapshot (read in it from `store`).
    void advance(Store& store, std::int64_t revision);
    /// How far the log has been followed.
    std::int64_t known();
    /// How far the log has been followed, while that is known to be the newest revision: a change
    /// feed listening for every commit confirmed it within trust_window. Empty otherwise (a read
    /// then asks the store).
    std::optional<std::int64_t> trusted_revision();
    /// A change feed has listened since `since`, and the log has been followed to a snapshot
    /// begun after it: until the feed's next notice, nothing newer was committed.
    void confirm_following(std::chrono::steady_clock::time_point since);
    /// The feed stopped listening (or following failed): reads ask the store again.
    void stop_following();
    /// The last revision that changed the reference data, as far as the log has been followed.
    std::int64_t reference_revision();

    /// The index of `audience` as of `revision`, the reader's snapshot: kept, advanced through the
    /// log, or built. Inside a write transaction (uncommitted rows) one is built and not kept.
    std::shared_ptr<const ServiceIndex> index(Store& store, const ReferenceData& reference, Audience audience,
                                              std::int64_t revision, bool uncommitted);
    /// Whether an index of the audience has been built (a write then advances it at once).
    bool has_index(Audience audience);

    RecordCache& records() { return m_records; }
    /// Held by a connection of this process for its whole write transaction: writers of one
    /// process queue here instead of in SQLite's busy handler, which sleeps between tries (1, 2,
    /// 5, 10 ms...) and let four writing threads manage 40 writes a second where one does 5,000.
    std::mutex& writer() { return m_writer; }
    /// How many times an index was built whole (the first build included), for diagnostics: after
    /// the first, only a change of the reference data or a change of more than rebuild_share of
    /// the services should add one.
    std::size_t builds() const { return m_builds; }

    /// How long a confirmation of the followed revision holds. The follower confirms it at least
    /// every second while its feed listens, so this bounds how long reads go on from memory after
    /// the feed stops hearing from the database without noticing (a network cut).
    static constexpr std::chrono::seconds trust_window{3};
    /// A change touching more services than this share of the index rebuilds it.
    static constexpr double rebuild_share = 0.25;
    /// Versions kept per audience, for readers of a snapshot older than the newest. A reader
    /// older than all of them builds a whole index (seconds at 1M services): with 4 versions, four
    /// writing clients made that happen on most reads (2 writes/s at 1M). Versions share their
    /// layers, so keeping many costs little.
    static constexpr std::size_t kept_versions = 64;

  private:
    struct Family {
        std::mutex mutex;
        std::deque<std::shared_ptr<const ServiceIndex>> versions; // oldest first
    };
    Family& family(Audience audience) { return audience == Audience::public_ ? m_public : m_authorised; }

    std::mutex m_mutex;
    std::mutex m_writer;
    std::atomic<std::size_t> m_builds{0};
    std::int64_t m_known = -1;
    std::int64_t m_reference_revision = 0;
    std::optional<std::chrono::steady_clock::time_point> m_listening_since; // confirmed; none: not followed
    RecordCache m_records;
    Family m_public, m_authorised;
};

/// The whole index of the audience, read from the store.
std::shared_ptr<const ServiceIndex> build_index(Store& store, const ReferenceData& reference, Audience audience,
                                                std::int64_t revision);

} // namespace enlace::core::detail
