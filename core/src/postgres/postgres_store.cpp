// The PostgreSQL store: connecting and migrating, transactions (one writer at a time, reads in
// snapshots), reference data, the change log (whose ids are the revisions) and record lookups.
#include "postgres_store.hpp"

#include "change_feed.hpp"
#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"
#include "json_reader.hpp"
#include "pg_schema.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

namespace enlace::core::detail {
namespace {

/// Writers queue on this lock (a number of their own, per database), held to the end of their
/// transaction: one writer at a time, so revisions grow in commit order, and a reader's snapshot
/// never misses a revision below its last one.
constexpr const char* writer_lock = "SELECT pg_advisory_xact_lock(7365420002)";
/// The change log's revision: its last row (rows are never deleted).
const std::string revision_sql = "SELECT COALESCE(max(id), 0) FROM changes";

/// Runs `start` (which begins a transaction), connecting again first when the connection turns
/// out to be lost: nothing was under way on it, so trying again is safe.
template <class Start> auto retrying_if_lost(pg::Connection& db, Start&& start) {
    try {
        return start();
    } catch (const store_unavailable&) {
        // the connection is gone: open it again below
    }
    db.reopen();
    return start();
}

LocalizedText labels_from(const std::string& text) {
    JsonReader in(true);
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    return doc.is_discarded() ? LocalizedText{} : in.localized(nlohmann::json{{"l", doc}}, "l", "labels");
}

std::optional<RecordKind> kind_of_table(const std::string& table) {
    if (table == "services") return RecordKind::service;
    if (table == "actors") return RecordKind::actor;
    if (table == "practices") return RecordKind::practice;
    return std::nullopt;
}

} // namespace

std::string next_id(const char* table) { return std::string("(SELECT COALESCE(max(id), 0) + 1 FROM ") + table + ")"; }

const char* PostgresStore::table_of(RecordKind kind) {
    switch (kind) {
    case RecordKind::service:
        return "services";
    case RecordKind::actor:
        return "actors";
    case RecordKind::practice:
        return "practices";
    }
    return "services";
}

PostgresStore::PostgresStore(const std::string& uri, mode m) : m_db(uri), m_writable(m != mode::read_only) {
    if (m_writable) {
        pg::migrate(m_db);
    } else if (const int v = pg::schema_version(m_db); v != latest_schema_version()) {
        if (v > latest_schema_version())
            throw error("registry '" + uri + "' has schema version " + std::to_string(v) +
                        ", newer than this program's " + std::to_string(latest_schema_version()) + ": upgrade enlace");
        throw error("registry '" + uri + "' has schema version " + std::to_string(v) + ", this program needs " +
                    std::to_string(latest_schema_version()) + ": run `enlace init --db " + uri + "`");
    }
}

int PostgresStore::latest_schema_version() { return pg::latest_schema_version(); }
int PostgresStore::schema_version() { return pg::schema_version(m_db); }

std::unique_ptr<ChangeFeed> PostgresStore::change_feed() const { return pg::listen_for_changes(m_db.location()); }

std::unique_ptr<Store> PostgresStore::connect_again(bool writable) const {
    return std::make_unique<PostgresStore>(m_db.location(), writable ? mode::read_write : mode::read_only);
}

pg::Result PostgresStore::run(const std::string& sql, const pg::Params& params) {
    try {
        return m_db.exec(sql, params);
    } catch (...) {
        if (m_transaction == 2 && !m_in_savepoint) rollback();
        throw;
    }
}

void PostgresStore::begin_read() {
    // The snapshot and its revision in one round trip: every read asks for the revision first,
    // and a read-only repeatable-read snapshot cannot see the log grow, so it holds to the end.
    try {
        m_read_revision = retrying_if_lost(m_db, [&] {
            return m_db.script_result("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; " + revision_sql).integer(0, 0);
        });
    } catch (...) {
        m_db.quietly("ROLLBACK"); // the caller ends no snapshot that failed to begin
        throw;
    }
    m_transaction = 1;
}

void PostgresStore::begin_read_at(std::int64_t revision) {
    m_read_revision = revision;
    m_transaction = 1;
    m_db.before_next_statement([this, revision] {
        begin_read();
        if (m_read_revision != revision) throw snapshot_moved();
    });
}

void PostgresStore::end_read() {
    // Never throws: it ends snapshots while a failed read unwinds (Registry::Impl::read).
    m_db.drop_prelude();
    m_transaction = 0;
    if (m_db.transaction_status() == PQTRANS_IDLE) return;
    m_db.quietly("ROLLBACK"); // a read has nothing to commit
}

void PostgresStore::begin_write() {
    if (!m_writable) throw error("registry '" + m_db.location() + "' is open read-only");
    retrying_if_lost(m_db, [&] { m_db.script("BEGIN ISOLATION LEVEL READ COMMITTED"); });
    try {
        m_db.script(writer_lock);
    } catch (...) {
        m_db.quietly("ROLLBACK");
        throw;
    }
    m_transaction = 2;
    m_in_savepoint = false;
    m_bulk = false;
    m_logged = false;
}

void PostgresStore::set_bulk(bool bulk) {
    // Until the transaction ends (SET LOCAL): the next request on this connection has its bound again.
    if (bulk && !m_bulk && m_transaction == 2) {
        try {
            m_db.script(std::string("SET LOCAL statement_timeout = '") + pg::bulk_statement_timeout + "'");
        } catch (...) {
            rollback(); // the caller's batch has not begun: leave no transaction open
            throw;
        }
    }
    m_bulk = bulk;
}

void PostgresStore::commit() {
    try {
        // In the same round trip; PostgreSQL delivers the notice only if the COMMIT succeeds.
        m_db.script(std::exchange(m_logged, false) ? std::string("NOTIFY ") + pg::change_channel + "; COMMIT"
                                                   : std::string("COMMIT"));
    } catch (...) {
        rollback();
        throw;
    }
    m_transaction = 0;
    m_in_savepoint = false;
    // The batch is committed whatever ANALYZE says: fresh statistics are a help, not a condition.
    if (std::exchange(m_bulk, false)) m_db.quietly("ANALYZE");
}

void PostgresStore::rollback() {
    if (m_db.transaction_status() != PQTRANS_IDLE) m_db.quietly("ROLLBACK");
    m_transaction = 0;
    m_in_savepoint = false;
    m_bulk = false;
    m_logged = false;
}

bool PostgresStore::in_write() const {
    const auto status = m_db.transaction_status();
    return m_transaction == 2 && (status == PQTRANS_INTRANS || (m_in_savepoint && status == PQTRANS_INERROR));
}

void PostgresStore::savepoint() {
    run("SAVEPOINT record");
    m_in_savepoint = true;
}

void PostgresStore::release_savepoint() {
    m_in_savepoint = false;
    run("RELEASE SAVEPOINT record");
}

void PostgresStore::rollback_to_savepoint() {
    m_in_savepoint = false;
    if (m_transaction != 2 || m_db.transaction_status() == PQTRANS_IDLE) return;
    try {
        m_db.script("ROLLBACK TO SAVEPOINT record; RELEASE SAVEPOINT record");
    } catch (...) {
        rollback();
    }
}

ReferenceData PostgresStore::load_reference() {
    std::vector<TaxonomyTerm> terms;
    {
        const auto r =
            run("SELECT code, COALESCE(parent, ''), labels, sensitive FROM taxonomy_terms ORDER BY position");
        for (int i = 0; i < r.rows(); ++i)
            terms.push_back({r.text(i, 0), r.text(i, 1), labels_from(r.text(i, 2)), r.boolean(i, 3)});
    }
    std::vector<Country> countries;
    {
        const auto r = run("SELECT alpha2, alpha3, names, west, south, east, north, timezone, outline "
                           "FROM countries ORDER BY position");
        for (int i = 0; i < r.rows(); ++i) {
            countries.push_back({r.text(i, 0),
                                 r.text(i, 1),
                                 labels_from(r.text(i, 2)),
                                 BBox{r.real(i, 3), r.real(i, 4), r.real(i, 5), r.real(i, 6)},
                                 r.text(i, 7),
                                 {}});
            if (!r.is_null(i, 8)) countries.back().outline = outline_from_geojson(nlohmann::json::parse(r.text(i, 8)));
        }
    }
    auto vocabulary = [&](const char* kind) {
        std::vector<Label> out;
        pg::Params p;
        const auto r = run("SELECT code, labels FROM vocabulary WHERE kind = " + p.add(kind) + " ORDER BY position", p);
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.text(i, 0), labels_from(r.text(i, 1))});
        return out;
    };
    return ReferenceData(std::move(terms), std::move(countries), vocabulary("actor_type"), vocabulary("population"),
                         vocabulary("axis"));
}

void PostgresStore::save_reference(const ReferenceData& ref) {
    // Upsert rather than replace: services and practices reference these codes. A term's parent
    // may come after it: the parents are set once every term is in.
    int position = 0;
    for (const auto& t : ref.terms()) {
        pg::Params p;
        run("INSERT INTO taxonomy_terms (code, labels, sensitive, position) VALUES (" + p.add(t.code) + ", " +
                p.add(to_json(t.labels).dump()) + ", " + p.add(t.sensitive) + ", " + p.add(position++) +
                ") ON CONFLICT (code) DO UPDATE SET labels = excluded.labels, sensitive = excluded.sensitive, "
                "position = excluded.position",
            p);
    }
    for (const auto& t : ref.terms()) {
        pg::Params p;
        run("UPDATE taxonomy_terms SET parent = NULLIF(" + p.add(t.parent) + ", '') WHERE code = " + p.add(t.code), p);
    }
    position = 0;
    for (const auto& c : ref.countries()) {
        pg::Params p;
        const std::string values = p.add(c.alpha2) + ", " + p.add(c.alpha3) + ", " + p.add(to_json(c.names).dump()) +
                                   ", " + p.add(c.bbox.west) + ", " + p.add(c.bbox.south) + ", " + p.add(c.bbox.east) +
                                   ", " + p.add(c.bbox.north) + ", " + p.add(c.timezone) + ", " + p.add(position++) +
                                   ", " + (c.outline.empty() ? p.add_null() : p.add(to_geojson(c.outline).dump()));
        run("INSERT INTO countries (alpha2, alpha3, names, west, south, east, north, timezone, position, outline) "
            "VALUES (" +
                values +
                ") ON CONFLICT (alpha2) DO UPDATE SET alpha3 = excluded.alpha3, names = excluded.names, "
                "west = excluded.west, south = excluded.south, east = excluded.east, north = excluded.north, "
                "timezone = excluded.timezone, position = excluded.position, outline = excluded.outline",
            p);
    }
    auto vocabulary = [&](const char* kind, const std::vector<Label>& labels) {
        int pos = 0;
        for (const auto& l : labels) {
            pg::Params p;
            run("INSERT INTO vocabulary (kind, code, labels, position) VALUES (" + p.add(kind) + ", " + p.add(l.code) +
                    ", " + p.add(to_json(l.labels).dump()) + ", " + p.add(pos++) +
                    ") ON CONFLICT (kind, code) DO UPDATE SET labels = excluded.labels, position = excluded.position",
                p);
        }
    };
    vocabulary("actor_type", ref.actor_types());
    vocabulary("population", ref.populations());
    vocabulary("axis", ref.axes());
}

std::int64_t PostgresStore::revision() {
    if (m_transaction == 1) return m_read_revision;
    return run(revision_sql).integer(0, 0);
}

std::vector<LoggedChange> PostgresStore::changes_since(std::int64_t revision) {
    pg::Params p;
    const auto r = run("SELECT id, record_table, record_id, COALESCE(last_record_id, record_id) FROM changes "
                       "WHERE id > " +
                           p.add(revision) + " ORDER BY id",
                       p);
    std::vector<LoggedChange> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.integer(i, 0), kind_of_table(r.text(i, 1)), r.integer(i, 2), r.integer(i, 3)});
    return out;
}

std::int64_t PostgresStore::append_change(const ChangeRecord& c) {
    m_logged = true;
    pg::Params p;
    const std::string values =
        p.add(c.at) + ", " + p.add(c.who) + ", " + p.add(c.kind ? table_of(*c.kind) : "reference") + ", " +
        p.add(c.first_id) + ", " + p.add(c.action) + ", " + (c.before.empty() ? p.add_null() : p.add(c.before)) + ", " +
        (c.last_id == c.first_id ? p.add_null() : p.add(c.last_id)) + ", NULLIF(" + p.add(c.comment) +
        ", ''), NULLIF(" + p.add(c.change_set) + "::bigint, 0), NULLIF(" + p.add(c.proposed) + ", '')";
    return run("INSERT INTO changes (id, at, who, record_table, record_id, action, before, last_record_id, comment, "
               "change_set, proposed) VALUES (" +
                   next_id("changes") + ", " + values + ") RETURNING id",
               p)
        .integer(0, 0);
}

std::vector<HistoryRow> PostgresStore::history(RecordKind kind, std::int64_t id) {
    // The record's own rows, and the row of the run of records a batch created that holds it.
    pg::Params p;
    const std::string table = p.add(table_of(kind)), record = p.add(id) + "::bigint";
    const auto r =
        run("SELECT id, at, who, action, COALESCE(before, ''), after, COALESCE(comment, ''), COALESCE(proposed, ''), "
            "COALESCE(change_set, 0) FROM changes WHERE record_table = " +
                table + " AND record_id = " + record +
                " UNION ALL SELECT id, at, who, action, '', NULL, '', '', COALESCE(change_set, 0) FROM changes "
                "WHERE record_table = " +
                table + " AND last_record_id IS NOT NULL AND record_id < " + record +
                " AND last_record_id >= " + record + " ORDER BY 1",
            p);
    std::vector<HistoryRow> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.optional_text(i, 5),
                       r.text(i, 6), r.text(i, 7), r.integer(i, 8)});
    return out;
}

std::string PostgresStore::editors_text(const std::vector<std::string>& editors) {
    return nlohmann::json(editors).dump();
}

std::vector<std::string> PostgresStore::editors_of(const std::string& text) {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    std::vector<std::string> out;
    if (doc.is_array())
        for (const auto& e : doc)
            if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
}

namespace {

constexpr const char* service_record_columns =
    "doc, created_at, updated_at, version, deleted, editors, review_status, public_lon, public_lat, coarsened, "
    "visibility";

/// The record of row `row`, whose columns from `first` on are service_record_columns (a service)
/// or their first seven (another kind).
StoredRecord stored_record_of(const pg::Result& r, int row, int first, RecordKind kind) {
    StoredRecord out{r.text(row, first),
                     r.text(row, first + 1),
                     r.text(row, first + 2),
                     std::nullopt,
                     false,
                     Visibility::public_,
                     {}};
    out.state.version = r.integer(row, first + 3);
    out.state.deleted = r.boolean(row, first + 4);
    out.state.editors = PostgresStore::editors_of(r.text(row, first + 5));
    if (kind != RecordKind::actor)
        out.state.review_status = parse_review_status(r.text(row, first + 6)).value_or(ReviewStatus::draft);
    if (kind == RecordKind::service) {
        if (!r.is_null(row, first + 7)) out.public_point = GeoPoint{r.real(row, first + 7), r.real(row, first + 8)};
        out.coarsened = r.boolean(row, first + 9);
        out.visibility = r.text(row, first + 10) == "public" ? Visibility::public_ : Visibility::restricted;
    }
    return out;
}

} // namespace

std::optional<StoredRecord> PostgresStore::record(RecordKind kind, std::int64_t id) {
    pg::Params p;
    const std::string where = " WHERE id = " + p.add(id);
    const auto r = kind == RecordKind::service
                       ? run(std::string("SELECT ") + service_record_columns + " FROM services" + where, p)
                       : run(std::string("SELECT doc, created_at, updated_at, version, deleted, editors, ") +
                                 (kind == RecordKind::practice ? "review_status" : "'published'") + " FROM " +
                                 table_of(kind) + where,
                             p);
    if (r.empty()) return std::nullopt;
    return stored_record_of(r, 0, 0, kind);
}

std::vector<std::pair<std::int64_t, StoredRecord>> PostgresStore::services(const std::vector<std::int64_t>& ids) {
    std::vector<std::pair<std::int64_t, StoredRecord>> out;
    if (ids.empty()) return out;
    pg::Params p;
    const std::string rows = std::string("id, ") + service_record_columns + " FROM services WHERE id = ANY(" +
                             p.add_ids(ids) + "::bigint[])";
    auto snapshot = m_db.take_prelude();
    // A snapshot at a followed revision, not begun yet (begin_read_at): the log's revision and the
    // records come in one statement, which reads one snapshot of its own. The round trips to
    // begin and end a transaction would triple the cost of a page whose records are not cached.
    const auto r = run(snapshot ? "SELECT (" + revision_sql + "), " + rows : "SELECT " + rows, p);
    const int first = snapshot ? 1 : 0; // the id's column
    if (snapshot) {
        if (r.empty()) { // nothing tells the revision: begin the snapshot, and read in it
            snapshot();
            return services(ids);
        }
        if (r.integer(0, 0) != m_read_revision) throw snapshot_moved();
        m_db.before_next_statement(std::move(snapshot)); // the read's next statement begins it
    }
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row)
        out.emplace_back(r.integer(row, first), stored_record_of(r, row, first + 1, RecordKind::service));
    return out;
}

bool PostgresStore::exists(RecordKind kind, std::int64_t id) {
    pg::Params p;
    return !run(std::string("SELECT 1 FROM ") + table_of(kind) + " WHERE id = " + p.add(id) + " AND NOT deleted", p)
                .empty();
}

std::vector<std::pair<RecordKind, std::int64_t>> PostgresStore::linked_from(RecordKind kind, std::int64_t id) {
    std::vector<std::pair<RecordKind, std::int64_t>> out;
    const auto collect = [&](RecordKind from, const std::string& before_id, const std::string& after_id) {
        pg::Params p;
        const auto r = run(before_id + p.add(id) + after_id, p);
        for (int i = 0; i < r.rows(); ++i)
            out.emplace_back(from, r.integer(i, 0));
    };
    if (kind == RecordKind::actor) {
        collect(RecordKind::service,
                "SELECT id FROM services WHERE actor_id = ", " AND NOT deleted ORDER BY id LIMIT 20");
        collect(RecordKind::practice,
                "SELECT l.practice_id FROM practice_actors l JOIN practices p ON p.id = l.practice_id "
                "WHERE l.actor_id = ",
                " AND NOT p.deleted ORDER BY 1 LIMIT 20");
    } else if (kind == RecordKind::service) {
        collect(RecordKind::practice,
                "SELECT l.practice_id FROM practice_services l JOIN practices p ON p.id = l.practice_id "
                "WHERE l.service_id = ",
                " AND NOT p.deleted ORDER BY 1 LIMIT 20");
    }
    return out;
}

std::optional<PendingRevision> PostgresStore::pending_revision(RecordKind kind, std::int64_t id) {
    pg::Params p;
    const auto r = run("SELECT doc, state, editors, comment, base_version, created_at, updated_at "
                       "FROM pending_revisions WHERE record_table = " +
                           p.add(table_of(kind)) + " AND record_id = " + p.add(id),
                       p);
    if (r.empty()) return std::nullopt;
    return PendingRevision{r.text(0, 0),
                           parse_review_status(r.text(0, 1)).value_or(ReviewStatus::draft),
                           editors_of(r.text(0, 2)),
                           r.text(0, 3),
                           r.integer(0, 4),
                           r.text(0, 5),
                           r.text(0, 6)};
}

void PostgresStore::put_pending_revision(RecordKind kind, std::int64_t id, const PendingRevision& rev) {
    pg::Params p;
    const std::string values = p.add(table_of(kind)) + ", " + p.add(id) + ", " + p.add(to_string(rev.state)) + ", " +
                               p.add(rev.doc) + ", " + p.add(editors_text(rev.editors)) + ", " + p.add(rev.comment) +
                               ", " + p.add(rev.base_version) + ", " + p.add(rev.created_at) + ", " +
                               p.add(rev.updated_at);
    run("INSERT INTO pending_revisions (record_table, record_id, state, doc, editors, comment, base_version, "
        "created_at, updated_at) VALUES (" +
            values +
            ") ON CONFLICT (record_table, record_id) DO UPDATE SET state = excluded.state, doc = excluded.doc, "
            "editors = excluded.editors, comment = excluded.comment, updated_at = excluded.updated_at",
        p);
}

void PostgresStore::drop_pending_revision(RecordKind kind, std::int64_t id) {
    pg::Params p;
    run("DELETE FROM pending_revisions WHERE record_table = " + p.add(table_of(kind)) + " AND record_id = " + p.add(id),
        p);
}

std::vector<std::pair<RecordKind, std::int64_t>> PostgresStore::in_review() {
    const auto r = run("SELECT 'services' COLLATE \"C\", id FROM services WHERE review_status = 'in_review' AND NOT "
                       "deleted UNION SELECT 'practices', id FROM practices WHERE review_status = 'in_review' AND "
                       "NOT deleted UNION SELECT record_table, record_id FROM pending_revisions "
                       "WHERE state = 'in_review' ORDER BY 1, 2");
    std::vector<std::pair<RecordKind, std::int64_t>> out;
    for (int i = 0; i < r.rows(); ++i)
        if (auto kind = kind_of_table(r.text(i, 0))) out.emplace_back(*kind, r.integer(i, 1));
    return out;
}

std::optional<std::int64_t> PostgresStore::find_id(RecordKind kind, const RecordKey& key) {
    pg::Params p;
    const auto r = run(std::string("SELECT id FROM ") + table_of(kind) + " WHERE source = " + p.add(key.source) +
                           " AND source_id = " + p.add(key.source_id),
                       p);
    if (r.empty()) return std::nullopt;
    return r.integer(0, 0);
}

void PostgresStore::records_of_source(RecordKind kind, const std::string& source,
                                      const std::function<void(std::int64_t, const std::string&)>& each) {
    pg::Params p;
    const auto r = run(std::string("SELECT id, source_id FROM ") + table_of(kind) + " WHERE source = " + p.add(source) +
                           " AND NOT deleted ORDER BY source_id",
                       p);
    for (int i = 0; i < r.rows(); ++i)
        each(r.integer(i, 0), r.text(i, 1));
}

std::int64_t PostgresStore::count_of_source(RecordKind kind, const std::string& source) {
    pg::Params p;
    return run(std::string("SELECT count(*) FROM ") + table_of(kind) + " WHERE source = " + p.add(source) +
                   " AND NOT deleted",
               p)
        .integer(0, 0);
}

std::vector<std::int64_t> PostgresStore::visible_services(const std::vector<std::int64_t>& ids, Audience audience) {
    pg::Params p;
    const auto r = run("SELECT id FROM services WHERE id = ANY(" + p.add_ids(ids) + "::bigint[]) AND " +
                           (audience == Audience::public_ ? "reach = 0" : "reach <= 1"),
                       p);
    std::vector<std::int64_t> seen;
    for (int i = 0; i < r.rows(); ++i)
        seen.push_back(r.integer(i, 0));
    std::sort(seen.begin(), seen.end());
    std::vector<std::int64_t> out; // in the order asked
    for (const auto id : ids)
        if (std::binary_search(seen.begin(), seen.end(), id)) out.push_back(id);
    return out;
}

BackupResult PostgresStore::backup(const std::string&, const BackupOptions&) {
    throw error("registry '" + m_db.location() +
                "' is a PostgreSQL database: back it up with pg_dump (docs/deploy.md, \"Backups\"), not "
                "`enlace backup`");
}

} // namespace enlace::core::detail
