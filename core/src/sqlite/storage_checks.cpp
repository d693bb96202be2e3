// The storage checks of `enlace check`: the schema version, SQLite's own integrity and foreign key
// checks, every R*Tree's structure, the site trees' rows against the services they index, who may
// see each service, and the reference codes the records use.
#include "storage_checks.hpp"

#include "enlace/core/point_rtree.hpp"
#include "schema.hpp"

#include <algorithm>
#include <functional>
#include <sstream>

namespace enlace::core::detail {
namespace {

/// Runs one check into the report: a check that fails to run (a damaged file) says so as its
/// problem, and the others still run.
void run_check(CheckReport& report, std::string name, const std::function<void(CheckResult&)>& body) {
    CheckResult result;
    result.name = std::move(name);
    try {
        body(result);
    } catch (const std::exception& e) {
        result.add(std::string("could not run: ") + e.what());
    }
    report.checks.push_back(std::move(result));
}

void skip(CheckReport& report, std::string name, std::string why) {
    CheckResult result;
    result.name = std::move(name);
    result.skipped = std::move(why);
    report.checks.push_back(std::move(result));
}

std::string text_or_null(const sqlite::Statement& stmt, int column) {
    return stmt.is_null(column) ? "NULL" : stmt.column_text(column);
}

void check_schema_version(sqlite::Database& db, CheckResult& r) {
    const int found = schema_version(db), wanted = latest_schema_version();
    r.covered = "version " + std::to_string(found) + ", this program's";
    if (found < wanted)
        r.add("the file has schema version " + std::to_string(found) + ", this program " + std::to_string(wanted) +
              ": `enlace init --db " + db.path() + "` migrates it (back it up first)");
    else if (found > wanted)
        r.add("the file has schema version " + std::to_string(found) + ", newer than this program's " +
              std::to_string(wanted) + ": check it with the enlace that wrote it");
}

void check_integrity(sqlite::Database& db, CheckResult& r) {
    r.covered = "PRAGMA integrity_check: every page, table, index and constraint";
    sqlite::Statement stmt(db, "PRAGMA integrity_check");
    while (stmt.step()) {
        std::istringstream lines(stmt.column_text(0)); // a row may hold several lines
        for (std::string line; std::getline(lines, line);)
            if (line != "ok" && line != "*** in database main ***") r.add(line);
    }
}

void check_foreign_keys(sqlite::Database& db, CheckResult& r) {
    r.covered = "PRAGMA foreign_key_check: every reference between tables";
    sqlite::Statement stmt(db, "PRAGMA foreign_key_check");
    while (stmt.step())
        r.add(stmt.column_text(0) + (stmt.is_null(1) ? " (a row)" : " rowid " + stmt.column_text(1)) +
              " refers to a missing " + stmt.column_text(2) + " row");
}

/// Every R*Tree of the schema, by name.
std::vector<std::string> rtree_tables(sqlite::Database& db) {
    sqlite::Statement stmt(db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                               "AND sql LIKE 'CREATE VIRTUAL TABLE % USING rtree%' ORDER BY name");
    std::vector<std::string> names;
    while (stmt.step())
        names.push_back(stmt.column_text(0));
    return names;
}

void check_rtree_structure(sqlite::Database& db, const std::string& table, CheckResult& r) {
    r.covered = "rtreecheck(): its nodes, parents and rowids agree, each box inside its parent's";
    sqlite::Statement stmt(db, "SELECT rtreecheck(?)");
    stmt.bind(1, table);
    std::istringstream lines(stmt.step() ? stmt.column_text(0) : "no answer");
    for (std::string line; std::getline(lines, line);)
        if (line != "ok") r.add(table + ": " + line);
}

/// A site tree and the services columns of the point it holds.
struct SiteTree {
    const char* table;
    const char* lon;
    const char* lat;
    const char* point; // in messages
};
constexpr SiteTree site_trees[] = {
    {"service_public_sites", "public_lon", "public_lat", "public point"},
    {"service_exact_sites", "lon", "lat", "exact point"},
};

bool holds(const RtreeInterval& interval, double min, double max) {
    return static_cast<double>(interval.low) == min && static_cast<double>(interval.high) == max;
}

/// One row for each service with a site (deleted ones too: they keep theirs to be restored), at
/// its point as SQLite stores it, and no row without one.
void check_site_rows(sqlite::Database& db, const SiteTree& tree, CheckResult& r) {
    const std::string table = tree.table;
    sqlite::Statement missing(db, "SELECT s.id FROM services s WHERE s.lon IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " +
                                      table + " r WHERE r.id = s.id) ORDER BY s.id");
    while (missing.step())
        r.add("services id " + missing.column_text(0) + " has a site but no row in " + table);
    sqlite::Statement orphans(db, "SELECT r.id FROM " + table + " r WHERE NOT EXISTS (SELECT 1 FROM services s WHERE " +
                                      "s.id = r.id AND s.lon IS NOT NULL) ORDER BY r.id");
    while (orphans.step())
        r.add(table + " id " + orphans.column_text(0) + " has no service with a site");
    sqlite::Statement boxes(db, std::string("SELECT s.id, s.") + tree.lon + ", s." + tree.lat +
                                    ", r.min_lon, r.max_lon, r.min_lat, r.max_lat FROM services s JOIN " + table +
                                    " r ON r.id = s.id WHERE s.lon IS NOT NULL ORDER BY s.id");
    std::int64_t rows = 0;
    while (boxes.step()) {
        ++rows;
        const auto id = boxes.column_text(0);
        if (boxes.is_null(1) || boxes.is_null(2)) {
            r.add("services id " + id + " has a site but no " + tree.point);
            continue;
        }
        const double lon = boxes.column_double(1), lat = boxes.column_double(2);
        if (!holds(rtree_interval(lon), boxes.column_double(3), boxes.column_double(4)) ||
            !holds(rtree_interval(lat), boxes.column_double(5), boxes.column_double(6))) {
            std::ostringstream problem;
            problem.precision(9);
            problem << table << " id " << id << " has the box lon " << boxes.column_double(3) << ".."
                    << boxes.column_double(4) << ", lat " << boxes.column_double(5) << ".." << boxes.column_double(6)
                    << ", not the " << tree.point << " (" << lon << ", " << lat << ") of services id " << id;
            r.add(problem.str());
        }
    }
    r.covered = std::to_string(rows) + " services with a site, each with one row at its " + tree.point;
}

/// `reach` is what every query filters on (0 the public, 1 readers in scope, 2 nobody): a wrong
/// one would show a restricted or deleted service to the public, or hide a published one.
void check_reach(sqlite::Database& db, CheckResult& r) {
    const char* expected = "CASE WHEN deleted <> 0 THEN 2 WHEN visibility = 'public' AND review_status = 'published' "
                           "THEN 0 ELSE 1 END";
    sqlite::Statement wrong(db, std::string("SELECT id, reach, ") + expected + " FROM services WHERE reach IS NOT " +
                                    expected + " ORDER BY id");
    while (wrong.step())
        r.add("services id " + wrong.column_text(0) + " has reach " + text_or_null(wrong, 1) + ", its visibility, " +
              "review status and deletion say " + wrong.column_text(2));
    sqlite::Statement count(db, "SELECT count(*) FROM services");
    r.covered = std::to_string(count.step() ? count.column_int(0) : 0) +
                " services, each seen by whom its visibility, review status and deletion say";
}

/// A code column of a record or link table, and the reference codes it must be one of.
struct CodeUse {
    const char* table;
    const char* record; // the record table its id column names, for messages
    const char* id;
    const char* code;
    const char* what;
    const char* known; // SELECT of the known codes
};
constexpr const char* known_countries = "SELECT alpha2 FROM countries";
constexpr const char* known_types = "SELECT code FROM taxonomy_terms";
constexpr CodeUse code_uses[] = {
    {"services", "services", "id", "country", "country", known_countries},
    {"service_types", "services", "service_id", "code", "service type", known_types},
    {"service_populations", "services", "service_id", "population", "population",
     "SELECT code FROM vocabulary WHERE kind = 'population'"},
    {"service_area_countries", "services", "service_id", "country", "service area country", known_countries},
    {"actors", "actors", "id", "actor_type", "actor type", "SELECT code FROM vocabulary WHERE kind = 'actor_type'"},
    {"actor_countries", "actors", "actor_id", "country", "country", known_countries},
    {"practice_countries", "practices", "practice_id", "country", "country", known_countries},
    {"practice_types", "practices", "practice_id", "code", "service type", known_types},
    {"practice_axes", "practices", "practice_id", "CAST(axis AS TEXT)", "axis",
     "SELECT code FROM vocabulary WHERE kind = 'axis'"},
    {"taxonomy_terms", "taxonomy_terms", "code", "parent", "parent term", known_types},
};

void check_reference_codes(sqlite::Database& db, CheckResult& r) {
    for (const char* table : {"countries", "taxonomy_terms", "vocabulary"}) {
        sqlite::Statement any(db, std::string("SELECT 1 FROM ") + table + " LIMIT 1");
        if (!any.step()) r.add(std::string(table) + " is empty: `enlace init` loads the reference data");
    }
    for (const auto& use : code_uses) {
        sqlite::Statement unknown(db, std::string("SELECT ") + use.id + ", " + use.code + " FROM " + use.table +
                                          " WHERE " + use.code + " IS NOT NULL AND " + use.code + " NOT IN (" +
                                          use.known + ") ORDER BY " + use.id);
        while (unknown.step()) {
            const std::string where =
                std::string(use.table) == use.record
                    ? std::string(use.table) + " id " + unknown.column_text(0)
                    : std::string(use.table) + ": " + use.record + " id " + unknown.column_text(0);
            r.add(where + " has the unknown " + use.what + " '" + unknown.column_text(1) + "'");
        }
    }
    r.covered = "every country, service type, population, actor type and axis the records use is in the "
                "reference tables";
}

} // namespace

bool check_storage(const std::string& path, CheckReport& report) {
    sqlite::Database db(path, sqlite::open_mode::read_only);
    // One snapshot for every check, however others write meanwhile.
    sqlite::Transaction snapshot(db, sqlite::Transaction::kind::deferred);
    bool current = false;
    run_check(report, "schema version", [&](CheckResult& r) {
        check_schema_version(db, r);
        current = r.ok();
    });
    run_check(report, "integrity", [&](CheckResult& r) { check_integrity(db, r); });
    run_check(report, "foreign keys", [&](CheckResult& r) { check_foreign_keys(db, r); });
    std::vector<std::string> rtrees;
    run_check(report, "R*Tree tables", [&](CheckResult& r) {
        rtrees = rtree_tables(db);
        r.covered = std::to_string(rtrees.size()) + " R*Tree tables in the schema";
        for (const auto& tree : site_trees)
            if (std::find(rtrees.begin(), rtrees.end(), tree.table) == rtrees.end())
                r.add(std::string("the R*Tree ") + tree.table + " is missing from the schema");
    });
    for (const auto& table : rtrees)
        run_check(report, "R*Tree " + table, [&](CheckResult& r) { check_rtree_structure(db, table, r); });
    const std::string stale = "not run: the schema version is not this program's";
    for (const auto& tree : site_trees) {
        const std::string name = std::string(tree.table) + " rows";
        if (current)
            run_check(report, name, [&](CheckResult& r) { check_site_rows(db, tree, r); });
        else
            skip(report, name, stale);
    }
    if (current) {
        run_check(report, "who sees each service", [&](CheckResult& r) { check_reach(db, r); });
        run_check(report, "reference data", [&](CheckResult& r) { check_reference_codes(db, r); });
    } else {
        skip(report, "who sees each service", stale);
        skip(report, "reference data", stale);
    }
    return current; // the snapshot ends by a rollback: nothing was written
}

} // namespace enlace::core::detail
