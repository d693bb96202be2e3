// The Strategic Plan in PostgreSQL: its structure, its entries and the log of its changes (the
// same tables as the SQLite store's, schema step 11).
#include "postgres_store.hpp"

namespace enlace::core::detail {
namespace {

constexpr const char* entry_select = "SELECT action, country, status, version, updated_at, doc FROM plan_entries ";

PlanEntry entry_of(const pg::Result& res, int i) {
    PlanEntry entry = PlanEntry::from_document(res.text(i, 0), res.text(i, 1), res.text(i, 5));
    entry.status = parse_plan_status(res.text(i, 2)).value_or(PlanStatus::missing);
    entry.version = res.integer(i, 3);
    entry.updated_at = res.text(i, 4);
    return entry;
}

std::optional<std::string> text_or_null(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

} // namespace

std::optional<std::string> PostgresStore::plan_structure() {
    const auto r = run("SELECT doc FROM plan_structure WHERE id = 1");
    if (r.empty()) return std::nullopt;
    return r.text(0, 0);
}

void PostgresStore::save_plan_structure(const std::string& plan_json) {
    pg::Params p;
    run("INSERT INTO plan_structure (id, doc) VALUES (1, " + p.add(plan_json) +
            ") ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
        p);
}

std::vector<PlanEntry> PostgresStore::plan_entries(const PlanFilter& filter) {
    pg::Params p;
    std::string where = "WHERE true";
    if (!filter.countries.empty()) where += " AND country IN (" + p.list(filter.countries) + ")";
    if (filter.status) where += " AND status = " + p.add(std::string(to_string(*filter.status)));
    const auto r = run(std::string(entry_select) + where + " ORDER BY action, country", p);
    std::vector<PlanEntry> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(entry_of(r, i));
    return out;
}

std::optional<PlanEntry> PostgresStore::plan_entry(const std::string& action, const std::string& country) {
    pg::Params p;
    const auto r =
        run(std::string(entry_select) + "WHERE action = " + p.add(action) + " AND country = " + p.add(country), p);
    if (r.empty()) return std::nullopt;
    return entry_of(r, 0);
}

void PostgresStore::write_plan_entry(const PlanEntry& entry) {
    pg::Params p;
    const std::string values = p.add(entry.action) + ", " + p.add(entry.country) + ", " +
                               p.add(std::string(to_string(entry.status))) + ", " + p.add(entry.version) +
                               "::bigint, " + p.add(entry.updated_at) + ", " + p.add(entry.document());
    run("INSERT INTO plan_entries (action, country, status, version, updated_at, doc) VALUES (" + values +
            ") ON CONFLICT (action, country) DO UPDATE SET status = excluded.status, version = excluded.version, "
            "updated_at = excluded.updated_at, doc = excluded.doc",
        p);
}

void PostgresStore::append_plan_change(const PlanChange& change) {
    pg::Params p;
    const std::string values = p.add(change.at) + ", " + p.add(change.who) + ", " + p.add(change.change) + ", " +
                               p.add(change.action) + ", " + p.add(change.country) + ", " +
                               p.add(text_or_null(change.before)) + "::text, " + p.add(text_or_null(change.after)) +
                               "::text, " + p.add(text_or_null(change.comment)) + "::text";
    run("INSERT INTO plan_changes (id, at, who, change, action, country, before, after, comment) VALUES (" +
            next_id("plan_changes") + ", " + values + ")",
        p);
}

std::vector<PlanChange> PostgresStore::plan_history(const std::string& action, const std::string& country) {
    pg::Params p;
    const auto r = run("SELECT id, at, who, change, action, country, before, after, comment FROM plan_changes "
                       "WHERE action = " +
                           p.add(action) + " AND country = " + p.add(country) + " ORDER BY id",
                       p);
    std::vector<PlanChange> out;
    for (int i = 0; i < r.rows(); ++i) {
        PlanChange c;
        c.id = r.integer(i, 0);
        c.at = r.text(i, 1);
        c.who = r.text(i, 2);
        c.change = r.text(i, 3);
        c.action = r.text(i, 4);
        c.country = r.text(i, 5);
        c.before = r.optional_text(i, 6).value_or("");
        c.after = r.optional_text(i, 7).value_or("");
        c.comment = r.optional_text(i, 8).value_or("");
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace enlace::core::detail
