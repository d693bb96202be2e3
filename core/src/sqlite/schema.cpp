#include "schema.hpp"

#include "enlace/core/errors.hpp"

#include <array>
#include <string>

namespace enlace::core::detail {
namespace {

// Each entry moves the schema from version i to i + 1. Never edit a released migration: add one.
constexpr std::array<const char*, 11> migrations{
    // 1: reference data, actors, services (with R*Trees and full text), practices.
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('services_rev', 0);

CREATE TABLE countries (
  alpha2 TEXT PRIMARY KEY, alpha3 TEXT NOT NULL UNIQUE, names TEXT NOT NULL,
  west REAL NOT NULL, south REAL NOT NULL, east REAL NOT NULL, north REAL NOT NULL,
  timezone TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE taxonomy_terms (
  code TEXT PRIMARY KEY, parent TEXT REFERENCES taxonomy_terms(code), labels TEXT NOT NULL,
  sensitive INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE vocabulary (
  kind TEXT NOT NULL, code TEXT NOT NULL, labels TEXT NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (kind, code)) WITHOUT ROWID;

CREATE TABLE actors (
  id INTEGER PRIMARY KEY, source TEXT, source_id TEXT, actor_type TEXT NOT NULL,
  doc TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (source, source_id));
CREATE TABLE actor_countries (
  actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
  country TEXT NOT NULL REFERENCES countries(alpha2),
  PRIMARY KEY (actor_id, country)) WITHOUT ROWID;
CREATE VIRTUAL TABLE actor_text USING fts5(name, description, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE services (
  id INTEGER PRIMARY KEY, source TEXT, source_id TEXT,
  actor_id INTEGER REFERENCES actors(id),
  country TEXT NOT NULL REFERENCES countries(alpha2),
  lon REAL, lat REAL, public_lon REAL, public_lat REAL, coarsened INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL, visibility TEXT NOT NULL, age_min INTEGER, age_max INTEGER,
  last_verified TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  doc TEXT NOT NULL,
  UNIQUE (source, source_id),
  CHECK ((lon IS NULL) = (lat IS NULL)));
CREATE INDEX services_country ON services(country, id);
CREATE INDEX services_actor ON services(actor_id);
CREATE TABLE service_types (
  service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  code TEXT NOT NULL REFERENCES taxonomy_terms(code),
  PRIMARY KEY (service_id, code)) WITHOUT ROWID;
CREATE INDEX service_types_code ON service_types(code, service_id);
CREATE TABLE service_populations (
  service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  population TEXT NOT NULL, PRIMARY KEY (service_id, population)) WITHOUT ROWID;
CREATE TABLE service_languages (
  service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  language TEXT NOT NULL, PRIMARY KEY (service_id, language)) WITHOUT ROWID;
CREATE TABLE service_area_countries (
  service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  country TEXT NOT NULL REFERENCES countries(alpha2),
  PRIMARY KEY (service_id, country)) WITHOUT ROWID;
CREATE INDEX service_area_countries_country ON service_area_countries(country, service_id);
-- Public points (coarsened for sensitive types) and exact points, for bounding-box queries.
CREATE VIRTUAL TABLE service_public_sites USING rtree(id, min_lon, max_lon, min_lat, max_lat);
CREATE VIRTUAL TABLE service_exact_sites USING rtree(id, min_lon, max_lon, min_lat, max_lat);
CREATE VIRTUAL TABLE service_text USING fts5(name, description, place, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE practices (
  id INTEGER PRIMARY KEY, source TEXT, source_id TEXT, review_status TEXT NOT NULL,
  year_start INTEGER, year_end INTEGER, doc TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (source, source_id));
CREATE TABLE practice_countries (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  country TEXT NOT NULL REFERENCES countries(alpha2), PRIMARY KEY (practice_id, country)) WITHOUT ROWID;
CREATE TABLE practice_axes (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  axis INTEGER NOT NULL, PRIMARY KEY (practice_id, axis)) WITHOUT ROWID;
CREATE TABLE practice_types (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  code TEXT NOT NULL REFERENCES taxonomy_terms(code), PRIMARY KEY (practice_id, code)) WITHOUT ROWID;
CREATE TABLE practice_actors (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  actor_id INTEGER NOT NULL REFERENCES actors(id), PRIMARY KEY (practice_id, actor_id)) WITHOUT ROWID;
CREATE TABLE practice_services (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  service_id INTEGER NOT NULL REFERENCES services(id), PRIMARY KEY (practice_id, service_id)) WITHOUT ROWID;
CREATE VIRTUAL TABLE practice_text USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
)sql",
    // 2: the audit trail (who changed which record, when, before and after).
    R"sql(
CREATE TABLE changes (
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,
  record_table TEXT NOT NULL, record_id INTEGER NOT NULL, action TEXT NOT NULL,
  before TEXT, after TEXT);
CREATE INDEX changes_record ON changes(record_table, record_id, id);
)sql",
    // 3: country outlines (GeoJSON MultiPolygon), for point-in-country checks and the map.
    R"sql(
ALTER TABLE countries ADD COLUMN outline TEXT;
)sql",
    // 4: services without a site (hotlines), read in id order beside every near query.
    R"sql(
CREATE INDEX services_unsited ON services(id) WHERE lon IS NULL;
)sql",
    // 5: a leaner write path. The services' full-text index keeps no copy of the text and no
    // column sizes (searches match words and never rank): the rows are copied from the old
    // table, which holds exactly what was indexed. Only services with an actor enter the actor
    // index (most imported services have none).
    R"sql(
CREATE VIRTUAL TABLE service_text_v5 USING fts5(name, description, place, content = '', columnsize = 0,
  tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO service_text_v5 (rowid, name, description, place) SELECT rowid, name, description, place FROM service_text;
DROP TABLE service_text;
ALTER TABLE service_text_v5 RENAME TO service_text;
DROP INDEX services_actor;
CREATE INDEX services_actor ON services(actor_id) WHERE actor_id IS NOT NULL;
)sql",
    // 6: one audit row for a run of services a batch created (record_id .. last_record_id).
    R"sql(
ALTER TABLE changes ADD COLUMN last_record_id INTEGER;
CREATE INDEX changes_runs ON changes(record_table, record_id) WHERE last_record_id IS NOT NULL;
)sql",
    // 7: the audit trail is the change log: its ids are the revisions an index follows (what
    // changed after revision N), read through this covering index without the documents. The
    // services revision counter it replaces goes.
    R"sql(
CREATE INDEX changes_log ON changes(id, record_table, record_id, last_record_id);
DELETE FROM meta WHERE key = 'services_rev';
)sql",
    // 8: registry users with one role and their countries, their bearer tokens (only a hash of
    // each secret), and the append-only security log.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, countries TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL, expires_at TEXT NOT NULL, last_used_at TEXT, revoked INTEGER NOT NULL DEFAULT 0);
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE security_log (
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
  subject TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TRIGGER security_log_kept_1 BEFORE UPDATE ON security_log BEGIN SELECT RAISE(ABORT, 'the security log is append-only'); END;
CREATE TRIGGER security_log_kept_2 BEFORE DELETE ON security_log BEGIN SELECT RAISE(ABORT, 'the security log is append-only'); END;
)sql",
    // 9: review and accountability. Every record has a version (its ETag), a soft-delete flag and
    // the writers since it was last published; services gain the review status practices have
    // (existing ones are published) and `reach`, what every query filters on: 0 the public
    // (published, public visibility, not deleted), 1 readers in scope, 2 nobody (deleted). A
    // published record's edit waits as its pending revision. Changes carry their comment, the
    // change set (batch) they belong to, and a pending revision's proposed document.
    R"sql(
ALTER TABLE services ADD COLUMN review_status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE services ADD COLUMN reach INTEGER NOT NULL DEFAULT 0;
UPDATE services SET reach = 1 WHERE visibility <> 'public';
ALTER TABLE services ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE services ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN editors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE actors ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE actors ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actors ADD COLUMN editors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE practices ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE practices ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN editors TEXT NOT NULL DEFAULT '[]';
CREATE INDEX services_in_review ON services(id) WHERE review_status = 'in_review';
CREATE INDEX practices_in_review ON practices(id) WHERE review_status = 'in_review';
CREATE TABLE pending_revisions (
  record_table TEXT NOT NULL, record_id INTEGER NOT NULL, state TEXT NOT NULL, doc TEXT NOT NULL,
  editors TEXT NOT NULL, comment TEXT NOT NULL, base_version INTEGER NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (record_table, record_id)) WITHOUT ROWID;
ALTER TABLE changes ADD COLUMN comment TEXT;
ALTER TABLE changes ADD COLUMN change_set INTEGER;
ALTER TABLE changes ADD COLUMN proposed TEXT;
)sql",
    // 10: problem reports on services (core/include/enlace/core/reports.hpp). Nothing about the
    // reporter is kept, and only the day of each step. A closed report keeps no text (CHECK).
    R"sql(
CREATE TABLE reports (
  id INTEGER PRIMARY KEY, service_id INTEGER NOT NULL REFERENCES services(id),
  reason TEXT NOT NULL, text TEXT, status TEXT NOT NULL,
  filed_on TEXT NOT NULL, triaged_on TEXT, closed_on TEXT,
  CHECK (status IN ('new', 'triaged') OR text IS NULL));
CREATE INDEX reports_service ON reports(service_id, status);
CREATE INDEX reports_status ON reports(status, id);
)sql",
    // 11: the Strategic Plan (strategic_plan.hpp): its structure as loaded, one entry per action
    // and member country (status and version beside the document of actors and notes), and the
    // log of the Plan's changes, append-only like the security log.
    R"sql(
CREATE TABLE plan_structure (id INTEGER PRIMARY KEY CHECK (id = 1), doc TEXT NOT NULL);
CREATE TABLE plan_entries (
  action TEXT NOT NULL, country TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL,
  updated_at TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (action, country)) WITHOUT ROWID;
CREATE INDEX plan_entries_country ON plan_entries(country, status);
CREATE TABLE plan_changes (
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, change TEXT NOT NULL,
  action TEXT NOT NULL, country TEXT NOT NULL, before TEXT, after TEXT, comment TEXT);
CREATE INDEX plan_changes_entry ON plan_changes(action, country, id);
CREATE TRIGGER plan_changes_kept_1 BEFORE UPDATE ON plan_changes BEGIN SELECT RAISE(ABORT, 'the log of the Plan is append-only'); END;
CREATE TRIGGER plan_changes_kept_2 BEFORE DELETE ON plan_changes BEGIN SELECT RAISE(ABORT, 'the log of the Plan is append-only'); END;
)sql",
};

} // namespace

int latest_schema_version() { return static_cast<int>(migrations.size()); }

int schema_version(sqlite::Database& db) {
    sqlite::Statement stmt(db, "PRAGMA user_version");
    return stmt.step() ? static_cast<int>(stmt.column_int(0)) : 0;
}

void migrate(sqlite::Database& db, int target) {
    const int found = schema_version(db);
    if (found > latest_schema_version())
        throw error("registry '" + db.path() + "' has schema version " + std::to_string(found) +
                    ", newer than this program's " + std::to_string(latest_schema_version()) + ": upgrade enlace");
    for (int version = found; version < target; ++version) {
        sqlite::Transaction tx(db);
        db.exec(migrations[static_cast<std::size_t>(version)]);
        db.exec("PRAGMA user_version = " + std::to_string(version + 1));
        tx.commit();
    }
}

void configure_connection(sqlite::Database& db, bool writable) {
    if (writable) db.exec("PRAGMA journal_mode = WAL");
    // Writers (imports) get a large page cache; readers, one per server thread, rely on the
    // system's file cache and a small one each, so that memory does not grow with the threads.
    db.exec(std::string("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; ") +
            (writable ? "PRAGMA cache_size = -32768" : "PRAGMA cache_size = -8192"));
}

} // namespace enlace::core::detail
