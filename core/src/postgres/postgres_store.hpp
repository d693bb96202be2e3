#pragma once
// The registry in a PostgreSQL + PostGIS database: the store port's second implementation
// (docs/architecture.md, "The store port"). One object is one libpq connection; the server opens
// one a thread (connect_again). The tables mirror the SQLite store's (schema.cpp).
#include "enlace/core/store.hpp"
#include "pg_connection.hpp"

#include <string>

namespace enlace::core::detail {

class PostgresStore final : public Store {
  public:
    enum class mode { read_only, read_write, create };

    /// Connects to the database the URI names, refusing one of a newer schema, and creates or
    /// migrates its schema when writable.
    PostgresStore(const std::string& uri, mode m);

    static int latest_schema_version();

    const std::string& location() const override { return m_db.location(); }
    bool writable() const override { return m_writable; }
    std::unique_ptr<Store> connect_again(bool writable) const override;
    int schema_version() override;
    /// LISTENs on a connection of its own; every write transaction that logs a change NOTIFYs.
    std::unique_ptr<ChangeFeed> change_feed() const override;

    /// A snapshot or a write transaction begins on a connection the server has closed (a
    /// restart, a failover) by connecting again: nothing was under way on it, and the log tells
    /// the reader what changed meanwhile.
    void begin_read() override;
    /// Sends nothing: the snapshot begins with the read's first statement, if it has one.
    void begin_read_at(std::int64_t revision) override;
    void end_read() override;
    void begin_write() override;
    void commit() override;
    void rollback() override;
    bool in_write() const override;
    /// Nothing is deferred (every write goes straight to its tables), but a batch's commit is
    /// followed by ANALYZE: the planner's statistics of tables a batch filled are otherwise those
    /// of the empty tables until autovacuum gets to them (minutes of sequential scans).
    /// A batch's statements work over the whole batch (a copy's million rows, each checked against
    /// its foreign keys), so they are bounded by bulk_statement_timeout, not a request's bound.
    void set_bulk(bool bulk) override;
    void savepoint() override;
    void release_savepoint() override;
    void rollback_to_savepoint() override;

    ReferenceData load_reference() override;
    void save_reference(const ReferenceData& reference) override;
    std::int64_t revision() override;
    std::vector<LoggedChange> changes_since(std::int64_t revision) override;
    std::int64_t append_change(const ChangeRecord& change) override;
    std::int64_t rewrite_old_versions(
        const std::string& before_at,
        const std::function<std::optional<std::string>(RecordKind, const std::string&)>& rewrite) override;
    std::vector<HistoryRow> history(RecordKind kind, std::int64_t id) override;

    std::optional<StoredRecord> record(RecordKind kind, std::int64_t id) override;
    std::vector<std::pair<std::int64_t, StoredRecord>> services(const std::vector<std::int64_t>& ids) override;
    bool exists(RecordKind kind, std::int64_t id) override;
    std::vector<std::pair<RecordKind, std::int64_t>> linked_from(RecordKind kind, std::int64_t id) override;
    std::optional<PendingRevision> pending_revision(RecordKind kind, std::int64_t id) override;
    void put_pending_revision(RecordKind kind, std::int64_t id, const PendingRevision& revision) override;
    void drop_pending_revision(RecordKind kind, std::int64_t id) override;
    std::vector<std::pair<RecordKind, std::int64_t>> in_review() override;
    std::optional<std::int64_t> find_id(RecordKind kind, const RecordKey& key) override;
    std::int64_t write(const RecordVersion<Service>& version) override;
    std::int64_t write(const RecordVersion<Actor>& version) override;
    std::int64_t write(const RecordVersion<Practice>& version) override;
    void records_of_source(RecordKind kind, const std::string& source,
                           const std::function<void(std::int64_t, const std::string&)>& each) override;
    std::int64_t count_of_source(RecordKind kind, const std::string& source) override;
    std::vector<std::int64_t> visible_services(const std::vector<std::int64_t>& ids, Audience audience) override;

    std::vector<std::int64_t> service_ids(const ServiceConditions& conditions, std::int64_t after_id,
                                          int limit) override;
    std::int64_t count_services(const ServiceConditions& conditions) override;
    std::optional<BBox> extent(const ServiceConditions& conditions) override;
    std::vector<std::int64_t> text_ids(const std::vector<std::string>& words, std::size_t limit) override;
    bool text_matches(const std::vector<std::string>& words, std::int64_t id) override;
    void scan_index(Audience audience, const IndexScan& scan) override;
    void index_rows(Audience audience, const std::vector<std::int64_t>& ids, const IndexScan& scan) override;
    std::vector<StatsCell> stats(Audience audience) override;
    std::vector<Place> places() override;

    std::int64_t insert_report(const Report& report) override;
    std::optional<Report> report(std::int64_t id) override;
    std::vector<Report> reports(const ReportFilter& filter) override;
    void update_report(const Report& report) override;

    std::optional<std::string> plan_structure() override;
    void save_plan_structure(const std::string& plan_json) override;
    std::vector<PlanEntry> plan_entries(const PlanFilter& filter) override;
    std::optional<PlanEntry> plan_entry(const std::string& action, const std::string& country) override;
    void write_plan_entry(const PlanEntry& entry) override;
    void append_plan_change(const PlanChange& change) override;
    std::vector<PlanChange> plan_history(const std::string& action, const std::string& country) override;

    std::vector<std::int64_t> actor_ids(const ActorConditions& conditions, std::int64_t after_id, int limit) override;
    std::vector<std::int64_t> practice_ids(const PracticeConditions& conditions, std::int64_t after_id,
                                           int limit) override;

    std::optional<User> find_user(const std::string& name) override;
    std::optional<User> find_user(std::int64_t id) override;
    std::vector<User> users(const std::string& now) override;
    std::int64_t insert_user(const User& user) override;
    void set_user_disabled(std::int64_t id, bool disabled) override;
    std::int64_t insert_token(const StoredToken& token) override;
    std::optional<StoredToken> find_token(std::int64_t id) override;
    void set_token_used(std::int64_t id, const std::string& at) override;
    int revoke_tokens(std::int64_t user_id) override;
    void append_security(const SecurityEvent& event) override;
    std::vector<SecurityEvent> security_events(std::int64_t after_id, int limit) override;

    /// Refused: a PostgreSQL registry is backed up with pg_dump (docs/deploy.md).
    BackupResult backup(const std::string& destination, const BackupOptions& options) override;

    void read_rows(const TableShape& table, const std::function<void(const TableRow&)>& row) override;
    void write_rows(const TableShape& table, const std::vector<TableRow>& rows) override;
    void derive_from_rows() override;

    /// Runs a statement of this store. A failure inside a write transaction rolls it back (the
    /// server refuses every later statement of a failed transaction), unless a savepoint is open,
    /// which the core then rolls back to.
    pg::Result run(const std::string& sql, const pg::Params& params = {});
    /// The table of a record kind (the change log names tables, as the SQLite store's does).
    static const char* table_of(RecordKind kind);
    static std::string editors_text(const std::vector<std::string>& editors);
    static std::vector<std::string> editors_of(const std::string& text);

  private:
    /// COPY of `rows` (COPY's text format) into `table_and_columns` ("t (a, b)").
    void copy_rows(const std::string& table_and_columns, const std::string& rows);
    std::int64_t write_service_row(const RecordVersion<Service>& version);
    void write_service_links(const RecordVersion<Service>& version, std::int64_t id);

    pg::Connection m_db;
    bool m_writable = false;
    int m_transaction = 0;            // 0 none, 1 read, 2 write
    std::int64_t m_read_revision = 0; // the revision of the read snapshot (m_transaction 1)
    bool m_in_savepoint = false;
    bool m_bulk = false;   // the open write transaction is a batch
    bool m_logged = false; // the open write transaction logged a change or copied rows: NOTIFY
};

/// The next id of a table whose ids the store assigns (max + 1, as SQLite's rowids: the writers
/// are serialised, so no two transactions take the same one).
std::string next_id(const char* table);

} // namespace enlace::core::detail
