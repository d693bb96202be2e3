// Old versions in the change log rewritten in place (Store::rewrite_old_versions): the one change
// to a log row after it is written, for `enlace purge`. Every row is read first, then written,
// in the caller's write transaction.
#include "sqlite_store.hpp"

#include <array>

namespace enlace::core::detail {

std::int64_t SqliteStore::rewrite_old_versions(
    const std::string& before_at,
    const std::function<std::optional<std::string>(RecordKind, const std::string&)>& rewrite) {
    struct Row {
        std::int64_t id;
        RecordKind kind;
        std::array<std::optional<std::string>, 3> docs; // before, after, proposed
    };
    std::vector<Row> rows;
    auto& select = prepare("SELECT id, record_table, before, after, proposed FROM changes "
                           "WHERE at < ? AND record_table IN ('services', 'actors') "
                           "AND (before IS NOT NULL OR after IS NOT NULL OR proposed IS NOT NULL) ORDER BY id");
    select.bind(1, before_at);
    while (select.step())
        rows.push_back(
            {select.column_int(0),
             select.column_text(1) == "actors" ? RecordKind::actor : RecordKind::service,
             {select.column_optional_text(2), select.column_optional_text(3), select.column_optional_text(4)}});
    select.reset();

    std::int64_t passed = 0;
    auto& update = prepare("UPDATE changes SET before = ?, after = ?, proposed = ? WHERE id = ?");
    for (auto& row : rows) {
        bool changed = false;
        for (auto& doc : row.docs) {
            if (!doc || doc->empty()) continue;
            ++passed;
            if (auto rewritten = rewrite(row.kind, *doc)) {
                doc = std::move(rewritten);
                changed = true;
            }
        }
        if (!changed) continue;
        update.bind(1, row.docs[0]).bind(2, row.docs[1]).bind(3, row.docs[2]).bind(4, row.id);
        update.run();
    }
    return passed;
}

} // namespace enlace::core::detail
