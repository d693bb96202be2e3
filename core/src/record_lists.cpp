// Lists of actors and practices: checked into their conditions, ids from the store in id order,
// each record read for the reader.
#include "cursor.hpp"
#include "enlace/core/conditions.hpp"
#include "enlace/core/errors.hpp"
#include "registry_impl.hpp"

namespace enlace::core {
namespace {

void check_page(int limit, const std::string& cursor_text, detail::Cursor& cursor) {
    if (limit < 1 || limit > ServiceQuery::max_limit)
        throw query_error("limit", "must be between 1 and " + std::to_string(ServiceQuery::max_limit));
    if (cursor_text.empty()) return;
    cursor = detail::decode_cursor(cursor_text);
    if (cursor.after_chord2) throw query_error("cursor", "belongs to a query with a different sort order");
}

void check_countries(const std::vector<std::string>& codes, const ReferenceData& ref) {
    for (const auto& c : codes)
        if (!ref.country(c)) throw query_error("country", "unknown country '" + c + "'");
}

/// One page of records: `read(id)` for each id the store gives, in id order.
template <class Record, class Ids, class Read>
Page<Record> page_of(int limit, const detail::Cursor& cursor, Ids&& ids, Read&& read) {
    Page<Record> page;
    for (auto id : ids(cursor.after_id, limit + 1)) {
        if (static_cast<int>(page.items.size()) == limit) {
            page.next_cursor = detail::encode_cursor({page.items.back().id, std::nullopt, 0});
            break;
        }
        if (auto record = read(id)) page.items.push_back(std::move(*record));
    }
    return page;
}

} // namespace

Page<Actor> Registry::find(const ActorQuery& q) const {
    detail::Cursor cursor;
    check_page(q.limit, q.cursor, cursor);
    check_countries(q.countries, m_impl->reference);
    ActorConditions c{q.countries, q.actor_types, {}};
    if (!q.text.empty()) c.words = search_words(q.text, "q");
    return m_impl->read([&] {
        return page_of<Actor>(
            q.limit, cursor, [&](std::int64_t after, int n) { return m_impl->store->actor_ids(c, after, n); },
            [&](std::int64_t id) { return m_impl->read_actor(id); });
    });
}

Page<Practice> Registry::find(const PracticeQuery& q) const {
    detail::Cursor cursor;
    check_page(q.limit, q.cursor, cursor);
    check_countries(q.countries, m_impl->reference);
    for (int axis : q.axes)
        if (axis < 1 || axis > 5) throw query_error("axis", "must be an RCM axis from 1 to 5");
    PracticeConditions c;
    c.published_only = q.audience == Audience::public_;
    c.countries = q.countries;
    c.axes = q.axes;
    c.types = m_impl->reference.expand(q.types, "type");
    if (!q.text.empty()) c.words = search_words(q.text, "q");
    c.year = q.year;
    return m_impl->read([&] {
        return page_of<Practice>(
            q.limit, cursor, [&](std::int64_t after, int n) { return m_impl->store->practice_ids(c, after, n); },
            [&](std::int64_t id) { return m_impl->read_practice(id, q.audience); });
    });
}

} // namespace enlace::core
