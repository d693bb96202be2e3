#include "seen_ids.hpp"

namespace enlace::geo::detail {
namespace {

// An empty name opens a temporary file that SQLite deletes on close. Nothing in it needs to
// survive a crash, so no journal and no syncs; one transaction, never committed, keeps the pages
// in the 2 MB cache until it fills instead of writing them at every insert.
core::sqlite::Database scratch() {
    core::sqlite::Database db("", core::sqlite::open_mode::create);
    db.exec("PRAGMA cache_size = -2048; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
            "PRAGMA locking_mode = EXCLUSIVE; CREATE TABLE seen (id TEXT PRIMARY KEY) WITHOUT ROWID; BEGIN");
    return db;
}

} // namespace

SeenIds::SeenIds()
    : m_db(scratch()), m_insert(m_db, "INSERT OR IGNORE INTO seen (id) VALUES (?)"),
      m_find(m_db, "SELECT 1 FROM seen WHERE id = ?"), m_walk(m_db, "SELECT id FROM seen ORDER BY id") {}

bool SeenIds::insert(std::string_view id) {
    m_insert.bind(1, id);
    m_insert.run();
    return m_db.changes() > 0;
}

bool SeenIds::contains(std::string_view id) {
    m_find.bind(1, id);
    const bool found = m_find.step();
    m_find.reset();
    return found;
}

bool SeenIds::contains_in_order(std::string_view id) {
    if (m_walking && id < m_asked) return contains(id);
    auto step = [&] {
        m_walk_done = !m_walk.step();
        if (!m_walk_done) m_walk_at = m_walk.column_text(0);
    };
    if (!m_walking) {
        m_walking = true;
        step();
    }
    m_asked = id;
    while (!m_walk_done && m_walk_at < id)
        step();
    return !m_walk_done && m_walk_at == id;
}

} // namespace enlace::geo::detail
