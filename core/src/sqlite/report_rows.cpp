// Problem reports in SQLite. A report's country is read from its service, so that a service
// moved to another country takes its reports to that country's queue.
#include "sqlite_store.hpp"

namespace enlace::core::detail {
namespace {

constexpr const char* report_select =
    "SELECT r.id, r.service_id, s.country, r.reason, r.text, r.status, r.filed_on, r.triaged_on, r.closed_on "
    "FROM reports r JOIN services s ON s.id = r.service_id ";

Report report_of(const sqlite::Statement& stmt) {
    Report r;
    r.id = stmt.column_int(0);
    r.service_id = stmt.column_int(1);
    r.country = stmt.column_text(2);
    r.reason = parse_report_reason(stmt.column_text(3)).value_or(ReportReason::other);
    r.text = stmt.column_optional_text(4);
    r.status = parse_report_status(stmt.column_text(5)).value_or(ReportStatus::new_);
    r.filed_on = stmt.column_text(6);
    r.triaged_on = stmt.column_optional_text(7).value_or("");
    r.closed_on = stmt.column_optional_text(8).value_or("");
    return r;
}

std::optional<std::string> date_or_null(const std::string& date) {
    return date.empty() ? std::nullopt : std::optional<std::string>(date);
}

} // namespace

std::int64_t SqliteStore::insert_report(const Report& r) {
    auto& stmt = prepare("INSERT INTO reports (service_id, reason, text, status, filed_on, triaged_on, closed_on) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)");
    stmt.bind(1, r.service_id)
        .bind(2, to_string(r.reason))
        .bind(3, r.text)
        .bind(4, to_string(r.status))
        .bind(5, r.filed_on)
        .bind(6, date_or_null(r.triaged_on))
        .bind(7, date_or_null(r.closed_on));
    stmt.run();
    return m_db.last_insert_rowid();
}

std::optional<Report> SqliteStore::report(std::int64_t id) {
    auto& stmt = prepare(std::string(report_select) + "WHERE r.id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    auto r = report_of(stmt);
    stmt.reset();
    return r;
}

std::vector<Report> SqliteStore::reports(const ReportFilter& filter) {
    // The countries as one bound list (",GT,SV,"), matched whole: no SQL is built from values.
    std::optional<std::string> countries;
    if (!filter.countries.empty()) {
        countries = ",";
        for (const auto& c : filter.countries)
            *countries += c + ",";
    }
    auto& stmt = prepare(std::string(report_select) +
                         "WHERE (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR r.service_id = ?2) "
                         "AND (?3 IS NULL OR instr(?3, ',' || s.country || ',') > 0) ORDER BY r.id");
    std::optional<std::string> status;
    if (filter.status) status = std::string(to_string(*filter.status));
    stmt.bind(1, status).bind(2, filter.service_id).bind(3, countries);
    std::vector<Report> out;
    while (stmt.step())
        out.push_back(report_of(stmt));
    stmt.reset();
    return out;
}

void SqliteStore::update_report(const Report& r) {
    auto& stmt = prepare("UPDATE reports SET status = ?, text = ?, triaged_on = ?, closed_on = ? WHERE id = ?");
    stmt.bind(1, to_string(r.status))
        .bind(2, r.text)
        .bind(3, date_or_null(r.triaged_on))
        .bind(4, date_or_null(r.closed_on))
        .bind(5, r.id);
    stmt.run();
}

} // namespace enlace::core::detail
