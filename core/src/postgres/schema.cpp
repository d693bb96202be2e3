// The PostgreSQL schema and its migrations. The tables mirror the SQLite store's (the same
// columns and link tables), with PostgreSQL's own means where SQLite has extensions: geography
// points with GiST indexes for the sites instead of R*Trees, and a table of folded words instead of
// FTS5 (text_words.cpp). Text columns compare and sort bytewise (COLLATE "C"), as SQLite does,
// whatever the database's locale.
#include "pg_schema.hpp"

#include "enlace/core/errors.hpp"

#include <array>
#include <string>
#include <utility>

namespace enlace::core::detail::pg {
namespace {

/// Each step moves the schema to its version. Never edit a released step: add one. CTEXT stands
/// for bytewise-compared text.
constexpr std::array<std::pair<int, const char*>, 2> migrations{{
    // 10: everything the SQLite schema has at its version 10, in one step.
    {10, R"sql(
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE countries (
  alpha2 CTEXT PRIMARY KEY, alpha3 CTEXT NOT NULL UNIQUE, names CTEXT NOT NULL,
  west double precision NOT NULL, south double precision NOT NULL,
  east double precision NOT NULL, north double precision NOT NULL,
  timezone CTEXT NOT NULL, position integer NOT NULL, outline CTEXT);
CREATE TABLE taxonomy_terms (
  code CTEXT PRIMARY KEY, parent CTEXT REFERENCES taxonomy_terms(code), labels CTEXT NOT NULL,
  sensitive boolean NOT NULL, position integer NOT NULL);
CREATE TABLE vocabulary (
  kind CTEXT NOT NULL, code CTEXT NOT NULL, labels CTEXT NOT NULL, position integer NOT NULL,
  PRIMARY KEY (kind, code));

CREATE TABLE actors (
  id bigint PRIMARY KEY, source CTEXT, source_id CTEXT, actor_type CTEXT NOT NULL,
  doc CTEXT NOT NULL, created_at CTEXT NOT NULL, updated_at CTEXT NOT NULL,
  version bigint NOT NULL DEFAULT 1, deleted boolean NOT NULL DEFAULT false, editors CTEXT NOT NULL DEFAULT '[]',
  UNIQUE (source, source_id));
CREATE TABLE actor_countries (
  actor_id bigint NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
  country CTEXT NOT NULL REFERENCES countries(alpha2),
  PRIMARY KEY (actor_id, country));

-- reach: 0 the public (published, public visibility, not deleted), 1 readers in scope, 2 nobody.
CREATE TABLE services (
  id bigint PRIMARY KEY, source CTEXT, source_id CTEXT,
  actor_id bigint REFERENCES actors(id),
  country CTEXT NOT NULL REFERENCES countries(alpha2),
  lon double precision, lat double precision, public_lon double precision, public_lat double precision,
  coarsened boolean NOT NULL DEFAULT false,
  status CTEXT NOT NULL, visibility CTEXT NOT NULL, age_min integer, age_max integer,
  gender CTEXT NOT NULL DEFAULT 'any', locality CTEXT NOT NULL DEFAULT '',
  last_verified CTEXT, created_at CTEXT NOT NULL, updated_at CTEXT NOT NULL,
  doc CTEXT NOT NULL,
  review_status CTEXT NOT NULL DEFAULT 'published', reach integer NOT NULL DEFAULT 0,
  version bigint NOT NULL DEFAULT 1, deleted boolean NOT NULL DEFAULT false, editors CTEXT NOT NULL DEFAULT '[]',
  -- The points as geography, for what SQL answers with distances and boxes (GiST below).
  site geography(Point, 4326) GENERATED ALWAYS AS (
    CASE WHEN lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END) STORED,
  public_site geography(Point, 4326) GENERATED ALWAYS AS (
    CASE WHEN public_lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(public_lon, public_lat), 4326)::geography END) STORED,
  UNIQUE (source, source_id),
  CHECK ((lon IS NULL) = (lat IS NULL)));
CREATE INDEX services_country ON services(country, id);
CREATE INDEX services_actor ON services(actor_id) WHERE actor_id IS NOT NULL;
CREATE INDEX services_unsited ON services(id) WHERE lon IS NULL;
CREATE INDEX services_reach ON services(reach, id);
CREATE INDEX services_in_review ON services(id) WHERE review_status = 'in_review';
-- Distances (KNN, ST_DWithin) on the sphere, and boxes in longitude and latitude (the planar
-- view of the same points: a box's edges are meridians and parallels, not great circles).
CREATE INDEX services_site ON services USING gist (site);
CREATE INDEX services_public_site ON services USING gist (public_site);
CREATE INDEX services_site_box ON services USING gist ((site::geometry));
CREATE INDEX services_public_site_box ON services USING gist ((public_site::geometry));
CREATE TABLE service_types (
  service_id bigint NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  code CTEXT NOT NULL REFERENCES taxonomy_terms(code),
  PRIMARY KEY (service_id, code));
CREATE INDEX service_types_code ON service_types(code, service_id);
CREATE TABLE service_populations (
  service_id bigint NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  population CTEXT NOT NULL, PRIMARY KEY (service_id, population));
CREATE TABLE service_languages (
  service_id bigint NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  language CTEXT NOT NULL, PRIMARY KEY (service_id, language));
CREATE TABLE service_area_countries (
  service_id bigint NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  country CTEXT NOT NULL REFERENCES countries(alpha2),
  PRIMARY KEY (service_id, country));
CREATE INDEX service_area_countries_country ON service_area_countries(country, service_id);

CREATE TABLE practices (
  id bigint PRIMARY KEY, source CTEXT, source_id CTEXT, review_status CTEXT NOT NULL,
  year_start integer, year_end integer, doc CTEXT NOT NULL,
  created_at CTEXT NOT NULL, updated_at CTEXT NOT NULL,
  version bigint NOT NULL DEFAULT 1, deleted boolean NOT NULL DEFAULT false, editors CTEXT NOT NULL DEFAULT '[]',
  UNIQUE (source, source_id));
CREATE INDEX practices_in_review ON practices(id) WHERE review_status = 'in_review';
CREATE TABLE practice_countries (
  practice_id bigint NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  country CTEXT NOT NULL REFERENCES countries(alpha2), PRIMARY KEY (practice_id, country));
CREATE TABLE practice_axes (
  practice_id bigint NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  axis integer NOT NULL, PRIMARY KEY (practice_id, axis));
CREATE TABLE practice_types (
  practice_id bigint NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  code CTEXT NOT NULL REFERENCES taxonomy_terms(code), PRIMARY KEY (practice_id, code));
CREATE TABLE practice_actors (
  practice_id bigint NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  actor_id bigint NOT NULL REFERENCES actors(id), PRIMARY KEY (practice_id, actor_id));
CREATE TABLE practice_services (
  practice_id bigint NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  service_id bigint NOT NULL REFERENCES services(id), PRIMARY KEY (practice_id, service_id));

-- The full text: each record's words, folded (accents and case) as search words are, so that a
-- word of a search is a prefix range of the index. record_table names the kind.
CREATE TABLE record_words (
  record_table CTEXT NOT NULL, record_id bigint NOT NULL, word CTEXT NOT NULL,
  PRIMARY KEY (record_table, word, record_id));
CREATE INDEX record_words_record ON record_words(record_table, record_id);

-- The change log (the audit trail): its ids are the revisions.
CREATE TABLE changes (
  id bigint PRIMARY KEY, at CTEXT NOT NULL, who CTEXT NOT NULL,
  record_table CTEXT NOT NULL, record_id bigint NOT NULL, action CTEXT NOT NULL,
  before CTEXT, after CTEXT, last_record_id bigint, comment CTEXT, change_set bigint, proposed CTEXT);
CREATE INDEX changes_record ON changes(record_table, record_id, id);
CREATE INDEX changes_runs ON changes(record_table, record_id) WHERE last_record_id IS NOT NULL;

CREATE TABLE pending_revisions (
  record_table CTEXT NOT NULL, record_id bigint NOT NULL, state CTEXT NOT NULL, doc CTEXT NOT NULL,
  editors CTEXT NOT NULL, comment CTEXT NOT NULL, base_version bigint NOT NULL,
  created_at CTEXT NOT NULL, updated_at CTEXT NOT NULL,
  PRIMARY KEY (record_table, record_id));

CREATE TABLE users (
  id bigint PRIMARY KEY, name CTEXT NOT NULL UNIQUE, role CTEXT NOT NULL, countries CTEXT NOT NULL,
  disabled boolean NOT NULL DEFAULT false, created_at CTEXT NOT NULL);
CREATE TABLE tokens (
  id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), secret_hash CTEXT NOT NULL,
  created_at CTEXT NOT NULL, expires_at CTEXT NOT NULL, last_used_at CTEXT, revoked boolean NOT NULL DEFAULT false);
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE security_log (
  id bigint PRIMARY KEY, at CTEXT NOT NULL, who CTEXT NOT NULL, action CTEXT NOT NULL,
  subject CTEXT NOT NULL, detail CTEXT NOT NULL);
CREATE FUNCTION security_log_kept() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN RAISE EXCEPTION 'the security log is append-only'; END$$;
CREATE TRIGGER security_log_kept BEFORE UPDATE OR DELETE ON security_log
  FOR EACH ROW EXECUTE FUNCTION security_log_kept();

-- Problem reports: a closed one keeps no text.
CREATE TABLE reports (
  id bigint PRIMARY KEY, service_id bigint NOT NULL REFERENCES services(id),
  reason CTEXT NOT NULL, text CTEXT, status CTEXT NOT NULL,
  filed_on CTEXT NOT NULL, triaged_on CTEXT, closed_on CTEXT,
  CHECK (status IN ('new', 'triaged') OR text IS NULL));
CREATE INDEX reports_service ON reports(service_id, status);
CREATE INDEX reports_status ON reports(status, id);
)sql"},
    // 11: the Strategic Plan, as in the SQLite schema's step 11.
    {11, R"sql(
CREATE TABLE plan_structure (id integer PRIMARY KEY CHECK (id = 1), doc CTEXT NOT NULL);
CREATE TABLE plan_entries (
  action CTEXT NOT NULL, country CTEXT NOT NULL, status CTEXT NOT NULL, version bigint NOT NULL,
  updated_at CTEXT NOT NULL, doc CTEXT NOT NULL, PRIMARY KEY (action, country));
CREATE INDEX plan_entries_country ON plan_entries(country, status);
CREATE TABLE plan_changes (
  id bigint PRIMARY KEY, at CTEXT NOT NULL, who CTEXT NOT NULL, change CTEXT NOT NULL,
  action CTEXT NOT NULL, country CTEXT NOT NULL, before CTEXT, after CTEXT, comment CTEXT);
CREATE INDEX plan_changes_entry ON plan_changes(action, country, id);
CREATE FUNCTION plan_changes_kept() RETURNS trigger LANGUAGE plpgsql AS
  $$BEGIN RAISE EXCEPTION 'the log of the Plan is append-only'; END$$;
CREATE TRIGGER plan_changes_kept BEFORE UPDATE OR DELETE ON plan_changes
  FOR EACH ROW EXECUTE FUNCTION plan_changes_kept();
)sql"},
}};

/// Any registry's migrations take this lock (a number of its own), so that two processes
/// starting on an empty database do not both create it.
constexpr const char* migration_lock = "SELECT pg_advisory_xact_lock(7365420001)";

std::string with_collation(std::string sql) {
    const std::string token = "CTEXT", text = "text COLLATE \"C\"";
    for (auto at = sql.find(token); at != std::string::npos; at = sql.find(token, at + text.size()))
        sql.replace(at, token.size(), text);
    return sql;
}

} // namespace

int latest_schema_version() { return migrations.back().first; }

int schema_version(Connection& db) {
    const auto table = db.exec("SELECT to_regclass('schema_version') IS NOT NULL");
    if (!table.boolean(0, 0)) return 0;
    const auto found = db.exec("SELECT COALESCE(max(version), 0) FROM schema_version");
    return static_cast<int>(found.integer(0, 0));
}

void migrate(Connection& db) {
    db.script("BEGIN");
    try {
        db.script(migration_lock);
        db.script("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
        const int found = schema_version(db);
        if (found > latest_schema_version())
            throw error("registry '" + db.location() + "' has schema version " + std::to_string(found) +
                        ", newer than this program's " + std::to_string(latest_schema_version()) + ": upgrade enlace");
        for (const auto& step : migrations) {
            if (step.first <= found) continue;
            db.script(with_collation(step.second));
            Params params;
            db.exec("DELETE FROM schema_version");
            db.exec("INSERT INTO schema_version VALUES (" + params.add(step.first) + "::integer)", params);
        }
        db.script("COMMIT");
    } catch (...) {
        db.quietly("ROLLBACK");
        throw;
    }
}

} // namespace enlace::core::detail::pg
