// Actors and practices in PostgreSQL: their rows, link tables and words, and their lists.
#include "postgres_store.hpp"
#include "search_text.hpp"
#include "text_words.hpp"

#include "enlace/core/vocabulary.hpp"

#include <type_traits>

namespace enlace::core::detail {
namespace {

template <class T>
void replace_links(PostgresStore& store, const char* table, const char* key, const char* column, std::int64_t id,
                   const std::vector<T>& values) {
    {
        pg::Params p;
        store.run(std::string("DELETE FROM ") + table + " WHERE " + key + " = " + p.add(id), p);
    }
    for (const auto& v : values) {
        pg::Params p;
        std::string value;
        if constexpr (std::is_same_v<T, std::string>)
            value = p.add(v);
        else
            value = p.add(static_cast<std::int64_t>(v)) + "::bigint";
        store.run(std::string("INSERT INTO ") + table + " (" + key + ", " + column + ") VALUES (" + p.add(id) + ", " +
                      value + ") ON CONFLICT DO NOTHING",
                  p);
    }
}

std::vector<std::string> texts_of(const std::array<std::string, 2>& text) { return {text.begin(), text.end()}; }

/// Runs a list's statement (its conditions in `where`, then id order after `after_id`, at most
/// `limit`) and collects the ids.
std::vector<std::int64_t> ids_of(PostgresStore& store, pg::Params& p, const std::string& from_where,
                                 const std::string& id, std::int64_t after_id, int limit) {
    const auto r = store.run("SELECT " + id + " FROM " + from_where + " AND " + id + " > " + p.add(after_id) +
                                 " ORDER BY " + id + " LIMIT " + p.add(limit),
                             p);
    std::vector<std::int64_t> ids;
    for (int i = 0; i < r.rows(); ++i)
        ids.push_back(r.integer(i, 0));
    return ids;
}

} // namespace

std::int64_t PostgresStore::write(const RecordVersion<Actor>& version) {
    const Actor& a = version.record;
    const RecordState& state = version.state;
    pg::Params p;
    const std::string id = a.id ? p.add(a.id) + "::bigint" : next_id("actors");
    const std::string values = "NULLIF(" + p.add(a.source) + ", ''), NULLIF(" + p.add(a.source_id) + ", ''), " +
                               p.add(a.actor_type) + ", " + p.add(version.doc) + ", " + p.add(version.now) + ", " +
                               p.add(version.now) + ", " + p.add(state.version) + "::bigint, " + p.add(state.deleted) +
                               "::boolean, " + p.add(editors_text(state.editors));
    const std::int64_t stored =
        run("INSERT INTO actors (id, source, source_id, actor_type, doc, created_at, updated_at, version, deleted, "
            "editors) VALUES (" +
                id + ", " + values +
                ") ON CONFLICT (id) DO UPDATE SET source = excluded.source, source_id = excluded.source_id, "
                "actor_type = excluded.actor_type, doc = excluded.doc, updated_at = excluded.updated_at, "
                "version = excluded.version, deleted = excluded.deleted, editors = excluded.editors RETURNING id",
            p)
            .integer(0, 0);
    replace_links(*this, "actor_countries", "actor_id", "country", stored, a.countries);
    pg::write_words(*this, "actors", stored, texts_of(search_text(a)));
    return stored;
}

std::int64_t PostgresStore::write(const RecordVersion<Practice>& version) {
    const Practice& pr = version.record;
    const RecordState& state = version.state;
    pg::Params p;
    const std::string id = pr.id ? p.add(pr.id) + "::bigint" : next_id("practices");
    const std::string values = "NULLIF(" + p.add(pr.source) + ", ''), NULLIF(" + p.add(pr.source_id) + ", ''), " +
                               p.add(to_string(state.review_status)) + ", " + p.add(pr.year_start) + "::integer, " +
                               p.add(pr.year_end) + "::integer, " + p.add(version.doc) + ", " + p.add(version.now) +
                               ", " + p.add(version.now) + ", " + p.add(state.version) + "::bigint, " +
                               p.add(state.deleted) + "::boolean, " + p.add(editors_text(state.editors));
    const std::int64_t stored =
        run("INSERT INTO practices (id, source, source_id, review_status, year_start, year_end, doc, created_at, "
            "updated_at, version, deleted, editors) VALUES (" +
                id + ", " + values +
                ") ON CONFLICT (id) DO UPDATE SET source = excluded.source, source_id = excluded.source_id, "
                "review_status = excluded.review_status, year_start = excluded.year_start, "
                "year_end = excluded.year_end, doc = excluded.doc, updated_at = excluded.updated_at, "
                "version = excluded.version, deleted = excluded.deleted, editors = excluded.editors RETURNING id",
            p)
            .integer(0, 0);
    replace_links(*this, "practice_countries", "practice_id", "country", stored, pr.countries);
    replace_links(*this, "practice_axes", "practice_id", "axis", stored, pr.axes);
    replace_links(*this, "practice_types", "practice_id", "code", stored, pr.service_types);
    replace_links(*this, "practice_actors", "practice_id", "actor_id", stored, pr.actor_ids);
    replace_links(*this, "practice_services", "practice_id", "service_id", stored, pr.service_ids);
    pg::write_words(*this, "practices", stored, texts_of(search_text(pr)));
    return stored;
}

std::vector<std::int64_t> PostgresStore::actor_ids(const ActorConditions& c, std::int64_t after_id, int limit) {
    pg::Params p;
    std::string where = "actors a WHERE NOT a.deleted";
    if (!c.countries.empty())
        where += " AND EXISTS (SELECT 1 FROM actor_countries c WHERE c.actor_id = a.id AND c.country IN (" +
                 p.list(c.countries) + "))";
    if (!c.actor_types.empty()) where += " AND a.actor_type IN (" + p.list(c.actor_types) + ")";
    if (!c.words.empty()) where += " AND " + pg::words_condition(p, "actors", "a.id", c.words);
    return ids_of(*this, p, where, "a.id", after_id, limit);
}

std::vector<std::int64_t> PostgresStore::practice_ids(const PracticeConditions& c, std::int64_t after_id, int limit) {
    pg::Params p;
    std::string where = "practices p WHERE NOT p.deleted";
    if (c.published_only) where += " AND p.review_status = 'published'";
    if (!c.countries.empty())
        where += " AND EXISTS (SELECT 1 FROM practice_countries c WHERE c.practice_id = p.id AND c.country IN (" +
                 p.list(c.countries) + "))";
    if (!c.axes.empty()) {
        std::vector<std::int64_t> axes(c.axes.begin(), c.axes.end());
        where += " AND EXISTS (SELECT 1 FROM practice_axes x WHERE x.practice_id = p.id AND x.axis IN (" +
                 p.list(axes) + "))";
    }
    if (!c.types.empty())
        where += " AND EXISTS (SELECT 1 FROM practice_types t WHERE t.practice_id = p.id AND t.code IN (" +
                 p.list(c.types) + "))";
    if (!c.words.empty()) where += " AND " + pg::words_condition(p, "practices", "p.id", c.words);
    if (c.year) {
        const std::string year = p.add(std::int64_t{*c.year}) + "::integer";
        where += " AND (p.year_start IS NULL OR p.year_start <= " + year +
                 ") AND (p.year_end IS NULL OR p.year_end >= " + year + ")";
    }
    return ids_of(*this, p, where, "p.id", after_id, limit);
}

} // namespace enlace::core::detail
