#pragma once
// The store port: everything the core needs from storage, and nothing more. The write pipeline,
// the query planner, the in-memory index and the record cache sit above it and hold no SQL; the
// SQLite store (core/src/sqlite/) is its first implementation. docs/architecture.md ("The store
// port") says what a second backend must do to pass the same tests.
#include "enlace/core/accounts.hpp"
#include "enlace/core/conditions.hpp"
#include "enlace/core/maintenance.hpp"
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/record_kind.hpp"
#include "enlace/core/reference.hpp"
#include "enlace/core/reports.hpp"
#include "enlace/core/strategic_plan.hpp"

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace enlace::core {

/// One entry of the change log: a change to a record, or to a run of consecutive records one
/// batch created, or (no kind) to the reference data. Revisions grow with every committed change
/// and are never reused: the log is the audit trail, and nothing is ever deleted from it.
struct LoggedChange {
    std::int64_t revision = 0;
    std::optional<RecordKind> kind;
    std::int64_t first_id = 0, last_id = 0;
};

/// A change as the write pipeline records it (the audit trail and the change log are one).
struct ChangeRecord {
    std::string at, who;
    std::optional<RecordKind> kind; // none: the reference data
    std::int64_t first_id = 0, last_id = 0;
    /// create, update, reference; delete, restore, verify; revise (a pending revision written);
    /// the review transitions submit, withdraw, request_changes, approve, archive, reject.
    std::string action;
    std::string before;          // the stored document the change replaced; empty for a create
    std::string comment;         // a reviewer's or writer's comment
    std::int64_t change_set = 0; // the batch it was part of (its first revision); 0: on its own
    /// A pending revision's document after the change (actions revise, submit, request_changes
    /// and reject of a revision: the live record did not change).
    std::string proposed;
};

/// A change to one record as kept: `after` is missing where the next row's `before`, or the record
/// itself, tells it (rows keep no copy of the version they wrote).
struct HistoryRow {
    std::int64_t revision = 0;
    std::string at, who, action, before;
    std::optional<std::string> after;
    std::string comment, proposed;
    std::int64_t change_set = 0;
};

/// Where a record is in its life, kept beside its document (never in it): what every accepted
/// write moves on. `editors` are the signatures (Caller::signature) of whoever wrote the record
/// since it was last published: none of them may approve it (four eyes).
struct RecordState {
    std::int64_t version = 1;
    ReviewStatus review_status = ReviewStatus::published; // actors: always published
    bool deleted = false;                                 // soft: restorable, kept in history
    std::vector<std::string> editors;
};

/// A published record's proposed next version, waiting for review while the published one stays
/// live (one per record: later edits revise it).
struct PendingRevision {
    std::string doc;                          // the stored document proposed
    ReviewStatus state = ReviewStatus::draft; // draft, in_review or changes_requested
    std::vector<std::string> editors;
    std::string comment;           // the reviewer's, when changes were requested
    std::int64_t base_version = 0; // the record's version it was started from
    std::string created_at, updated_at;
};

/// A record's stored document (the codec's stored form) and what the store keeps beside it.
struct StoredRecord {
    std::string doc;
    std::string created_at, updated_at;
    // Services: what the write pipeline fixed when the version was written.
    std::optional<GeoPoint> public_point;
    bool coarsened = false;
    Visibility visibility = Visibility::public_;
    RecordState state;
};

/// A new version of a record as the pipeline hands it over: checked, authorised, its derived
/// values fixed (a service's public point) and its stored document written. `before` is the
/// version it replaces, decoded, or null for a new record (then the store assigns the next id).
template <class Record> struct RecordVersion {
    const Record& record;
    std::string_view doc;
    const Record* before = nullptr;
    std::string_view now; // updated_at, and created_at of a new record
    const RecordState& state;
};

/// What the in-memory index keeps of a service for one audience.
struct IndexRow {
    std::int64_t id = 0;
    std::optional<GeoPoint> point; // the audience's point (public or exact); none without a site
    std::string country;
    ServiceStatus status = ServiceStatus::active;
    std::optional<int> age_min, age_max;
};

/// The lists an index row is linked to, streamed after the rows.
enum class IndexLink { type, population, area_country };

/// Where index rows go: first how many there will be (sited, without a site), then each row, then
/// each link of them (links of rows that were not given may come too: they are passed over).
struct IndexScan {
    std::function<void(std::int64_t sited, std::int64_t unsited)> expect;
    std::function<void(const IndexRow&)> row;
    std::function<void(IndexLink, std::int64_t id, const std::string& code)> link;
};

/// A table every store keeps with the same columns (table_copy.hpp lists them): what moves when a
/// registry moves between stores. `order` sorts its rows the same way in every store (bytewise text).
struct TableShape {
    const char* name;
    std::vector<const char*> columns;
    const char* order;
};

/// One value of a table's row as it moves between stores: null, an integer (booleans as 0 and 1),
/// a real, or text.
using CellValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using TableRow = std::vector<CellValue>;

/// Wakes a process when another process commits a change to the same storage (PostgreSQL:
/// LISTEN/NOTIFY on a connection of its own). It says only that something changed: what changed
/// is read from the change log, which is the one truth (a notice missed costs a wait, not a write).
class ChangeFeed {
  public:
    enum class Wake {
        changed,     // a change was committed since the last wait
        reconnected, // the connection was lost and is back: notices in between are lost, read the log
        interrupted, // interrupt() was called
        timed_out,   // nothing within the timeout (or no connection yet: the next wait tries again)
    };
    virtual ~ChangeFeed() = default;
    virtual Wake wait(std::chrono::milliseconds timeout) = 0;
    /// Whether the feed is listening: false from a lost connection until it is back.
    virtual bool listening() const noexcept = 0;
    /// Ends the current or next wait from another thread.
    virtual void interrupt() noexcept = 0;
};

/// A snapshot begun at a revision (Store::begin_read_at) that turned out to be at a later one: the
/// read starts again in a snapshot of its own. Not an error: nothing is wrong, and no caller sees it.
class snapshot_moved : public std::exception {
  public:
    const char* what() const noexcept override { return "the registry moved past the revision followed"; }
};

class Store {
  public:
    virtual ~Store() = default;

    /// Where the store is (a file path, a connection URI without secrets), for messages.
    virtual const std::string& location() const = 0;
    virtual bool writable() const = 0;
    /// Another connection to the same storage (one per server thread).
    virtual std::unique_ptr<Store> connect_again(bool writable) const = 0;
    virtual int schema_version() = 0;
    /// A feed of other processes' commits, or null where the store has none (SQLite: a reader
    /// sees them at its next snapshot, which reads the log).
    virtual std::unique_ptr<ChangeFeed> change_feed() const { return nullptr; }

    // --- Transactions. Reads run inside one snapshot; writes inside one write transaction at a
    // time (begin_write waits for other writers). commit() also writes whatever the store
    // deferred to the end of the transaction. A failed statement may make the store roll the
    // transaction back by itself: then `in_write()` is false.
    virtual void begin_read() = 0;
    /// Begins a snapshot at `revision`, the newest the process knows of (its change feed says
    /// nothing was committed since): a read that the in-memory state answers needs no statement,
    /// so a store may defer the snapshot to its first statement. A snapshot at any other revision
    /// throws snapshot_moved: from here with no snapshot open, or from that statement (then the
    /// reader's end_read ends it).
    virtual void begin_read_at(std::int64_t revision) {
        begin_read();
        if (this->revision() == revision) return;
        end_read();
        throw snapshot_moved();
    }
    virtual void end_read() = 0;
    virtual void begin_write() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual bool in_write() const = 0;
    /// Whether the open write transaction carries many writes (a batch): a store may defer work
    /// (such as spatial index rows) to its end. Reads inside it see every write before them.
    virtual void set_bulk(bool bulk) = 0;
    /// A point inside the write transaction to go back to: what a failed write of a batch made is
    /// undone, the batch's other writes kept. Savepoints do not nest.
    virtual void savepoint() = 0;
    virtual void release_savepoint() = 0;
    virtual void rollback_to_savepoint() = 0;

    // --- Reference data and the change log.
    virtual ReferenceData load_reference() = 0;
    virtual void save_reference(const ReferenceData& reference) = 0;
    /// The last revision of the change log in this snapshot (0 when it is empty).
    virtual std::int64_t revision() = 0;
    /// The entries after `revision`, in order.
    virtual std::vector<LoggedChange> changes_since(std::int64_t revision) = 0;
    /// Appends an entry; returns its revision.
    virtual std::int64_t append_change(const ChangeRecord& change) = 0;
    /// Calls `rewrite` with each stored version of a service or an actor that a change before
    /// `before_at` keeps (before, after or proposed), and stores what it returns in its place
    /// (nothing: left as it is). The one change to the log after it is written: `enlace purge`.
    /// Returns how many versions were passed to `rewrite`.
    virtual std::int64_t rewrite_old_versions(
        const std::string& before_at,
        const std::function<std::optional<std::string>(RecordKind kind, const std::string& doc)>& rewrite) = 0;
    /// The rows that name one record, its own and its batch run's, in order.
    virtual std::vector<HistoryRow> history(RecordKind kind, std::int64_t id) = 0;

    // --- Records.
    /// A record, deleted or not (its state says).
    virtual std::optional<StoredRecord> record(RecordKind kind, std::int64_t id) = 0;
    /// The services of `ids` that exist, deleted or not, in any order: a page's records at once.
    /// One record() each here; a store for which each statement is a round trip reads them in one.
    virtual std::vector<std::pair<std::int64_t, StoredRecord>> services(const std::vector<std::int64_t>& ids) {
        std::vector<std::pair<std::int64_t, StoredRecord>> out;
        for (const auto id : ids)
            if (auto stored = record(RecordKind::service, id)) out.emplace_back(id, std::move(*stored));
        return out;
    }
    /// Whether a record exists and is not deleted.
    virtual bool exists(RecordKind kind, std::int64_t id) = 0;
    /// Records of another kind that link to this one and are not deleted: services of an actor,
    /// practices of an actor or a service (what a delete would leave dangling).
    virtual std::vector<std::pair<RecordKind, std::int64_t>> linked_from(RecordKind kind, std::int64_t id) = 0;
    virtual std::optional<std::int64_t> find_id(RecordKind kind, const RecordKey& key) = 0;
    /// Writes a version and returns the record's id (the new one for a new record).
    virtual std::int64_t write(const RecordVersion<Service>& version) = 0;
    virtual std::int64_t write(const RecordVersion<Actor>& version) = 0;
    virtual std::int64_t write(const RecordVersion<Practice>& version) = 0;
    /// The records of one source, in source_id order, and how many there are.
    virtual void records_of_source(RecordKind kind, const std::string& source,
                                   const std::function<void(std::int64_t id, const std::string& source_id)>& each) = 0;
    virtual std::int64_t count_of_source(RecordKind kind, const std::string& source) = 0;
    /// The pending revision of a published record, if it has one.
    virtual std::optional<PendingRevision> pending_revision(RecordKind kind, std::int64_t id) = 0;
    virtual void put_pending_revision(RecordKind kind, std::int64_t id, const PendingRevision& revision) = 0;
    virtual void drop_pending_revision(RecordKind kind, std::int64_t id) = 0;
    /// Records waiting for a reviewer: in review themselves, or with a pending revision in review;
    /// in kind and id order.
    virtual std::vector<std::pair<RecordKind, std::int64_t>> in_review() = 0;
    /// Of `ids`, those of services the audience may see (the public: published public ones; any
    /// other audience: all but deleted ones).
    virtual std::vector<std::int64_t> visible_services(const std::vector<std::int64_t>& ids, Audience audience) = 0;

    // --- Service queries, over ServiceConditions (conditions.hpp): each condition means exactly
    // what its comment there says, and `holds()` is that meaning on a record.
    /// Ids of the services that meet every condition the store answers (all but open_at, which
    /// needs the record's hours), in id order, after `after_id`, at most `limit`.
    virtual std::vector<std::int64_t> service_ids(const ServiceConditions& conditions, std::int64_t after_id,
                                                  int limit) = 0;
    virtual std::int64_t count_services(const ServiceConditions& conditions) = 0;
    /// The box of the audience's points of the sited services that meet the conditions.
    virtual std::optional<BBox> extent(const ServiceConditions& conditions) = 0;
    /// Ids of the services whose text holds every word (as a prefix), in id order, at most
    /// `limit`; and whether one does.
    virtual std::vector<std::int64_t> text_ids(const std::vector<std::string>& words, std::size_t limit) = 0;
    virtual bool text_matches(const std::vector<std::string>& words, std::int64_t id) = 0;
    /// The index rows of every service the audience may see, in id order, then their links.
    virtual void scan_index(Audience audience, const IndexScan& scan) = 0;
    /// The rows (with their links) of those of `ids` the audience may see.
    virtual void index_rows(Audience audience, const std::vector<std::int64_t>& ids, const IndexScan& scan) = 0;
    /// Counts of active and temporarily closed services by country x type and country x family.
    virtual std::vector<StatsCell> stats(Audience audience) = 0;
    /// Localities of active public sited services (see Place).
    virtual std::vector<Place> places() = 0;

    // --- Actors and practices.
    virtual std::vector<std::int64_t> actor_ids(const ActorConditions& conditions, std::int64_t after_id,
                                                int limit) = 0;
    virtual std::vector<std::int64_t> practice_ids(const PracticeConditions& conditions, std::int64_t after_id,
                                                   int limit) = 0;

    // --- Problem reports (reports.hpp). A report's country is its service's, as stored now.
    /// Stores a new report (its id is ignored); returns its id.
    virtual std::int64_t insert_report(const Report& report) = 0;
    virtual std::optional<Report> report(std::int64_t id) = 0;
    /// Reports matching the filter (empty countries: every country), in id order.
    virtual std::vector<Report> reports(const ReportFilter& filter) = 0;
    /// Writes a report's status, dates and text (none: erased).
    virtual void update_report(const Report& report) = 0;

    // --- The Strategic Plan (strategic_plan.hpp). Its changes have a log of their own, as
    // append-only as the change log (the Plan's writes move no record and no index).
    /// The Plan's structure in its file form (PlanStructure::to_json), if one is loaded.
    virtual std::optional<std::string> plan_structure() = 0;
    virtual void save_plan_structure(const std::string& plan_json) = 0;
    /// Stored entries (status, version, updated_at and document decoded), in action and country
    /// order (of their codes: the Plan's order is the caller's to apply).
    virtual std::vector<PlanEntry> plan_entries(const PlanFilter& filter) = 0;
    virtual std::optional<PlanEntry> plan_entry(const std::string& action, const std::string& country) = 0;
    /// Inserts or replaces the entry of its action and country.
    virtual void write_plan_entry(const PlanEntry& entry) = 0;
    virtual void append_plan_change(const PlanChange& change) = 0;
    /// The changes of one entry (empty action and country: of the structure), oldest first.
    virtual std::vector<PlanChange> plan_history(const std::string& action, const std::string& country) = 0;

    // --- Accounts (accounts.hpp) and the security log, which is append-only: nothing in it is
    // ever changed or deleted.
    virtual std::optional<User> find_user(const std::string& name) = 0;
    virtual std::optional<User> find_user(std::int64_t id) = 0;
    /// Every user, by name, with the count of their usable tokens at `now` and their last use.
    virtual std::vector<User> users(const std::string& now) = 0;
    virtual std::int64_t insert_user(const User& user) = 0;
    virtual void set_user_disabled(std::int64_t id, bool disabled) = 0;
    virtual std::int64_t insert_token(const StoredToken& token) = 0;
    virtual std::optional<StoredToken> find_token(std::int64_t id) = 0;
    virtual void set_token_used(std::int64_t id, const std::string& at) = 0;
    /// Revokes every token of the user; returns how many were not revoked yet.
    virtual int revoke_tokens(std::int64_t user_id) = 0;
    virtual void append_security(const SecurityEvent& event) = 0;
    /// The log after `after_id`, oldest first, at most `limit` lines.
    virtual std::vector<SecurityEvent> security_events(std::int64_t after_id, int limit) = 0;

    // --- Maintenance (maintenance.hpp).
    /// Copies the whole store, as one snapshot, into a new file at `destination` while other
    /// connections go on writing. The copy is checked before it appears there, so a failed backup
    /// leaves nothing at the destination. Throws error for a destination that exists (unless
    /// options.overwrite) or that is the store's own file, db_error when copying fails.
    virtual BackupResult backup(const std::string& destination, const BackupOptions& options) = 0;

    // --- Moving a registry between stores (copy_registry, maintenance.hpp). The tables' rows move
    // as they are kept; what a store derives from them (its full-text index, its site trees or
    // geography, its filter columns) it builds again itself.
    /// Each row of `table` in its order, inside the read snapshot or write transaction open.
    virtual void read_rows(const TableShape& table, const std::function<void(const TableRow&)>& row) = 0;
    /// Adds rows to `table`, inside a write transaction (the rows of tables a table refers to
    /// first; rows that refer to each other may come in one call).
    virtual void write_rows(const TableShape& table, const std::vector<TableRow>& rows) = 0;
    /// After write_rows, in the same transaction: builds what the store derives from the rows.
    virtual void derive_from_rows() = 0;
};

} // namespace enlace::core
