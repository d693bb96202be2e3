// The Strategic Plan in SQLite: its structure, its entries and the log of its changes.
#include "sqlite_store.hpp"

namespace enlace::core::detail {
namespace {

constexpr const char* entry_select = "SELECT action, country, status, version, updated_at, doc FROM plan_entries ";

PlanEntry entry_of(const sqlite::Statement& stmt) {
    PlanEntry entry = PlanEntry::from_document(stmt.column_text(0), stmt.column_text(1), stmt.column_text(5));
    entry.status = parse_plan_status(stmt.column_text(2)).value_or(PlanStatus::missing);
    entry.version = stmt.column_int(3);
    entry.updated_at = stmt.column_text(4);
    return entry;
}

std::optional<std::string> text_or_null(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

} // namespace

std::optional<std::string> SqliteStore::plan_structure() {
    auto& stmt = prepare("SELECT doc FROM plan_structure WHERE id = 1");
    if (!stmt.step()) return std::nullopt;
    auto doc = stmt.column_text(0);
    stmt.reset();
    return doc;
}

void SqliteStore::save_plan_structure(const std::string& plan_json) {
    prepare("INSERT INTO plan_structure (id, doc) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc")
        .bind(1, plan_json)
        .run();
}

std::vector<PlanEntry> SqliteStore::plan_entries(const PlanFilter& filter) {
    // The countries as one bound list (",GT,SV,"), matched whole: no SQL is built from values.
    std::optional<std::string> countries;
    if (!filter.countries.empty()) {
        countries = ",";
        for (const auto& c : filter.countries)
            *countries += c + ",";
    }
    std::optional<std::string> status;
    if (filter.status) status = std::string(to_string(*filter.status));
    auto& stmt = prepare(std::string(entry_select) +
                         "WHERE (?1 IS NULL OR instr(?1, ',' || country || ',') > 0) AND (?2 IS NULL OR status = ?2) "
                         "ORDER BY action, country");
    stmt.bind(1, countries).bind(2, status);
    std::vector<PlanEntry> out;
    while (stmt.step())
        out.push_back(entry_of(stmt));
    stmt.reset();
    return out;
}

std::optional<PlanEntry> SqliteStore::plan_entry(const std::string& action, const std::string& country) {
    auto& stmt = prepare(std::string(entry_select) + "WHERE action = ? AND country = ?");
    stmt.bind(1, action).bind(2, country);
    if (!stmt.step()) return std::nullopt;
    auto entry = entry_of(stmt);
    stmt.reset();
    return entry;
}

void SqliteStore::write_plan_entry(const PlanEntry& entry) {
    prepare("INSERT INTO plan_entries (action, country, status, version, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (action, country) DO UPDATE SET status = excluded.status, version = excluded.version, "
            "updated_at = excluded.updated_at, doc = excluded.doc")
        .bind(1, entry.action)
        .bind(2, entry.country)
        .bind(3, to_string(entry.status))
        .bind(4, entry.version)
        .bind(5, entry.updated_at)
        .bind(6, entry.document())
        .run();
}

void SqliteStore::append_plan_change(const PlanChange& change) {
    prepare("INSERT INTO plan_changes (at, who, change, action, country, before, after, comment) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, change.at)
        .bind(2, change.who)
        .bind(3, change.change)
        .bind(4, change.action)
        .bind(5, change.country)
        .bind(6, text_or_null(change.before))
        .bind(7, text_or_null(change.after))
        .bind(8, text_or_null(change.comment))
        .run();
}

std::vector<PlanChange> SqliteStore::plan_history(const std::string& action, const std::string& country) {
    auto& stmt = prepare("SELECT id, at, who, change, action, country, before, after, comment FROM plan_changes "
                         "WHERE action = ? AND country = ? ORDER BY id");
    stmt.bind(1, action).bind(2, country);
    std::vector<PlanChange> out;
    while (stmt.step()) {
        PlanChange c;
        c.id = stmt.column_int(0);
        c.at = stmt.column_text(1);
        c.who = stmt.column_text(2);
        c.change = stmt.column_text(3);
        c.action = stmt.column_text(4);
        c.country = stmt.column_text(5);
        c.before = stmt.column_optional_text(6).value_or("");
        c.after = stmt.column_optional_text(7).value_or("");
        c.comment = stmt.column_optional_text(8).value_or("");
        out.push_back(std::move(c));
    }
    stmt.reset();
    return out;
}

} // namespace enlace::core::detail
