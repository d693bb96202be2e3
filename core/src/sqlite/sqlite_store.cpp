// The SQLite store: opening and migrating the file, transactions, reference data, the change log
// (the audit trail's rows, whose ids are the revisions) and record lookups.
#include "sqlite_store.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"
#include "json_reader.hpp"
#include "schema.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace enlace::core::detail {
namespace {

sqlite::open_mode to_open_mode(SqliteStore::mode m) {
    switch (m) {
    case SqliteStore::mode::read_only:
        return sqlite::open_mode::read_only;
    case SqliteStore::mode::read_write:
        return sqlite::open_mode::read_write;
    case SqliteStore::mode::create:
        return sqlite::open_mode::create;
    }
    return sqlite::open_mode::read_only;
}

LocalizedText labels_from(const std::string& text) {
    JsonReader in(true);
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    return doc.is_discarded() ? LocalizedText{} : in.localized(nlohmann::json{{"l", doc}}, "l", "labels");
}

/// The audit trail names tables as the first schema did; a reference change names none.
std::optional<RecordKind> kind_of_table(const std::string& table) {
    if (table == "services") return RecordKind::service;
    if (table == "actors") return RecordKind::actor;
    if (table == "practices") return RecordKind::practice;
    return std::nullopt;
}

} // namespace

const char* SqliteStore::table_of(RecordKind kind) {
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

SqliteStore::SqliteStore(const std::string& path, mode m)
    : m_db(path, to_open_mode(m)), m_writable(m != mode::read_only) {
    // A file from a newer program is refused before anything (such as WAL mode) changes it.
    if (const int v = detail::schema_version(m_db); v > latest_schema_version())
        throw error("registry '" + path + "' has schema version " + std::to_string(v) + ", newer than this program's " +
                    std::to_string(latest_schema_version()) + ": upgrade enlace");
    configure_connection(m_db, m_writable);
    if (m_writable) {
        migrate(m_db, latest_schema_version());
    } else if (const int v = detail::schema_version(m_db); v != latest_schema_version()) {
        throw error("registry '" + path + "' has schema version " + std::to_string(v) + ", this program needs " +
                    std::to_string(latest_schema_version()) + ": run `enlace init --db " + path + "`");
    }
    create_vocabularies();
}

int SqliteStore::latest_schema_version() { return detail::latest_schema_version(); }
int SqliteStore::schema_version() { return detail::schema_version(m_db); }

std::unique_ptr<Store> SqliteStore::connect_again(bool writable) const {
    if (!std::filesystem::exists(m_db.path())) throw error("registry '" + m_db.path() + "' does not exist any more");
    return std::make_unique<SqliteStore>(m_db.path(), writable ? mode::read_write : mode::read_only);
}

sqlite::Statement& SqliteStore::prepare(const std::string& sql) {
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) it = m_statements.emplace(sql, sqlite::Statement(m_db, sql)).first;
    it->second.reset();
    return it->second;
}

void SqliteStore::reset_statements() {
    for (auto& [sql, statement] : m_statements)
        statement.reset();
}

void SqliteStore::begin_read() {
    reset_statements();
    prepare("BEGIN DEFERRED").run();
    m_transaction = 1;
}

void SqliteStore::end_read() {
    reset_statements();
    m_transaction = 0;
    if (!m_db.in_transaction()) return;
    // Never throws: it ends snapshots while a failed read unwinds (Registry::Impl::read), where a
    // second exception would end the process. A read has nothing to commit: a COMMIT that fails
    // (after a damaged page was read) is rolled back instead.
    try {
        prepare("COMMIT").run();
    } catch (const std::exception&) {
        m_db.exec_quietly("ROLLBACK");
    }
}

void SqliteStore::begin_write() {
    if (!m_writable) throw error("registry '" + m_db.path() + "' is open read-only");
    reset_statements();
    m_db.exec("BEGIN IMMEDIATE");
    m_transaction = 2;
}

void SqliteStore::commit() {
    try {
        write_deferred();
        reset_statements();
        m_db.exec("COMMIT");
    } catch (...) {
        rollback();
        throw;
    }
    m_transaction = 0;
    m_bulk = false;
}

void SqliteStore::rollback() {
    m_pending_sites.clear();
    reset_statements();
    if (m_db.in_transaction()) m_db.exec_quietly("ROLLBACK");
    m_transaction = 0;
    m_bulk = false;
}

void SqliteStore::savepoint() {
    reset_statements();
    m_db.exec("SAVEPOINT record");
}

void SqliteStore::release_savepoint() {
    reset_statements();
    m_db.exec("RELEASE record");
}

void SqliteStore::rollback_to_savepoint() {
    reset_statements();
    m_db.exec_quietly("ROLLBACK TO record");
    m_db.exec_quietly("RELEASE record");
}

bool SqliteStore::in_write() const { return m_transaction == 2 && m_db.in_transaction(); }

void SqliteStore::write_deferred() {
    if (m_pending_sites.empty()) return;
    // No statement may be left inside an R*Tree while its nodes are rewritten.
    reset_statements();
    m_pending_sites.flush(m_db);
}

void SqliteStore::before_read() {
    if (m_transaction == 2) write_deferred();
}

ReferenceData SqliteStore::load_reference() {
    std::vector<TaxonomyTerm> terms;
    {
        sqlite::Statement stmt(m_db, "SELECT code, parent, labels, sensitive FROM taxonomy_terms ORDER BY position");
        while (stmt.step())
            terms.push_back(
                {stmt.column_text(0), stmt.column_text(1), labels_from(stmt.column_text(2)), stmt.column_int(3) != 0});
    }
    std::vector<Country> countries;
    {
        sqlite::Statement stmt(m_db, "SELECT alpha2, alpha3, names, west, south, east, north, timezone, outline "
                                     "FROM countries ORDER BY position");
        while (stmt.step()) {
            countries.push_back(
                {stmt.column_text(0),
                 stmt.column_text(1),
                 labels_from(stmt.column_text(2)),
                 BBox{stmt.column_double(3), stmt.column_double(4), stmt.column_double(5), stmt.column_double(6)},
                 stmt.column_text(7),
                 {}});
            if (!stmt.is_null(8))
                countries.back().outline = outline_from_geojson(nlohmann::json::parse(stmt.column_text(8)));
        }
    }
    auto vocabulary = [&](const char* kind) {
        std::vector<Label> out;
        sqlite::Statement stmt(m_db, "SELECT code, labels FROM vocabulary WHERE kind = ? ORDER BY position");
        stmt.bind(1, kind);
        while (stmt.step())
            out.push_back({stmt.column_text(0), labels_from(stmt.column_text(1))});
        return out;
    };
    return ReferenceData(std::move(terms), std::move(countries), vocabulary("actor_type"), vocabulary("population"),
                         vocabulary("axis"));
}

void SqliteStore::save_reference(const ReferenceData& ref) {
    // Upsert rather than replace: services and practices reference these codes.
    int position = 0;
    for (const auto& t : ref.terms()) {
        auto& stmt = prepare("INSERT INTO taxonomy_terms (code, parent, labels, sensitive, position) "
                             "VALUES (?, NULLIF(?, ''), ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
                             "parent = excluded.parent, labels = excluded.labels, "
                             "sensitive = excluded.sensitive, position = excluded.position");
        stmt.bind(1, t.code)
            .bind(2, t.parent)
            .bind(3, to_json(t.labels).dump())
            .bind(4, t.sensitive ? 1 : 0)
            .bind(5, position++);
        stmt.run();
    }
    position = 0;
    for (const auto& c : ref.countries()) {
        auto& stmt = prepare("INSERT INTO countries (alpha2, alpha3, names, west, south, east, north, timezone, "
                             "position, outline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alpha2) DO "
                             "UPDATE SET alpha3 = excluded.alpha3, names = excluded.names, west = excluded.west, "
                             "south = excluded.south, east = excluded.east, north = excluded.north, "
                             "timezone = excluded.timezone, position = excluded.position, "
                             "outline = excluded.outline");
        stmt.bind(1, c.alpha2)
            .bind(2, c.alpha3)
            .bind(3, to_json(c.names).dump())
            .bind(4, c.bbox.west)
            .bind(5, c.bbox.south)
            .bind(6, c.bbox.east)
            .bind(7, c.bbox.north)
            .bind(8, c.timezone)
            .bind(9, position++);
        if (c.outline.empty())
            stmt.bind_null(10);
        else
            stmt.bind(10, to_geojson(c.outline).dump());
        stmt.run();
    }
    auto vocabulary = [&](const char* kind, const std::vector<Label>& labels) {
        int pos = 0;
        for (const auto& l : labels) {
            auto& stmt = prepare("INSERT INTO vocabulary (kind, code, labels, position) VALUES (?, ?, ?, ?) "
                                 "ON CONFLICT (kind, code) DO UPDATE SET labels = excluded.labels, "
                                 "position = excluded.position");
            stmt.bind(1, kind).bind(2, l.code).bind(3, to_json(l.labels).dump()).bind(4, pos++);
            stmt.run();
        }
    };
    vocabulary("actor_type", ref.actor_types());
    vocabulary("population", ref.populations());
    vocabulary("axis", ref.axes());
}

std::int64_t SqliteStore::revision() {
    auto& stmt = prepare("SELECT COALESCE(max(id), 0) FROM changes");
    const std::int64_t revision = stmt.step() ? stmt.column_int(0) : 0;
    stmt.reset(); // a statement left on a row keeps its read snapshot open past the transaction
    if (revision != m_expansions_revision) {
        m_expansions.clear(); // another revision may hold other words
        m_expansions_revision = revision;
    }
    return revision;
}

std::vector<LoggedChange> SqliteStore::changes_since(std::int64_t revision) {
    std::vector<LoggedChange> out;
    auto& stmt = prepare("SELECT id, record_table, record_id, COALESCE(last_record_id, record_id) FROM changes "
                         "WHERE id > ? ORDER BY id");
    stmt.bind(1, revision);
    while (stmt.step())
        out.push_back({stmt.column_int(0), kind_of_table(stmt.column_text(1)), stmt.column_int(2), stmt.column_int(3)});
    stmt.reset();
    return out;
}

std::int64_t SqliteStore::append_change(const ChangeRecord& c) {
    auto& stmt =
        prepare("INSERT INTO changes (at, who, record_table, record_id, action, before, last_record_id, comment, "
                "change_set, proposed) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, 0), NULLIF(?, ''))");
    stmt.bind(1, c.at)
        .bind(2, c.who)
        .bind(3, c.kind ? table_of(*c.kind) : "reference")
        .bind(4, c.first_id)
        .bind(5, c.action);
    if (c.before.empty())
        stmt.bind_null(6);
    else
        stmt.bind_view(6, c.before);
    if (c.last_id == c.first_id)
        stmt.bind_null(7);
    else
        stmt.bind(7, c.last_id);
    stmt.bind_view(8, c.comment).bind(9, c.change_set).bind_view(10, c.proposed);
    stmt.run();
    return m_db.last_insert_rowid();
}

std::vector<HistoryRow> SqliteStore::history(RecordKind kind, std::int64_t id) {
    std::vector<HistoryRow> out;
    // The record's own rows, and the row of the run of records a batch created that holds it.
    auto& stmt = prepare(
        "SELECT id, at, who, action, COALESCE(before, ''), after, COALESCE(comment, ''), COALESCE(proposed, ''), "
        "COALESCE(change_set, 0) FROM changes WHERE record_table = ?1 AND record_id = ?2 "
        "UNION ALL SELECT id, at, who, action, '', NULL, '', '', COALESCE(change_set, 0) FROM changes "
        "WHERE record_table = ?1 AND last_record_id IS NOT NULL AND record_id < ?2 AND last_record_id >= ?2 ORDER BY "
        "1");
    stmt.bind(1, table_of(kind)).bind(2, id);
    while (stmt.step())
        out.push_back({stmt.column_int(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3),
                       stmt.column_text(4), stmt.column_optional_text(5), stmt.column_text(6), stmt.column_text(7),
                       stmt.column_int(8)});
    stmt.reset();
    return out;
}

std::string SqliteStore::editors_text(const std::vector<std::string>& editors) {
    return nlohmann::json(editors).dump();
}

std::vector<std::string> SqliteStore::editors_of(const std::string& text) {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    std::vector<std::string> out;
    if (doc.is_array())
        for (const auto& e : doc)
            if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
}

std::optional<StoredRecord> SqliteStore::record(RecordKind kind, std::int64_t id) {
    const auto read_state = [&](sqlite::Statement& stmt, int first, StoredRecord& out) {
        out.state.version = stmt.column_int(first);
        out.state.deleted = stmt.column_int(first + 1) != 0;
        out.state.editors = editors_of(stmt.column_text(first + 2));
        if (kind != RecordKind::actor)
            out.state.review_status = parse_review_status(stmt.column_text(first + 3)).value_or(ReviewStatus::draft);
    };
    if (kind != RecordKind::service) {
        auto& stmt = prepare(std::string("SELECT doc, created_at, updated_at, version, deleted, editors") +
                             (kind == RecordKind::practice ? ", review_status" : "") + " FROM " + table_of(kind) +
                             " WHERE id = ?");
        stmt.bind(1, id);
        if (!stmt.step()) return std::nullopt;
        StoredRecord out{stmt.column_text(0),
                         stmt.column_text(1),
                         stmt.column_text(2),
                         std::nullopt,
                         false,
                         Visibility::public_,
                         {}};
        read_state(stmt, 3, out);
        stmt.reset();
        return out;
    }
    auto& stmt = prepare("SELECT doc, created_at, updated_at, public_lon, public_lat, coarsened, visibility, "
                         "version, deleted, editors, review_status FROM services WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    StoredRecord out{stmt.column_text(0),
                     stmt.column_text(1),
                     stmt.column_text(2),
                     std::nullopt,
                     stmt.column_int(5) != 0,
                     stmt.column_text(6) == "public" ? Visibility::public_ : Visibility::restricted,
                     {}};
    if (!stmt.is_null(3)) out.public_point = GeoPoint{stmt.column_double(3), stmt.column_double(4)};
    read_state(stmt, 7, out);
    stmt.reset();
    return out;
}

bool SqliteStore::exists(RecordKind kind, std::int64_t id) {
    auto& stmt = prepare(std::string("SELECT 1 FROM ") + table_of(kind) + " WHERE id = ? AND deleted = 0");
    stmt.bind(1, id);
    const bool found = stmt.step();
    stmt.reset();
    return found;
}

std::vector<std::pair<RecordKind, std::int64_t>> SqliteStore::linked_from(RecordKind kind, std::int64_t id) {
    std::vector<std::pair<RecordKind, std::int64_t>> out;
    const auto collect = [&](RecordKind from, const char* sql) {
        auto& stmt = prepare(sql);
        stmt.bind(1, id);
        while (stmt.step())
            out.emplace_back(from, stmt.column_int(0));
        stmt.reset();
    };
    if (kind == RecordKind::actor) {
        collect(RecordKind::service, "SELECT id FROM services WHERE actor_id = ? AND deleted = 0 ORDER BY id LIMIT 20");
        collect(RecordKind::practice,
                "SELECT l.practice_id FROM practice_actors l JOIN practices p ON p.id = l.practice_id "
                "WHERE l.actor_id = ? AND p.deleted = 0 ORDER BY 1 LIMIT 20");
    } else if (kind == RecordKind::service) {
        collect(RecordKind::practice,
                "SELECT l.practice_id FROM practice_services l JOIN practices p ON p.id = l.practice_id "
                "WHERE l.service_id = ? AND p.deleted = 0 ORDER BY 1 LIMIT 20");
    }
    return out;
}

std::optional<PendingRevision> SqliteStore::pending_revision(RecordKind kind, std::int64_t id) {
    auto& stmt =
        prepare("SELECT doc, state, editors, comment, base_version, created_at, updated_at FROM pending_revisions "
                "WHERE record_table = ? AND record_id = ?");
    stmt.bind(1, table_of(kind)).bind(2, id);
    if (!stmt.step()) return std::nullopt;
    PendingRevision out{stmt.column_text(0),
                        parse_review_status(stmt.column_text(1)).value_or(ReviewStatus::draft),
                        editors_of(stmt.column_text(2)),
                        stmt.column_text(3),
                        stmt.column_int(4),
                        stmt.column_text(5),
                        stmt.column_text(6)};
    stmt.reset();
    return out;
}

void SqliteStore::put_pending_revision(RecordKind kind, std::int64_t id, const PendingRevision& r) {
    auto& stmt =
        prepare("INSERT INTO pending_revisions (record_table, record_id, state, doc, editors, comment, base_version, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_table, record_id) "
                "DO UPDATE SET state = excluded.state, doc = excluded.doc, editors = excluded.editors, "
                "comment = excluded.comment, updated_at = excluded.updated_at");
    stmt.bind(1, table_of(kind))
        .bind(2, id)
        .bind(3, to_string(r.state))
        .bind(4, r.doc)
        .bind(5, editors_text(r.editors))
        .bind(6, r.comment)
        .bind(7, r.base_version)
        .bind(8, r.created_at)
        .bind(9, r.updated_at);
    stmt.run();
}

void SqliteStore::drop_pending_revision(RecordKind kind, std::int64_t id) {
    auto& stmt = prepare("DELETE FROM pending_revisions WHERE record_table = ? AND record_id = ?");
    stmt.bind(1, table_of(kind)).bind(2, id);
    stmt.run();
}

std::vector<std::pair<RecordKind, std::int64_t>> SqliteStore::in_review() {
    std::vector<std::pair<RecordKind, std::int64_t>> out;
    auto& stmt =
        prepare("SELECT 'services', id FROM services WHERE review_status = 'in_review' AND deleted = 0 "
                "UNION SELECT 'practices', id FROM practices WHERE review_status = 'in_review' AND deleted = 0 "
                "UNION SELECT record_table, record_id FROM pending_revisions WHERE state = 'in_review' ORDER BY 1, 2");
    while (stmt.step())
        if (auto kind = kind_of_table(stmt.column_text(0))) out.emplace_back(*kind, stmt.column_int(1));
    stmt.reset();
    return out;
}

std::optional<std::int64_t> SqliteStore::find_id(RecordKind kind, const RecordKey& key) {
    auto& stmt = prepare(std::string("SELECT id FROM ") + table_of(kind) + " WHERE source = ? AND source_id = ?");
    stmt.bind(1, key.source).bind(2, key.source_id);
    if (!stmt.step()) return std::nullopt;
    const std::int64_t id = stmt.column_int(0);
    stmt.reset();
    return id;
}

void SqliteStore::records_of_source(RecordKind kind, const std::string& source,
                                    const std::function<void(std::int64_t, const std::string&)>& each) {
    auto& stmt = prepare(std::string("SELECT id, source_id FROM ") + table_of(kind) +
                         " WHERE source = ? AND deleted = 0 ORDER BY source_id");
    stmt.bind(1, source);
    while (stmt.step())
        each(stmt.column_int(0), stmt.column_text(1));
    stmt.reset();
}

std::int64_t SqliteStore::count_of_source(RecordKind kind, const std::string& source) {
    auto& stmt = prepare(std::string("SELECT count(*) FROM ") + table_of(kind) + " WHERE source = ? AND deleted = 0");
    stmt.bind(1, source);
    stmt.step();
    const std::int64_t n = stmt.column_int(0);
    stmt.reset();
    return n;
}

std::vector<std::int64_t> SqliteStore::visible_services(const std::vector<std::int64_t>& ids, Audience audience) {
    std::vector<std::int64_t> out;
    auto& stmt = prepare(audience == Audience::public_ ? "SELECT 1 FROM services WHERE id = ? AND reach = 0"
                                                       : "SELECT 1 FROM services WHERE id = ? AND reach <= 1");
    for (const auto id : ids) {
        stmt.bind(1, id);
        if (stmt.step()) out.push_back(id);
        stmt.reset();
    }
    return out;
}

} // namespace enlace::core::detail
