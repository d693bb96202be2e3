#pragma once
// Problem reports: anyone tells the registry that a service's listing is wrong (closed, moved, a
// wrong phone, something else, with an optional short text). Nothing about the reporter is asked
// or kept: no name, account, address, position or browser, and only the day it was filed. A
// report waits in its service's country queue; an editor in scope triages it (then the public
// record says "reported on DATE, under review"), then resolves or dismisses it, which erases its
// text. docs/security.md ("Problem reports") states who sees and does what.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::core {

enum class ReportReason { closed, moved, wrong_phone, other };
/// new -> triaged -> resolved or dismissed; new -> resolved or dismissed too. Resolved and
/// dismissed are final.
enum class ReportStatus { new_, triaged, resolved, dismissed };
/// What an editor does with a report (POST /api/v1/reports/{id}/{decision}).
enum class ReportDecision { triage, resolve, dismiss };

/// "closed", "moved", "wrong_phone", "other".
std::string_view to_string(ReportReason reason);
std::optional<ReportReason> parse_report_reason(std::string_view text);
/// "new", "triaged", "resolved", "dismissed".
std::string_view to_string(ReportStatus status);
std::optional<ReportStatus> parse_report_status(std::string_view text);
/// "triage", "resolve", "dismiss".
std::string_view to_string(ReportDecision decision);
std::optional<ReportDecision> parse_report_decision(std::string_view text);

/// The longest text of a report, in characters (Unicode code points).
inline constexpr std::size_t max_report_text = 500;

/// A report as its reporter sends it, unchecked: Registry::file_report validates it.
struct ReportDraft {
    std::string reason; // one of the ReportReason spellings
    std::string text;   // optional (required for "other"), at most max_report_text characters
};

/// A report as the registry keeps it. `text` is empty once the report is closed (erased), and
/// empty in what a caller who may not read it is given.
struct Report {
    std::int64_t id = 0;
    std::int64_t service_id = 0;
    std::string country; // the service's
    ReportReason reason = ReportReason::other;
    std::optional<std::string> text;
    ReportStatus status = ReportStatus::new_;
    std::string filed_on, triaged_on, closed_on; // YYYY-MM-DD; empty until it happens
};

/// Which reports to list: of these countries (empty: all in the caller's scope), of one status,
/// of one service.
struct ReportFilter {
    std::vector<std::string> countries;
    std::optional<ReportStatus> status;
    std::optional<std::int64_t> service_id;
};

/// What the public record of a service says of a triaged report: its reason and the day it was
/// filed, never its text.
struct ReportedProblem {
    ReportReason reason = ReportReason::other;
    std::string reported_on;
};

} // namespace enlace::core
