#pragma once
// What a Registry connection holds; shared by the registry's source files, not part of the API.
#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"
#include "record_cache.hpp"
#include "site_rtree.hpp"
#include "spatial_index.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace enlace::core::detail {

/// The in-memory indexes built from one registry file, shared by all its connections in this
/// process. An index is rebuilt when the file's services revision (bumped by every write, from
/// any process) differs from the one it was built at.
class SpatialCache {
public:
    std::shared_ptr<const ServiceIndex> get(sqlite::Database& db, const ReferenceData& reference, Audience audience,
                                            std::int64_t revision);

private:
    struct Entry {
        std::int64_t revision = -1;
        std::shared_ptr<const ServiceIndex> index;
    };
    std::mutex m_mutex;
    Entry m_public, m_authorised;
};

/// Bit positions of the reference codes in the index masks.
struct MaskCodes {
    static std::uint64_t types(const ReferenceData& reference, const std::vector<std::string>& codes);
    static std::uint32_t countries(const ReferenceData& reference, const std::vector<std::string>& codes);
    static std::uint32_t populations(const ReferenceData& reference, const std::vector<std::string>& codes);
    static std::uint8_t statuses(const std::vector<ServiceStatus>& statuses);
};

/// Now, as stored in created_at / updated_at: "2026-11-28T22:50:01Z".
std::string utc_now();

} // namespace enlace::core::detail

namespace enlace::core {

struct Registry::Impl {
    sqlite::Database db;
    bool writable = false;
    bool in_batch = false;
    std::shared_ptr<detail::SpatialCache> spatial;
    std::shared_ptr<detail::RecordCache> records;
    ReferenceData reference;
    std::unordered_map<std::string, sqlite::Statement> statements;
    bool in_snapshot = false;                         // inside read(): one snapshot, one revision
    std::optional<std::int64_t> snapshot_revision;  // that revision, once asked for

    bool bulk_read = false;                           // a page too large to cache: read around it
    // What a batch's writes leave for its end (or its next read): their R*Tree rows, written in
    // bulk, and one services revision bump instead of one a write.
    detail::PendingSites pending_sites;
    bool revision_pending = false;
    /// Consecutive services the batch created, by one author: one audit row for the run.
    struct CreatedRun {
        std::string who;
        std::int64_t first = 0, count = 0;
    } pending_creates;

    /// How many public records the connections of one process keep decoded (about 30 MB), and
    /// the largest page that goes through them (an export's pages of 1,000 would only churn it).
    static constexpr std::size_t record_cache_capacity = 16384;
    static constexpr int record_cache_max_page = 500;

    /// A prepared statement kept for this connection's life, reset and ready to bind.
    sqlite::Statement& prepare(const std::string& sql);
    void load_reference_from_db();
    std::int64_t services_revision();
    /// services_revision(), read once per read() snapshot.
    std::int64_t snapshot_services_revision();
    void bump_services_revision();
    /// Adds an audit row: who, when, and the record as it was before (none for a create).
    void record_change(const std::string& who, std::string_view table, std::int64_t id, std::string_view action,
                       const std::string& before);
    /// Audits a created service: alone, or outside a batch, as one change row; inside a batch,
    /// as part of a run of consecutive ids written as one row (see write_pending_creates).
    void record_service_created(const std::string& who, std::int64_t id);
    /// Writes the pending run of created services as one `create` row covering record_id ..
    /// last_record_id: an import of a million services adds one row, not a million.
    void write_pending_creates();
    void require_writable() const;
    /// Writes what the batch's writes left for later (R*Tree rows, the revision bump, the audit
    /// row of the services it created), so that what follows (a read, the commit) sees them. A
    /// failure rolls the batch back, as a failed write does.
    void write_deferred();
    void drop_deferred() {
        pending_sites.clear();
        pending_creates.count = 0;
        revision_pending = false;
    }

    /// Resets every cached statement. A statement left on a row keeps its read snapshot open past
    /// COMMIT, and the connection would go on seeing the file as it was: every read and write
    /// below ends with this.
    void reset_statements();

    /// Runs `read` in one read transaction, so all it reads (a page, the index it used, the records)
    /// comes from one snapshot of the file.
    template <class Read> auto read(Read&& work) {
        if (in_batch) {  // the batch's write transaction is the snapshot (and sees its own writes)
            write_deferred();
            return work();
        }
        reset_statements();
        sqlite::Transaction snapshot(db, prepare("BEGIN DEFERRED"), prepare("COMMIT"));
        struct Reset {
            Impl& impl;
            ~Reset() {
                impl.reset_statements();
                impl.in_snapshot = false;
                impl.bulk_read = false;
                impl.snapshot_revision.reset();
            }
        } reset{*this};
        in_snapshot = true;
        auto result = work();
        reset_statements();
        snapshot.commit();
        return result;
    }

    /// Runs one write: in its own transaction, or in a savepoint of the open batch.
    template <class Write> WriteResult write_one(Write&& write) {
        require_writable();
        struct Reset {
            Impl& impl;
            ~Reset() { impl.reset_statements(); }
        } reset{*this};
        if (in_batch) {
            // Outside the savepoint: a write it rolls back must not take the run's audit row along.
            write_pending_creates();
            sqlite::Savepoint savepoint(db);
            auto result = write();
            savepoint.release();
            return result;
        }
        sqlite::Transaction tx(db);
        auto result = write();
        reset_statements();
        tx.commit();
        return result;
    }

    // Writes that assume an open transaction (put() and load_dataset() provide it).
    WriteResult write_service(Service service, const std::string& who);
    WriteResult write_actor(Actor actor, const std::string& who);
    WriteResult write_practice(Practice practice, const std::string& who);

    /// The record as `audience` sees it, or null; shared with the record cache where it is used.
    SharedService read_service(std::int64_t id, Audience audience);
    std::optional<Actor> read_actor(std::int64_t id);
    std::optional<Practice> read_practice(std::int64_t id, Audience audience);
    std::optional<std::int64_t> find_id(std::string_view table, const RecordKey& key);
};

} // namespace enlace::core
