// Problem reports in PostgreSQL. A report's country is read from its service, so that a service
// moved to another country takes its reports to that country's queue.
#include "postgres_store.hpp"

namespace enlace::core::detail {
namespace {

constexpr const char* report_select =
    "SELECT r.id, r.service_id, s.country, r.reason, r.text, r.status, r.filed_on, r.triaged_on, r.closed_on "
    "FROM reports r JOIN services s ON s.id = r.service_id ";

Report report_of(const pg::Result& res, int i) {
    Report r;
    r.id = res.integer(i, 0);
    r.service_id = res.integer(i, 1);
    r.country = res.text(i, 2);
    r.reason = parse_report_reason(res.text(i, 3)).value_or(ReportReason::other);
    r.text = res.optional_text(i, 4);
    r.status = parse_report_status(res.text(i, 5)).value_or(ReportStatus::new_);
    r.filed_on = res.text(i, 6);
    r.triaged_on = res.optional_text(i, 7).value_or("");
    r.closed_on = res.optional_text(i, 8).value_or("");
    return r;
}

std::optional<std::string> date_or_null(const std::string& date) {
    return date.empty() ? std::nullopt : std::optional<std::string>(date);
}

} // namespace

std::int64_t PostgresStore::insert_report(const Report& r) {
    pg::Params p;
    const std::string values = p.add(r.service_id) + "::bigint, " + p.add(to_string(r.reason)) + ", " + p.add(r.text) +
                               "::text, " + p.add(to_string(r.status)) + ", " + p.add(r.filed_on) + ", " +
                               p.add(date_or_null(r.triaged_on)) + "::text, " + p.add(date_or_null(r.closed_on)) +
                               "::text";
    return run("INSERT INTO reports (id, service_id, reason, text, status, filed_on, triaged_on, closed_on) VALUES (" +
                   next_id("reports") + ", " + values + ") RETURNING id",
               p)
        .integer(0, 0);
}

std::optional<Report> PostgresStore::report(std::int64_t id) {
    pg::Params p;
    const auto r = run(std::string(report_select) + "WHERE r.id = " + p.add(id), p);
    if (r.empty()) return std::nullopt;
    return report_of(r, 0);
}

std::vector<Report> PostgresStore::reports(const ReportFilter& filter) {
    pg::Params p;
    std::string where = "WHERE true";
    if (filter.status) where += " AND r.status = " + p.add(std::string(to_string(*filter.status)));
    if (filter.service_id) where += " AND r.service_id = " + p.add(*filter.service_id) + "::bigint";
    if (!filter.countries.empty()) where += " AND s.country IN (" + p.list(filter.countries) + ")";
    const auto r = run(std::string(report_select) + where + " ORDER BY r.id", p);
    std::vector<Report> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(report_of(r, i));
    return out;
}

void PostgresStore::update_report(const Report& r) {
    pg::Params p;
    const std::string sets = "status = " + p.add(to_string(r.status)) + ", text = " + p.add(r.text) +
                             "::text, triaged_on = " + p.add(date_or_null(r.triaged_on)) +
                             "::text, closed_on = " + p.add(date_or_null(r.closed_on)) + "::text";
    run("UPDATE reports SET " + sets + " WHERE id = " + p.add(r.id), p);
}

} // namespace enlace::core::detail
