// Writing, reading and listing good practices, linked to actors, services and countries.
#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/validation.hpp"
#include "enlace/core/vocabulary.hpp"
#include "cursor.hpp"
#include "registry_impl.hpp"
#include "text_search.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <variant>

namespace enlace::core {
namespace {

std::string stored_doc(const Practice& p) {
    auto doc = to_json(p);
    for (const char* key : {"id", "updated_at"}) doc.erase(key);
    return doc.dump();
}

std::string search_body(const Practice& p) {
    std::string out;
    for (const auto& [field, text] : p.narrative)
        for (const auto& [language, value] : text) out += value + "\n";
    return out;
}

/// Resolves keys to ids and checks that every linked record exists.
void resolve_links(Registry::Impl& impl, Practice& p, std::vector<validation_issue>& issues) {
    auto resolve = [&](const char* table, const char* field, std::vector<std::int64_t>& ids,
                       std::vector<RecordKey>& keys) {
        for (const auto& key : keys) {
            if (auto id = impl.find_id(table, key))
                ids.push_back(*id);
            else
                issues.push_back({field, std::string("unknown ") + (std::string(table) == "actors" ? "actor" : "service") +
                                             " '" + key.source + ":" + key.source_id + "'"});
        }
        keys.clear();
        for (auto id : ids) {
            auto& stmt = impl.prepare(std::string("SELECT 1 FROM ") + table + " WHERE id = ?");
            stmt.bind(1, id);
            if (!stmt.step()) issues.push_back({field, "no record with id " + std::to_string(id)});
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    };
    resolve("actors", "actors", p.actor_ids, p.actor_keys);
    resolve("services", "services", p.service_ids, p.service_keys);
}

template <class T>
void replace_links(Registry::Impl& impl, const char* table, const char* column, std::int64_t id, const std::vector<T>& values) {
    auto& clear = impl.prepare(std::string("DELETE FROM ") + table + " WHERE practice_id = ?");
    clear.bind(1, id);
    clear.run();
    for (const auto& v : values) {
        auto& insert = impl.prepare(std::string("INSERT OR IGNORE INTO ") + table + " (practice_id, " + column + ") VALUES (?, ?)");
        insert.bind(1, id);
        if constexpr (std::is_same_v<T, std::string>) insert.bind(2, v); else insert.bind(2, static_cast<std::int64_t>(v));
        insert.run();
    }
}

} // namespace

WriteResult Registry::Impl::write_practice(Practice p, const std::string& who) {
    std::vector<validation_issue> issues;
    resolve_links(*this, p, issues);
    try {
        validate(p, reference);
    } catch (const validation_error& e) {
        issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
    if (!issues.empty()) throw validation_error(std::move(issues));

    std::optional<std::int64_t> existing;
    if (p.id != 0) {
        auto& stmt = prepare("SELECT id FROM practices WHERE id = ?");
        stmt.bind(1, p.id);
        if (!stmt.step()) throw not_found("no practice with id " + std::to_string(p.id) + " (leave id out to create one)");
        existing = p.id;
    } else if (!p.source.empty()) {
        existing = find_id("practices", {p.source, p.source_id});
    }
    const std::string doc = stored_doc(p);
    std::string before;
    if (existing) {
        auto& stmt = prepare("SELECT doc FROM practices WHERE id = ?");
        stmt.bind(1, *existing);
        stmt.step();
        before = stmt.column_text(0);
        if (before == doc) return {*existing, WriteOutcome::unchanged};
    }
    const std::string now = detail::utc_now();
    auto& stmt = prepare("INSERT INTO practices (id, source, source_id, review_status, year_start, year_end, doc, "
                         "created_at, updated_at) VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET source = excluded.source, source_id = excluded.source_id, "
                         "review_status = excluded.review_status, year_start = excluded.year_start, "
                         "year_end = excluded.year_end, doc = excluded.doc, updated_at = excluded.updated_at");
    if (existing) stmt.bind(1, *existing); else stmt.bind_null(1);
    stmt.bind(2, p.source).bind(3, p.source_id).bind(4, to_string(p.review_status)).bind(5, p.year_start)
        .bind(6, p.year_end).bind(7, doc).bind(8, now).bind(9, now);
    stmt.run();
    p.id = existing ? *existing : db.last_insert_rowid();

    replace_links(*this, "practice_countries", "country", p.id, p.countries);
    replace_links(*this, "practice_axes", "axis", p.id, p.axes);
    replace_links(*this, "practice_types", "code", p.id, p.service_types);
    replace_links(*this, "practice_actors", "actor_id", p.id, p.actor_ids);
    replace_links(*this, "practice_services", "service_id", p.id, p.service_ids);
    auto& untext = prepare("DELETE FROM practice_text WHERE rowid = ?");
    untext.bind(1, p.id);
    untext.run();
    std::string title;
    for (const auto& [language, value] : p.title) title += value + "\n";
    auto& text = prepare("INSERT INTO practice_text (rowid, title, body) VALUES (?, ?, ?)");
    text.bind(1, p.id).bind(2, title).bind(3, search_body(p));
    text.run();
    record_change(who, "practices", p.id, existing ? "update" : "create", before);
    return {p.id, existing ? WriteOutcome::updated : WriteOutcome::created};
}

std::optional<Practice> Registry::Impl::read_practice(std::int64_t id, Audience audience) {
    auto& stmt = prepare("SELECT doc, updated_at, review_status FROM practices WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    if (audience == Audience::public_ && stmt.column_text(2) != "published") return std::nullopt;
    Practice p = practice_from_json(nlohmann::json::parse(stmt.column_text(0)), UnknownFields::ignore);
    p.id = id;
    p.updated_at = stmt.column_text(1);
    stmt.reset();
    // A public practice names only services the public may see: a link to a restricted one
    // would reveal that it exists.
    if (audience == Audience::public_)
        std::erase_if(p.service_ids, [&](std::int64_t service_id) {
            auto& visible = prepare("SELECT 1 FROM services WHERE id = ? AND visibility = 'public'");
            visible.bind(1, service_id);
            const bool shown = visible.step();
            visible.reset();
            return !shown;
        });
    return p;
}

Page<Practice> Registry::find(const PracticeQuery& q) const {
    if (q.limit < 1 || q.limit > ServiceQuery::max_limit)
        throw query_error("limit", "must be between 1 and " + std::to_string(ServiceQuery::max_limit));
    using Value = std::variant<std::int64_t, std::string>;
    std::vector<Value> values;
    std::string where = "p.id > ?";
    auto list = [&](const auto& items) {
        std::string out;
        for (const auto& v : items) {
            out += out.empty() ? "?" : ", ?";
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) values.emplace_back(v);
            else values.emplace_back(static_cast<std::int64_t>(v));
        }
        return out;
    };
    if (q.audience == Audience::public_) where += " AND p.review_status = 'published'";
    for (const auto& c : q.countries)
        if (!m_impl->reference.country(c)) throw query_error("country", "unknown country '" + c + "'");
    if (!q.countries.empty())
        where += " AND EXISTS (SELECT 1 FROM practice_countries c WHERE c.practice_id = p.id AND c.country IN (" + list(q.countries) + "))";
    for (int axis : q.axes)
        if (axis < 1 || axis > 5) throw query_error("axis", "must be an RCM axis from 1 to 5");
    if (!q.axes.empty())
        where += " AND EXISTS (SELECT 1 FROM practice_axes x WHERE x.practice_id = p.id AND x.axis IN (" + list(q.axes) + "))";
    const auto types = m_impl->reference.expand(q.types, "type");
    if (!types.empty())
        where += " AND EXISTS (SELECT 1 FROM practice_types t WHERE t.practice_id = p.id AND t.code IN (" + list(types) + "))";
    if (!q.text.empty()) {
        where += " AND p.id IN (SELECT rowid FROM practice_text WHERE practice_text MATCH ?)";
        values.emplace_back(detail::fts_match(q.text, "q"));
    }
    if (q.year) {
        where += " AND (p.year_start IS NULL OR p.year_start <= ?) AND (p.year_end IS NULL OR p.year_end >= ?)";
        values.emplace_back(std::int64_t{*q.year});
        values.emplace_back(std::int64_t{*q.year});
    }
    const auto cursor = q.cursor.empty() ? detail::Cursor{} : detail::decode_cursor(q.cursor);
    if (cursor.after_chord2) throw query_error("cursor", "belongs to a query with a different sort order");
    Page<Practice> page;
    return m_impl->read([&] {
    auto& stmt = m_impl->prepare("SELECT p.id FROM practices p WHERE " + where + " ORDER BY p.id LIMIT ?");
    stmt.bind(1, cursor.after_id);
    int i = 2;
    for (const auto& v : values) std::visit([&](const auto& x) { stmt.bind(i++, x); }, v);
    stmt.bind(i, q.limit + 1);
    std::vector<std::int64_t> ids;
    while (stmt.step()) ids.push_back(stmt.column_int(0));
    stmt.reset();
    for (auto id : ids) {
        if (static_cast<int>(page.items.size()) == q.limit) {
            page.next_cursor = detail::encode_cursor({page.items.back().id, std::nullopt, 0});
            break;
        }
        if (auto p = m_impl->read_practice(id, q.audience)) page.items.push_back(std::move(*p));
    }
    return page;
    });
}

} // namespace enlace::core
