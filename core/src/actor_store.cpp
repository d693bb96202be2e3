// Writing, reading and listing actors (organisations).
#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/validation.hpp"
#include "cursor.hpp"
#include "registry_impl.hpp"
#include "text_search.hpp"

#include <nlohmann/json.hpp>

namespace enlace::core {
namespace {

std::string stored_doc(const Actor& a) {
    auto doc = to_json(a);
    for (const char* key : {"id", "updated_at"}) doc.erase(key);
    return doc.dump();
}

std::string joined(const LocalizedText& text) {
    std::string out;
    for (const auto& [language, value] : text) out += value + "\n";
    return out;
}

} // namespace

WriteResult Registry::Impl::write_actor(Actor a, const std::string& who) {
    validate(a, reference);
    std::optional<std::int64_t> existing;
    if (a.id != 0) {
        auto& stmt = prepare("SELECT id FROM actors WHERE id = ?");
        stmt.bind(1, a.id);
        if (!stmt.step()) throw not_found("no actor with id " + std::to_string(a.id) + " (leave id out to create one)");
        existing = a.id;
    } else if (!a.source.empty()) {
        existing = find_id("actors", {a.source, a.source_id});
    }
    const std::string doc = stored_doc(a);
    std::string before;
    if (existing) {
        auto& stmt = prepare("SELECT doc FROM actors WHERE id = ?");
        stmt.bind(1, *existing);
        stmt.step();
        before = stmt.column_text(0);
        if (before == doc) return {*existing, WriteOutcome::unchanged};
    }
    const std::string now = detail::utc_now();
    auto& stmt = prepare("INSERT INTO actors (id, source, source_id, actor_type, doc, created_at, updated_at) "
                         "VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                         "source = excluded.source, source_id = excluded.source_id, actor_type = excluded.actor_type, "
                         "doc = excluded.doc, updated_at = excluded.updated_at");
    if (existing) stmt.bind(1, *existing); else stmt.bind_null(1);
    stmt.bind(2, a.source).bind(3, a.source_id).bind(4, a.actor_type).bind(5, doc).bind(6, now).bind(7, now);
    stmt.run();
    a.id = existing ? *existing : db.last_insert_rowid();

    auto& clear = prepare("DELETE FROM actor_countries WHERE actor_id = ?");
    clear.bind(1, a.id);
    clear.run();
    for (const auto& country : a.countries) {
        auto& link = prepare("INSERT INTO actor_countries (actor_id, country) VALUES (?, ?)");
        link.bind(1, a.id).bind(2, country);
        link.run();
    }
    auto& untext = prepare("DELETE FROM actor_text WHERE rowid = ?");
    untext.bind(1, a.id);
    untext.run();
    auto& text = prepare("INSERT INTO actor_text (rowid, name, description) VALUES (?, ?, ?)");
    text.bind(1, a.id).bind(2, joined(a.name) + a.acronym).bind(3, joined(a.description));
    text.run();
    record_change(who, "actors", a.id, existing ? "update" : "create", before);
    return {a.id, existing ? WriteOutcome::updated : WriteOutcome::created};
}

std::optional<Actor> Registry::Impl::read_actor(std::int64_t id) {
    auto& stmt = prepare("SELECT doc, updated_at FROM actors WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    Actor a = actor_from_json(nlohmann::json::parse(stmt.column_text(0)), UnknownFields::ignore);
    a.id = id;
    a.updated_at = stmt.column_text(1);
    std::erase_if(a.contacts, [](const Contact& c) { return c.personal; });
    return a;
}

Page<Actor> Registry::find(const ActorQuery& q) const {
    if (q.limit < 1 || q.limit > ServiceQuery::max_limit)
        throw query_error("limit", "must be between 1 and " + std::to_string(ServiceQuery::max_limit));
    std::string where = "a.id > ?";
    std::vector<std::string> values;
    auto list = [&](const std::vector<std::string>& items) {
        std::string out;
        for (const auto& v : items) {
            out += out.empty() ? "?" : ", ?";
            values.push_back(v);
        }
        return out;
    };
    for (const auto& c : q.countries)
        if (!m_impl->reference.country(c)) throw query_error("country", "unknown country '" + c + "'");
    if (!q.countries.empty())
        where += " AND EXISTS (SELECT 1 FROM actor_countries c WHERE c.actor_id = a.id AND c.country IN (" + list(q.countries) + "))";
    if (!q.actor_types.empty()) where += " AND a.actor_type IN (" + list(q.actor_types) + ")";
    if (!q.text.empty()) {
        where += " AND a.id IN (SELECT rowid FROM actor_text WHERE actor_text MATCH ?)";
        values.push_back(detail::fts_match(q.text, "q"));
    }
    const auto cursor = q.cursor.empty() ? detail::Cursor{} : detail::decode_cursor(q.cursor);
    if (cursor.after_chord2) throw query_error("cursor", "belongs to a query with a different sort order");
    Page<Actor> page;
    return m_impl->read([&] {
    auto& stmt = m_impl->prepare("SELECT a.id FROM actors a WHERE " + where + " ORDER BY a.id LIMIT ?");
    stmt.bind(1, cursor.after_id);
    int i = 2;
    for (const auto& v : values) stmt.bind(i++, v);
    stmt.bind(i, q.limit + 1);
    std::vector<std::int64_t> ids;
    while (stmt.step()) ids.push_back(stmt.column_int(0));
    stmt.reset();
    for (auto id : ids) {
        if (static_cast<int>(page.items.size()) == q.limit) {
            page.next_cursor = detail::encode_cursor({page.items.back().id, std::nullopt, 0});
            break;
        }
        if (auto a = m_impl->read_actor(id)) page.items.push_back(std::move(*a));
    }
    return page;
    });
}

} // namespace enlace::core
