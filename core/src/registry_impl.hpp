#pragma once
// What a Registry connection holds; shared by the registry's source files, not part of the API:
// its store (the port), the state its process shares with the other connections to the same
// registry (indexes, cached records), its reference data and the open batch.
#include "enlace/core/registry.hpp"
#include "enlace/core/store.hpp"
#include "live_index.hpp"

#include <functional>
#include <memory>
#include <string>

namespace enlace::core::detail {

/// Now, as stored in created_at / updated_at: "2026-11-28T22:50:01Z".
std::string utc_now();

/// Runs one write: in its own transaction, committed and published, or as part of the open
/// batch (with a savepoint of its own when `own_savepoint`).
WriteResult write_one(Registry::Impl& impl, const std::function<WriteResult()>& write, bool own_savepoint = false);

} // namespace enlace::core::detail

namespace enlace::core {

struct Registry::Impl {
    std::unique_ptr<Store> store;
    std::shared_ptr<detail::LiveIndex> live;
    ReferenceData reference;
    std::int64_t reference_revision = 0; // the reference change the data above were read after
    bool in_batch = false;
    std::int64_t change_set = 0; // inside a batch: the revision of its first change
    bool in_snapshot = false;    // inside read(): one snapshot, one revision
    std::int64_t snapshot_revision = 0;
    bool bulk_read = false; // a page too large to cache: read around it
    /// Consecutive records a batch created, of one kind by one author: one audit row for the run.
    struct CreatedRun {
        std::string who;
        RecordKind kind = RecordKind::service;
        std::int64_t first = 0, count = 0;
    } pending_creates;

    /// The largest page that goes through the record cache (an export's pages of 1,000 would
    /// only churn it).
    static constexpr int record_cache_max_page = 500;

    /// Runs `read` in one snapshot, so all it reads (a page, the index it used, the records) is of
    /// one revision; the shared state is brought to it first. Inside a batch the batch's own
    /// write transaction is the snapshot (and sees its own writes).
    template <class Read> auto read(Read&& work) {
        if (in_batch) {
            write_pending_creates();
            snapshot_revision = store->revision();
            return work();
        }
        store->begin_read();
        End end{*this};
        enter_snapshot();
        return work();
    }

    /// Ends the snapshot read() or read_followed() began, however the read ends.
    struct End {
        Impl& impl;
        ~End() {
            impl.in_snapshot = false;
            impl.bulk_read = false;
            impl.store->end_read();
        }
    };

    /// As read(), but at the revision the process has followed when its change feed says that is
    /// the newest (LiveIndex::trusted_revision): a page the shared index and cache answer then
    /// costs no statement, and one that needs the store reads it in a snapshot that must be at
    /// that revision. Should the registry have moved on, `work` runs again in a snapshot of its
    /// own, so it must have no effect but its result. What another process commits is seen once
    /// its notice has been followed (milliseconds), not at once; min_revision asks for more.
    template <class Read> auto read_followed(Read&& work) {
        if (!in_batch) {
            const auto followed = live->trusted_revision();
            // Reference data changed since this connection loaded them: read() reloads them.
            if (followed && live->reference_revision() <= reference_revision) {
                try {
                    store->begin_read_at(*followed);
                    End end{*this};
                    in_snapshot = true;
                    snapshot_revision = *followed;
                    return work();
                } catch (const snapshot_moved&) {
                    // committed since the feed's last notice: read at the newest revision below
                }
            }
        }
        return read(std::forward<Read>(work));
    }

    /// The revision of the snapshot being read, the shared state brought to it, and the reference
    /// data reloaded if it changed since this connection read it.
    void enter_snapshot();

    /// The index of `audience` for the snapshot being read.
    std::shared_ptr<const detail::ServiceIndex> index(Audience audience);
    /// One service as `audience` sees it, or empty; the public's through the shared cache.
    ServiceView read_service(std::int64_t id, Audience audience);
    /// Reads into the cache, at once, those of `ids` that read_service would read from the store
    /// one by one (the records of a page; a round trip each on PostgreSQL).
    void prefetch_services(const std::vector<std::int64_t>& ids, Audience audience);
    std::optional<Actor> read_actor(std::int64_t id);
    std::optional<Practice> read_practice(std::int64_t id, Audience audience);

    /// Writes the batch's pending run of created records as one audit row.
    void write_pending_creates();
    /// After a commit: the shared state and the indexes already built brought to it, so that the
    /// next read finds them ready.
    void publish();
};

} // namespace enlace::core
