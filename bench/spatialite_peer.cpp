#include "spatialite_peer.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace enlace::bench {
namespace {

// The points a default public nearest query may return: public, sited, active or temporarily
// closed services, at their public (possibly coarsened) point. Same ids as the registry.
constexpr const char* public_points = "FROM r.services WHERE visibility = 'public' AND lon IS NOT NULL "
                                      "AND status IN ('active', 'temporarily_closed')";

void check(sqlite3* db, int rc, const std::string& what) {
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        throw std::runtime_error("SpatiaLite peer: " + what + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "?";
        sqlite3_free(message);
        throw std::runtime_error("SpatiaLite peer: " + sql.substr(0, 60) + ": " + text);
    }
}

/// ATTACH with the path bound, not spliced into the SQL text.
void attach_registry(sqlite3* db, const std::string& path) {
    sqlite3_stmt* stmt = nullptr;
    check(db, sqlite3_prepare_v2(db, "ATTACH DATABASE ? AS r", -1, &stmt, nullptr), "ATTACH");
    sqlite3_bind_text(stmt, 1, path.c_str(), -1, SQLITE_TRANSIENT);
    const int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    check(db, rc, "ATTACH " + path);
}

std::int64_t single_int(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    check(db, sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), sql);
    const int rc = sqlite3_step(stmt);
    const std::int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    check(db, rc, sql);
    return value;
}

sqlite3* open_spatialite(const std::string& path, int flags) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw std::runtime_error("SpatiaLite peer: cannot open " + path + ": " + message);
    }
    sqlite3_enable_load_extension(db, 1);
    char* message = nullptr;
    if (sqlite3_load_extension(db, "mod_spatialite", nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "?";
        sqlite3_free(message);
        sqlite3_close(db);
        throw std::runtime_error("cannot load mod_spatialite (install libsqlite3-mod-spatialite): " + text);
    }
    return db;
}

} // namespace

double SpatialitePeer::ensure(const std::string& peer_path, const std::string& registry_path) {
    sqlite3* probe = open_spatialite(":memory:", SQLITE_OPEN_READWRITE);
    attach_registry(probe, registry_path);
    const std::int64_t expected = single_int(probe, std::string("SELECT count(*) ") + public_points);
    sqlite3_close(probe);
    if (std::filesystem::exists(peer_path)) {
        SpatialitePeer existing(peer_path);
        if (existing.size() == expected) return 0;
    }

    const auto start = std::chrono::steady_clock::now();
    const std::string partial = peer_path + ".partial";
    std::filesystem::remove(partial);
    sqlite3* db = open_spatialite(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    try {
        // A scratch file rebuilt on demand: no journal, no fsync.
        exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144");
        exec(db, "SELECT InitSpatialMetadata(1)");
        exec(db, "CREATE TABLE peer (fid INTEGER PRIMARY KEY)");
        exec(db, "SELECT AddGeometryColumn('peer', 'geom', 4326, 'POINT', 'XY')");
        attach_registry(db, registry_path);
        exec(db,
             std::string("BEGIN; INSERT INTO peer (fid, geom) SELECT id, MakePoint(public_lon, public_lat, 4326) ") +
                 public_points + "; COMMIT");
        exec(db, "DETACH DATABASE r");
        // Created after the rows: SpatiaLite fills the R*Tree from the table in one pass.
        exec(db, "SELECT CreateSpatialIndex('peer', 'geom')");
        if (single_int(db, "SELECT count(*) FROM idx_peer_geom") != expected)
            throw std::runtime_error("SpatiaLite peer: the spatial index does not hold every point");
    } catch (...) {
        sqlite3_close(db);
        throw;
    }
    sqlite3_close(db);
    std::filesystem::rename(partial, peer_path);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

SpatialitePeer::SpatialitePeer(const std::string& peer_path) : m_db(open_spatialite(peer_path, SQLITE_OPEN_READONLY)) {
    // A LIMIT clause returns no rows from VirtualKNN: max_items sets k.
    const char* sql = "SELECT fid, distance FROM KNN WHERE f_table_name = 'peer' "
                      "AND ref_geometry = MakePoint(?, ?, 4326) AND max_items = ?";
    if (sqlite3_prepare_v2(m_db, sql, -1, &m_knn, nullptr) != SQLITE_OK) {
        const std::string message = sqlite3_errmsg(m_db);
        sqlite3_close(m_db);
        throw std::runtime_error("SpatiaLite peer: " + message);
    }
}

SpatialitePeer::~SpatialitePeer() {
    sqlite3_finalize(m_knn);
    sqlite3_close(m_db);
}

std::vector<PeerHit> SpatialitePeer::nearest(const core::GeoPoint& point, int k) {
    sqlite3_reset(m_knn);
    sqlite3_bind_double(m_knn, 1, point.lon);
    sqlite3_bind_double(m_knn, 2, point.lat);
    sqlite3_bind_int(m_knn, 3, k);
    std::vector<PeerHit> hits;
    int rc;
    while ((rc = sqlite3_step(m_knn)) == SQLITE_ROW)
        hits.push_back({sqlite3_column_int64(m_knn, 0), sqlite3_column_double(m_knn, 1)});
    check(m_db, rc, "KNN query");
    return hits;
}

std::int64_t SpatialitePeer::size() { return single_int(m_db, "SELECT count(*) FROM peer"); }

} // namespace enlace::bench
