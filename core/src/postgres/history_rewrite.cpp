// Old versions in the change log rewritten in place (Store::rewrite_old_versions), for `enlace
// purge`: every row is read first, then written, in the caller's write transaction.
#include "postgres_store.hpp"

#include <array>

namespace enlace::core::detail {

std::int64_t PostgresStore::rewrite_old_versions(
    const std::string& before_at,
    const std::function<std::optional<std::string>(RecordKind, const std::string&)>& rewrite) {
    pg::Params p;
    const auto r = run("SELECT id, record_table, before, after, proposed FROM changes WHERE at < " + p.add(before_at) +
                           " AND record_table IN ('services', 'actors') "
                           "AND (before IS NOT NULL OR after IS NOT NULL OR proposed IS NOT NULL) ORDER BY id",
                       p);
    std::int64_t passed = 0;
    for (int i = 0; i < r.rows(); ++i) {
        const RecordKind kind = r.text(i, 1) == "actors" ? RecordKind::actor : RecordKind::service;
        std::array<std::optional<std::string>, 3> docs{r.optional_text(i, 2), r.optional_text(i, 3),
                                                       r.optional_text(i, 4)};
        bool changed = false;
        for (auto& doc : docs) {
            if (!doc || doc->empty()) continue;
            ++passed;
            if (auto rewritten = rewrite(kind, *doc)) {
                doc = std::move(rewritten);
                changed = true;
            }
        }
        if (!changed) continue;
        pg::Params u;
        run("UPDATE changes SET before = " + u.add(docs[0]) + "::text, after = " + u.add(docs[1]) +
                "::text, proposed = " + u.add(docs[2]) + "::text WHERE id = " + u.add(r.integer(i, 0)),
            u);
    }
    return passed;
}

} // namespace enlace::core::detail
