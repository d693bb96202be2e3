#pragma once
// The registry: reference data, actors, services and practices, and the queries over them, in a
// store (store.hpp: one SQLite file by default). One Registry is one connection, for one thread
// at a time; more connections to the same registry (one per server thread) come from
// another_connection() and share its in-memory indexes and cached records.
#include "enlace/core/access.hpp"
#include "enlace/core/accounts.hpp"
#include "enlace/core/editing.hpp"
#include "enlace/core/maintenance.hpp"
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/record_kind.hpp"
#include "enlace/core/reference.hpp"
#include "enlace/core/reports.hpp"
#include "enlace/core/strategic_plan.hpp"
#include "enlace/core/tiles.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace enlace::core {

class ChangeFeed; // store.hpp

enum class WriteOutcome { created, updated, unchanged };

struct WriteResult {
    std::int64_t id = 0;
    WriteOutcome outcome = WriteOutcome::created;
    std::int64_t version = 0;  // the record's version after the write (its ETag)
    std::int64_t revision = 0; // the change log's revision the write committed (0 inside a batch)
    bool pending = false;      // the change waits as the published record's pending revision
};

/// Whether a server on this registry can take traffic (`/readyz`): the store answers and the
/// index of public services is built and at the store's revision.
struct Readiness {
    bool ready = false;
    std::int64_t revision = 0;       // the store's revision, when it answered
    std::int64_t index_revision = 0; // the public index's, once built
    std::string problem;             // why not ready, for an operator (no path, no SQL)
};

/// What a batch load did, for `enlace init --demo` and imports.
struct LoadSummary {
    int created = 0, updated = 0, unchanged = 0;
};

class Registry {
  public:
    enum class mode { read_only, read_write, create };

    /// Opens the registry at `location` (a file path), creating or migrating its schema when
    /// writable. Throws db_error (e.g. a missing file in read_only / read_write mode) or error
    /// (schema newer than this program).
    static Registry open(const std::string& location, mode m = mode::read_write);

    Registry(Registry&&) noexcept;
    Registry& operator=(Registry&&) noexcept;
    ~Registry();

    /// A new connection to the same registry that shares this one's in-memory indexes and records.
    Registry another_connection(mode m = mode::read_only) const;

    /// The revision of the change log the registry is at: it grows with every committed change.
    std::int64_t revision() const;

    /// The schema version this program writes, and the file's.
    static int current_schema_version();
    int schema_version() const;

    /// Replaces the taxonomy, countries and vocabularies (idempotent).
    void load_reference(const ReferenceData& reference);
    const ReferenceData& reference() const;

    /// Validates and stores a record in one transaction: updates in place when its id or its
    /// (source, source_id) exists, creates it otherwise. Throws validation_error, writing nothing.
    WriteResult put(Service service, const std::string& who = "cli");
    WriteResult put(Actor actor, const std::string& who = "cli");
    WriteResult put(Practice practice, const std::string& who = "cli");

    // --- Writing as a caller (editing.hpp, docs/security.md). Every rule of access and review is
    // checked here, so that the CLI (`--as`) and the server enforce the same. A record the caller
    // may not read is not_found (its existence is not revealed), one it may read but not write
    // forbidden; also unauthorized (the public), stale_version, conflict and validation_error.
    /// Creates (id 0) or changes a record. For registry users (options.reviewed) a new service or
    /// practice starts as a draft, and an edit of a published one waits as its pending revision
    /// (a closure or a verification of a service applies at once).
    WriteResult put(const Caller& by, Service service, const WriteOptions& options);
    WriteResult put(const Caller& by, Actor actor, const WriteOptions& options);
    WriteResult put(const Caller& by, Practice practice, const WriteOptions& options);
    /// A review transition of a service or a practice (of its pending revision when it has one).
    WriteResult transition(const Caller& by, RecordKind kind, std::int64_t id, Transition transition,
                           const WriteOptions& options = {});
    /// A soft delete: the record leaves every read and list, and comes back with restore().
    WriteResult remove(const Caller& by, RecordKind kind, std::int64_t id, const WriteOptions& options = {});
    WriteResult restore(const Caller& by, RecordKind kind, std::int64_t id, const WriteOptions& options = {});
    /// Sets a service's last_verified to today (an editor or reviewer in scope), at once.
    WriteResult verify(const Caller& by, std::int64_t service_id, const WriteOptions& options = {});
    /// The record's version, review state and pending revision, for a caller who reads it in
    /// scope; not_found otherwise (and for a deleted one, except to its writers).
    RecordStatus status(const Caller& by, RecordKind kind, std::int64_t id) const;
    /// The pending revision's proposed version as JSON (what `enlace show` prints), if any.
    std::optional<std::string> pending_json(const Caller& by, RecordKind kind, std::int64_t id) const;
    /// What waits for the caller's review (records in review, revisions in review) in its
    /// countries, or in those of `countries` among them.
    std::vector<QueueEntry> review_queue(const Caller& by, const std::vector<std::string>& countries = {}) const;
    /// A record as `by` sees it, as JSON (what `enlace show` prints): whole for a reader in scope,
    /// as the public sees it otherwise; nothing when hidden from the caller or deleted.
    struct Shown {
        std::string json;
        std::int64_t version = 0;
        bool whole = false;
        std::vector<std::string> countries;
    };
    std::optional<Shown> shown(const Caller& by, RecordKind kind, std::int64_t id) const;
    /// Refuses, as a write of the record would, a caller who may not change it: not_found when it
    /// may not read it, forbidden when it may read but not write it (or not at all, unauthorized
    /// for the public). What a server asks before it reads a request's body.
    void check_writable(const Caller& by, RecordKind kind, std::int64_t id) const;
    /// One service as `by` sees it: whole in scope, its public view otherwise, nothing when hidden.
    std::optional<ServiceView> service(const Caller& by, std::int64_t id) const;

    /// Runs `work` in one write transaction: each put() inside it joins it, and a refused record
    /// (validation_error, not_found) leaves the others intact; a write that fails partway (a SQLite
    /// error) rolls the whole batch back. Commits when work returns and `commit` is true; otherwise
    /// (a dry run, or an exception) nothing is kept. Reads inside the batch see its writes.
    void batch(const std::function<void()>& work, bool commit = true);

    /// The records of one source, one at a time (id and source_id) in source_id order (as the
    /// index holds them: id order would sort them all in memory first), for re-imports that
    /// report and prune what is gone. `each` must not write to this registry (the rows are read
    /// while it runs).
    void records_of_source(RecordKind kind, const std::string& source,
                           const std::function<void(std::int64_t id, const std::string& source_id)>& each) const;
    /// How many records of one source there are (an index range count, no row is read).
    std::int64_t count_of_source(RecordKind kind, const std::string& source) const;

    /// Loads the demo registry of data/demo.json (source "demo"), all or nothing.
    LoadSummary load_dataset(const std::string& json_text, const std::string& who = "init");

    /// One service as `audience` sees it: the whole record for authorised readers, its public view
    /// otherwise (nothing for a restricted service).
    std::optional<ServiceView> service(std::int64_t id, Audience audience = Audience::public_) const;
    /// The whole record (authorised readers: exact site, personal contacts, restricted ones too).
    std::optional<Service> service_record(std::int64_t id) const;
    /// The public view (nothing for a restricted service).
    std::optional<PublicService> public_service(std::int64_t id) const;
    std::optional<Actor> actor(std::int64_t id) const;
    std::optional<Practice> practice(std::int64_t id, Audience audience = Audience::public_) const;
    std::optional<std::int64_t> find_service_id(const RecordKey& key) const;

    /// Builds the in-memory index of public services now (a server calls it before listening),
    /// so that the first query does not wait for it. Queries build it anyway when it is missing;
    /// afterwards it follows every change through the change log.
    void prepare_index() const;
    /// How many public records the connections of this process keep decoded, shared (about 2 KB
    /// each: the default takes about 30 MB). Where all the public services a server is asked for
    /// fit, its reads fetch no record from the store, which on PostgreSQL spares a round trip.
    static constexpr std::size_t default_record_cache = 16384;
    /// Keeps at most `records` from now on (0: none), dropping the least recently used beyond.
    void set_record_cache(std::size_t records) const;
    /// Reads the store's revision and brings the public index to it, without building one that
    /// is missing (prepare_index does that, before a server listens). Never throws.
    Readiness readiness() const noexcept;
    /// A feed that wakes this process when another one commits a change to the registry
    /// (PostgreSQL: LISTEN/NOTIFY, on a connection of its own), or null where the store has none
    /// (a SQLite file: each read's snapshot reads the log anyway). A server waits on it in a
    /// thread of its own and calls catch_up() when woken. Include enlace/core/store.hpp to use it.
    std::unique_ptr<ChangeFeed> change_feed() const;
    /// Brings what the connections of this process share (the indexes built so far, the record
    /// cache) to the store's newest revision now, rather than at the next read, and returns it.
    /// `listening_since`: the change feed has listened since then (before this began), so the
    /// revision reached stays the newest until its next notice; for a while (a few seconds,
    /// renewed by the next catch_up) find() answers at it without asking the store.
    std::int64_t catch_up(std::optional<std::chrono::steady_clock::time_point> listening_since = {}) const;
    /// The feed stopped listening, or catching up failed: find() asks the store again.
    void stop_following() const;
    /// The revision the shared indexes and cache have been brought to (by a read or catch_up).
    std::int64_t followed_revision() const;

    /// Services matching the query, one page; throws query_error naming a bad parameter.
    ServicePage find(const ServiceQuery& query) const;
    /// How many services match (ignores near.k, cursor and limit).
    std::int64_t count(const ServiceQuery& query) const;
    /// The bounding box of the public points of the services that match, if any.
    std::optional<BBox> extent(const ServiceQuery& query) const;
    /// What the tile holds of the sited services that match (tiles.hpp): its filters must be ones
    /// the index answers (no text, language, gender, dates or opening time: query_error naming
    /// the first), its bbox, near, limit and cursor are ignored.
    TileContent tile(const ServiceQuery& filters, const TileAddress& address, const TileRules& rules = {}) const;

    Page<Actor> find(const ActorQuery& query) const;
    Page<Practice> find(const PracticeQuery& query) const;

    /// Counts of visible services by country x service type (each service counted once per type).
    std::vector<StatsCell> stats(Audience audience = Audience::public_) const;

    /// Localities of active public services (public points only, so no sensitive site is revealed;
    /// never at a coarsened point when the locality has a service that is not sensitive).
    std::vector<Place> places() const;

    /// The audit trail of one record: who changed what and when.
    struct Change {
        std::string at, who, action;
        std::string before, after; // JSON
        std::string comment;
        std::int64_t revision = 0, change_set = 0;
        /// The change was to the pending revision (after is the proposed version; the live one
        /// stayed as it was).
        bool pending = false;
    };
    std::vector<Change> history(RecordKind kind, std::int64_t id) const;
    /// The trail as `by` may see it: in scope, all of it; otherwise only a record the public sees,
    /// every version in its public form (no exact point of a sensitive site, no personal contact,
    /// no restricted version) and without who made it. not_found for a record the caller may not read.
    std::vector<Change> history(const Caller& by, RecordKind kind, std::int64_t id) const;

    // --- Problem reports (reports.hpp, docs/security.md "Problem reports").
    /// Files a report on a service the caller may read (anyone, the public included); returns
    /// its id. Keeps nothing about the reporter. Throws not_found for a service the caller may
    /// not read, validation_error naming `reason` or `text`.
    std::int64_t file_report(const Caller& by, std::int64_t service_id, const ReportDraft& draft);
    /// Reports of services in the caller's countries (editors, reviewers, compilers, admins; the
    /// text only for those who review them), in id order. unauthorized for the public, forbidden
    /// for a viewer.
    std::vector<Report> reports(const Caller& by, const ReportFilter& filter = {}) const;
    /// One report, by the same rule; not_found outside the caller's countries.
    Report report(const Caller& by, std::int64_t id) const;
    /// Triages, resolves or dismisses a report (an editor in scope): a change of its service,
    /// audited in its history (action report-triage, report-resolve or report-dismiss, never the
    /// text), whose public record then shows, or stops showing, the triaged report. Resolving or
    /// dismissing erases the text. conflict for a decision its state does not allow.
    WriteResult decide_report(const Caller& by, std::int64_t id, ReportDecision decision);
    /// The triaged reports of a service, as its public record shows them (reason and day).
    std::vector<ReportedProblem> reported_problems(std::int64_t service_id) const;

    // --- The Strategic Plan (strategic_plan.hpp, docs/strategic-plan.md). Its structure is
    // public; its entries are the network's working table, read by any registry user (the
    // public: unauthorized). The focal points of a country (its editors and reviewers) propose
    // for it; compilers confirm. Every change is in the Plan's history.
    /// Loads or replaces the structure (an admin, or the holder: `enlace init`, `enlace plan
    /// load`). conflict when the new structure lacks an action that has entries. Returns whether
    /// it changed.
    bool load_plan(const Caller& by, const PlanStructure& plan);
    std::optional<PlanStructure> plan() const;
    /// Every cell of the responsible column, actions in the Plan's order by member country in
    /// the countries' order (a cell with nothing stored: missing, version 0), of the filter's
    /// countries and status.
    std::vector<PlanEntry> plan_entries(const Caller& by, const PlanFilter& filter = {}) const;
    /// The column as the compiled report publishes it, whoever asks: every cell of these countries
    /// (empty: all), the entities of confirmed cells only (a proposal shows as proposed, without
    /// its entities), no notes, no one's name. Empty when no Plan is loaded.
    std::vector<PlanEntry> published_plan_entries(const std::vector<std::string>& countries = {}) const;
    /// One cell; not_found for an action not in the Plan or a country not a member.
    PlanEntry plan_entry(const Caller& by, const std::string& action, const std::string& country) const;
    /// Refuses, as a proposal or a note would, a caller who may not write the cell (not_found for
    /// an action or country that is none): what a server asks before it reads a request's body.
    void check_plan_writable(const Caller& by, const std::string& action, const std::string& country) const;
    /// Proposes the country's responsible entities for the action (replacing its proposal; none:
    /// it goes back to missing). Registry users name the version they read once the entry exists.
    PlanEntry propose_plan(const Caller& by, const std::string& action, const std::string& country,
                           std::vector<std::int64_t> actors, const WriteOptions& options = {});
    /// Confirms a proposed entry, as it stands at the version named (a compiler).
    PlanEntry confirm_plan(const Caller& by, const std::string& action, const std::string& country,
                           const WriteOptions& options = {});
    /// Adds a progress note (on: its day, YYYY-MM-DD; text: at most max_plan_note characters).
    PlanEntry add_plan_note(const Caller& by, const std::string& action, const std::string& country,
                            const std::string& on, const std::string& text, const WriteOptions& options = {});
    /// The changes of one cell (action and country empty: of the structure), oldest first.
    std::vector<PlanChange> plan_history(const Caller& by, const std::string& action, const std::string& country) const;

    // --- Accounts (accounts.hpp). Only an admin (or the file's holder) manages them, and every
    // change is in the security log.
    /// Adds a user and issues their first token (shown once). Throws validation_error for a bad
    /// name, role-country combination or lifetime, forbidden for a caller who is not an admin.
    IssuedToken add_user(const Caller& by, const std::string& name, Role role,
                         const std::vector<std::string>& countries, int token_days = default_token_days);
    /// Another token for an existing, enabled user.
    IssuedToken issue_token(const Caller& by, const std::string& name, int token_days = default_token_days);
    std::vector<User> users(const Caller& by) const;
    /// Revokes every token of the user; returns how many there were.
    int revoke_tokens(const Caller& by, const std::string& name);
    /// Disables the user: every token of theirs stops at once.
    void disable_user(const Caller& by, const std::string& name);
    /// The caller a bearer token stands for. Throws unauthorized (and logs why, never the token)
    /// when it is malformed, unknown, wrong, expired, revoked or its user disabled. Records when a
    /// token was last used (at most once a minute: a write). Needs a writable connection.
    Caller authenticate(std::string_view token, const std::string& client = {});
    /// A user the CLI acts as (`--as NAME`): their role and countries; not_found for none, forbidden
    /// for a disabled one.
    Caller caller_of(const std::string& name) const;
    /// The security log, oldest first, after `after_id`.
    std::vector<SecurityEvent> security_log(const Caller& by, std::int64_t after_id = 0, int limit = 1000) const;
    /// Adds a line to the security log (a refused authorisation, a sign-in).
    void log_security(const Caller& who, const std::string& action, const std::string& subject,
                      const std::string& detail);

    // --- Maintenance (maintenance.hpp, docs/reliability.md).
    /// Copies the registry into a new file at `destination`: one consistent snapshot, taken while
    /// others go on reading and writing, checked by SQLite before it appears there. Only an admin
    /// (or the file's holder) may: the copy holds restricted records and the accounts' token
    /// hashes (forbidden otherwise). Throws error for a destination that exists (unless
    /// options.overwrite) or is the registry itself; nothing is left at the destination on failure.
    BackupResult backup(const Caller& by, const std::string& destination, const BackupOptions& options = {}) const;
    /// Copies the registry into `to`, either backend to either: a file that does not exist yet or
    /// a PostgreSQL database holding no registry data. Every record with its state, link, audit
    /// row, pending revision, account, token (issued tokens go on working), security event, report
    /// and Plan entry moves as kept, with its id and revision; the copy's store builds its own
    /// indexes. The registry is read in one snapshot (it may be serving meanwhile). Before the copy
    /// commits, its tables are read back and compared with the registry's by digest: all or
    /// nothing, and a new file is removed when the copy fails. Only an admin (or the holder), as
    /// for a backup. Throws error naming the cause (a destination that holds data, different
    /// schema versions, a table that differs).
    CopyResult copy_to(const Caller& by, const std::string& to) const;
    /// Removes the personal contacts from the versions of services and actors that history keeps
    /// from before `older_than_days` ago (`enlace purge`, DECISIONS.md): the records themselves,
    /// and newer versions, keep theirs. Only an admin (or the holder): forbidden otherwise. In the
    /// security log; with `dry_run` nothing changes and the counts say what would.
    PurgeResult purge_history(const Caller& by, int older_than_days, bool dry_run = false);
    /// Adds to `report` a check for each audience: its in-memory index, as built from the store,
    /// holds exactly the services the store's rows and its R*Tree hold (check_registry runs it).
    void check_index(CheckReport& report) const;

    /// The connection's internals, opaque outside the core's sources.
    struct Impl;

  private:
    Registry();
    std::unique_ptr<Impl> m_impl;
};

} // namespace enlace::core
