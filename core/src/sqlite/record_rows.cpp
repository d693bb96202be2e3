// Actors and practices in SQLite: their rows, link tables and full text, and their lists.
#include "search_text.hpp"
#include "sql_where.hpp"
#include "sqlite_store.hpp"

#include "enlace/core/vocabulary.hpp"

#include <type_traits>

namespace enlace::core::detail {
namespace {

template <class T>
void replace_links(SqliteStore& store, const char* table, const char* key, const char* column, std::int64_t id,
                   const std::vector<T>& values) {
    auto& clear = store.prepare(std::string("DELETE FROM ") + table + " WHERE " + key + " = ?");
    clear.bind(1, id);
    clear.run();
    for (const auto& v : values) {
        auto& insert = store.prepare(std::string("INSERT OR IGNORE INTO ") + table + " (" + key + ", " + column +
                                     ") VALUES (?, ?)");
        insert.bind(1, id);
        if constexpr (std::is_same_v<T, std::string>)
            insert.bind(2, v);
        else
            insert.bind(2, static_cast<std::int64_t>(v));
        insert.run();
    }
}

void replace_text(SqliteStore& store, const char* table, std::int64_t id, const std::array<std::string, 2>& text) {
    auto& untext = store.prepare(std::string("DELETE FROM ") + table + " WHERE rowid = ?");
    untext.bind(1, id);
    untext.run();
    const bool actor = std::string_view(table) == "actor_text";
    auto& insert =
        store.prepare(std::string("INSERT INTO ") + table +
                      (actor ? " (rowid, name, description)" : " (rowid, title, body)") + " VALUES (?, ?, ?)");
    insert.bind(1, id).bind(2, text[0]).bind(3, text[1]);
    insert.run();
}

/// Runs `sql` (ids in id order, the limit its last parameter) and collects the ids.
std::vector<std::int64_t> ids_of(SqliteStore& store, const SqlWhere& where, const std::string& sql,
                                 std::int64_t after_id, int limit) {
    auto& stmt = store.prepare(sql);
    stmt.bind(1, after_id);
    const int next = where.bind(stmt, 2);
    stmt.bind(next, limit);
    std::vector<std::int64_t> ids;
    while (stmt.step())
        ids.push_back(stmt.column_int(0));
    stmt.reset();
    return ids;
}

} // namespace

std::int64_t SqliteStore::write(const RecordVersion<Actor>& version) {
    m_expansions.clear(); // the version may bring words
    const Actor& a = version.record;
    const RecordState& state = version.state;
    auto& stmt = prepare("INSERT INTO actors (id, source, source_id, actor_type, doc, created_at, updated_at, version, "
                         "deleted, editors) VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET "
                         "source = excluded.source, source_id = excluded.source_id, actor_type = excluded.actor_type, "
                         "doc = excluded.doc, updated_at = excluded.updated_at, version = excluded.version, "
                         "deleted = excluded.deleted, editors = excluded.editors");
    if (a.id)
        stmt.bind(1, a.id);
    else
        stmt.bind_null(1);
    stmt.bind(2, a.source)
        .bind(3, a.source_id)
        .bind(4, a.actor_type)
        .bind_view(5, version.doc)
        .bind_view(6, version.now)
        .bind_view(7, version.now)
        .bind(8, state.version)
        .bind(9, state.deleted ? 1 : 0)
        .bind(10, editors_text(state.editors));
    stmt.run();
    const std::int64_t id = a.id ? a.id : m_db.last_insert_rowid();
    replace_links(*this, "actor_countries", "actor_id", "country", id, a.countries);
    replace_text(*this, "actor_text", id, search_text(a));
    return id;
}

std::int64_t SqliteStore::write(const RecordVersion<Practice>& version) {
    m_expansions.clear(); // the version may bring words
    const Practice& p = version.record;
    const RecordState& state = version.state;
    auto& stmt = prepare("INSERT INTO practices (id, source, source_id, review_status, year_start, year_end, doc, "
                         "created_at, updated_at, version, deleted, editors) "
                         "VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET source = excluded.source, source_id = excluded.source_id, "
                         "review_status = excluded.review_status, year_start = excluded.year_start, "
                         "year_end = excluded.year_end, doc = excluded.doc, updated_at = excluded.updated_at, "
                         "version = excluded.version, deleted = excluded.deleted, editors = excluded.editors");
    if (p.id)
        stmt.bind(1, p.id);
    else
        stmt.bind_null(1);
    stmt.bind(2, p.source)
        .bind(3, p.source_id)
        .bind(4, to_string(state.review_status))
        .bind(5, p.year_start)
        .bind(6, p.year_end)
        .bind_view(7, version.doc)
        .bind_view(8, version.now)
        .bind_view(9, version.now)
        .bind(10, state.version)
        .bind(11, state.deleted ? 1 : 0)
        .bind(12, editors_text(state.editors));
    stmt.run();
    const std::int64_t id = p.id ? p.id : m_db.last_insert_rowid();
    replace_links(*this, "practice_countries", "practice_id", "country", id, p.countries);
    replace_links(*this, "practice_axes", "practice_id", "axis", id, p.axes);
    replace_links(*this, "practice_types", "practice_id", "code", id, p.service_types);
    replace_links(*this, "practice_actors", "practice_id", "actor_id", id, p.actor_ids);
    replace_links(*this, "practice_services", "practice_id", "service_id", id, p.service_ids);
    replace_text(*this, "practice_text", id, search_text(p));
    return id;
}

std::vector<std::int64_t> SqliteStore::actor_ids(const ActorConditions& c, std::int64_t after_id, int limit) {
    SqlWhere where;
    where.add("a.deleted = 0");
    if (!c.countries.empty())
        where.add("EXISTS (SELECT 1 FROM actor_countries c WHERE c.actor_id = a.id AND c.country IN (" +
                  where.list(c.countries) + "))");
    if (!c.actor_types.empty()) where.add("a.actor_type IN (" + where.list(c.actor_types) + ")");
    if (!c.words.empty()) {
        where.add("a.id IN (SELECT rowid FROM actor_text WHERE actor_text MATCH ?)");
        where.value(match_expression(c.words, FullText::actor));
    }
    return ids_of(*this, where,
                  "SELECT a.id FROM actors a WHERE a.id > ?" + where.and_clause() + " ORDER BY a.id LIMIT ?", after_id,
                  limit);
}

std::vector<std::int64_t> SqliteStore::practice_ids(const PracticeConditions& c, std::int64_t after_id, int limit) {
    SqlWhere where;
    where.add("p.deleted = 0");
    if (c.published_only) where.add("p.review_status = 'published'");
    if (!c.countries.empty())
        where.add("EXISTS (SELECT 1 FROM practice_countries c WHERE c.practice_id = p.id AND c.country IN (" +
                  where.list(c.countries) + "))");
    if (!c.axes.empty()) {
        std::vector<std::int64_t> axes(c.axes.begin(), c.axes.end());
        where.add("EXISTS (SELECT 1 FROM practice_axes x WHERE x.practice_id = p.id AND x.axis IN (" +
                  where.list(axes) + "))");
    }
    if (!c.types.empty())
        where.add("EXISTS (SELECT 1 FROM practice_types t WHERE t.practice_id = p.id AND t.code IN (" +
                  where.list(c.types) + "))");
    if (!c.words.empty()) {
        where.add("p.id IN (SELECT rowid FROM practice_text WHERE practice_text MATCH ?)");
        where.value(match_expression(c.words, FullText::practice));
    }
    if (c.year) {
        where.add("(p.year_start IS NULL OR p.year_start <= ?) AND (p.year_end IS NULL OR p.year_end >= ?)");
        where.value(std::int64_t{*c.year});
        where.value(std::int64_t{*c.year});
    }
    return ids_of(*this, where,
                  "SELECT p.id FROM practices p WHERE p.id > ?" + where.and_clause() + " ORDER BY p.id LIMIT ?",
                  after_id, limit);
}

} // namespace enlace::core::detail
