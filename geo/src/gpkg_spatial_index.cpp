#include "gpkg_spatial_index.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/sqlite.hpp"
#include "enlace/geo/errors.hpp"

#include <utility>
#include <vector>

namespace enlace::geo::detail {
namespace {

std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// The triggers of the GeoPackage 1.2 specification (annex F.3) that keep rtree_<t>_<c> in step
// with the table: after an insert, an update of the geometry with the same key (to a geometry,
// or to none), a change of key (with a geometry, or without), and a delete. Written as GDAL 3.6
// writes them, so that a file edited later in QGIS or GDAL keeps its index exact.
std::vector<std::string> trigger_sql(const std::string& table, const std::string& column, const std::string& fid) {
    const std::string t = quoted(table), c = quoted(column), i = quoted(fid);
    const std::string rtree = quoted("rtree_" + table + "_" + column);
    const auto name = [&](const char* suffix) { return quoted("rtree_" + table + "_" + column + "_" + suffix); };
    const std::string has_geometry = "NEW." + c + " NOTNULL AND NOT ST_IsEmpty(NEW." + c + ")";
    const std::string no_geometry = "NEW." + c + " ISNULL OR ST_IsEmpty(NEW." + c + ")";
    const std::string upsert = "INSERT OR REPLACE INTO " + rtree + " VALUES (NEW." + i + ",ST_MinX(NEW." + c +
                               "), ST_MaxX(NEW." + c + "),ST_MinY(NEW." + c + "), ST_MaxY(NEW." + c + "));";
    return {
        "CREATE TRIGGER " + name("insert") + " AFTER INSERT ON " + t + " WHEN (new." + c +
            " NOT NULL AND NOT ST_IsEmpty(NEW." + c + ")) BEGIN " + upsert + " END",
        "CREATE TRIGGER " + name("update1") + " AFTER UPDATE OF " + c + " ON " + t + " WHEN OLD." + i + " = NEW." + i +
            " AND (" + has_geometry + ") BEGIN " + upsert + " END",
        "CREATE TRIGGER " + name("update2") + " AFTER UPDATE OF " + c + " ON " + t + " WHEN OLD." + i + " = NEW." + i +
            " AND (" + no_geometry + ") BEGIN DELETE FROM " + rtree + " WHERE id = OLD." + i + "; END",
        "CREATE TRIGGER " + name("update3") + " AFTER UPDATE ON " + t + " WHEN OLD." + i + " != NEW." + i + " AND (" +
            has_geometry + ") BEGIN DELETE FROM " + rtree + " WHERE id = OLD." + i + "; " + upsert + " END",
        "CREATE TRIGGER " + name("update4") + " AFTER UPDATE ON " + t + " WHEN OLD." + i + " != NEW." + i + " AND (" +
            no_geometry + ") BEGIN DELETE FROM " + rtree + " WHERE id IN (OLD." + i + ", NEW." + i + "); END",
        "CREATE TRIGGER " + name("delete") + " AFTER DELETE ON " + t + " WHEN old." + c +
            " NOT NULL BEGIN DELETE FROM " + rtree + " WHERE id = OLD." + i + "; END",
    };
}

} // namespace

GpkgSpatialIndex::GpkgSpatialIndex(std::string table, std::string column, std::string fid_column)
    : m_table(std::move(table)), m_column(std::move(column)), m_fid(std::move(fid_column)) {}

void GpkgSpatialIndex::write(const std::string& path) {
    try {
        core::sqlite::Database db(path, core::sqlite::open_mode::read_write);
        core::sqlite::Transaction tx(db);
        const std::string rtree = "rtree_" + m_table + "_" + m_column;
        db.exec("CREATE VIRTUAL TABLE " + quoted(rtree) + " USING rtree(id, minx, maxx, miny, maxy)");
        m_rows.write_to(db, rtree);
        // The table as the specification defines it; GDAL has usually made it already.
        db.exec("CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT,column_name TEXT,extension_name TEXT NOT "
                "NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,CONSTRAINT ge_tce UNIQUE (table_name, column_name, "
                "extension_name))");
        core::sqlite::Statement extension(db, "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                                              "definition, scope) VALUES (?, ?, 'gpkg_rtree_index', "
                                              "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')");
        extension.bind(1, m_table).bind(2, m_column);
        extension.run();
        for (const auto& sql : trigger_sql(m_table, m_column, m_fid))
            db.exec(sql);
        tx.commit();
    } catch (const core::error& e) {
        throw geo_error("cannot write the spatial index of '" + path + "': " + e.what(), path);
    }
}

} // namespace enlace::geo::detail
