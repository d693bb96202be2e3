#pragma once
// The registry in one SQLite file: the store port's first implementation, and the only place in
// the core with SQL. The record tables keep each record's stored document beside the columns,
// link tables, R*Trees and full-text tables that queries filter on (docs/architecture.md).
#include "enlace/core/sqlite.hpp"
#include "enlace/core/store.hpp"
#include "site_rtree.hpp"

#include <string>
#include <unordered_map>

namespace enlace::core::detail {

/// The full-text tables, one a record kind.
enum class FullText { service, actor, practice };

class SqliteStore final : public Store {
  public:
    enum class mode { read_only, read_write, create };

    /// Opens the file, refusing one of a newer schema before changing anything, and creates or
    /// migrates its schema when writable.
    SqliteStore(const std::string& path, mode m);

    /// The schema version this program writes.
    static int latest_schema_version();

    const std::string& location() const override { return m_db.path(); }
    bool writable() const override { return m_writable; }
    std::unique_ptr<Store> connect_again(bool writable) const override;
    int schema_version() override;

    void begin_read() override;
    void end_read() override;
    void begin_write() override;
    void commit() override;
    void rollback() override;
    bool in_write() const override;
    void set_bulk(bool bulk) override { m_bulk = bulk; }
    void savepoint() override;
    void release_savepoint() override;
    void rollback_to_savepoint() override;

    ReferenceData load_reference() override;
    void save_reference(const ReferenceData& reference) override;
    std::int64_t revision() override;
    std::vector<LoggedChange> changes_since(std::int64_t revision) override;
    std::int64_t append_change(const ChangeRecord& change) override;
    std::vector<HistoryRow> history(RecordKind kind, std::int64_t id) override;
    std::int64_t rewrite_old_versions(
        const std::string& before_at,
        const std::function<std::optional<std::string>(RecordKind, const std::string&)>& rewrite) override;

    std::optional<StoredRecord> record(RecordKind kind, std::int64_t id) override;
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

    BackupResult backup(const std::string& destination, const BackupOptions& options) override;

    void read_rows(const TableShape& table, const std::function<void(const TableRow&)>& row) override;
    void write_rows(const TableShape& table, const std::vector<TableRow>& rows) override;
    void derive_from_rows() override;

    /// A prepared statement kept for this connection's life, reset and ready to bind.
    sqlite::Statement& prepare(const std::string& sql);
    sqlite::Database& database() { return m_db; }
    /// A record's editors as kept in its row: a JSON array of signatures.
    static std::string editors_text(const std::vector<std::string>& editors);
    static std::vector<std::string> editors_of(const std::string& text);
    /// The table of a record kind.
    static const char* table_of(RecordKind kind);
    /// The FTS5 query for the words of a text condition (full_text.cpp).
    std::string match_expression(const std::vector<std::string>& words, FullText text);

  private:
    /// Writes what a bulk transaction deferred (R*Tree rows), so that what follows sees it.
    void write_deferred();
    /// Resets every cached statement. A statement left on a row keeps its read snapshot open past
    /// COMMIT, and the connection would go on seeing the file as it was: every read and write ends
    /// with this.
    void reset_statements();
    /// Before a query that may use the R*Trees: inside a bulk write, its deferred rows first.
    void before_read();

    std::int64_t write_service_row(const RecordVersion<Service>& version);
    std::string text_match(const ServiceConditions& c) {
        return c.words.empty() ? std::string() : match_expression(c.words, FullText::service);
    }
    void write_service_links(const RecordVersion<Service>& version, std::int64_t id);

    /// The vocabularies of the full-text tables, for match_expression.
    void create_vocabularies();

    sqlite::Database m_db;
    bool m_writable = false;
    bool m_bulk = false;
    int m_transaction = 0; // 0 none, 1 read, 2 write
    std::unordered_map<std::string, sqlite::Statement> m_statements;
    PendingSites m_pending_sites;
    std::unordered_map<std::string, std::string> m_expansions; // word -> FTS5 expression
    std::int64_t m_expansions_revision = -1;
};

} // namespace enlace::core::detail
