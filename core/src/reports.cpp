// Problem reports (reports.hpp): filing by anyone, the country queue for editors and reviewers in
// scope, and the decisions, each of which is a change of the service (write_pipeline.cpp's
// report actions) so that it is audited and the service's public record, ETag and caches follow.
#include "enlace/core/reports.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/json_text.hpp"
#include "plain_text.hpp"
#include "registry_impl.hpp"
#include "stored_records.hpp"
#include "write_pipeline.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace enlace::core {
namespace {

using detail::code_points;
using detail::trimmed;

constexpr std::array<std::pair<ReportReason, std::string_view>, 4> reason_names{{
    {ReportReason::closed, "closed"},
    {ReportReason::moved, "moved"},
    {ReportReason::wrong_phone, "wrong_phone"},
    {ReportReason::other, "other"},
}};
constexpr std::array<std::pair<ReportStatus, std::string_view>, 4> status_names{{
    {ReportStatus::new_, "new"},
    {ReportStatus::triaged, "triaged"},
    {ReportStatus::resolved, "resolved"},
    {ReportStatus::dismissed, "dismissed"},
}};
constexpr std::array<std::pair<ReportDecision, std::string_view>, 3> decision_names{{
    {ReportDecision::triage, "triage"},
    {ReportDecision::resolve, "resolve"},
    {ReportDecision::dismiss, "dismiss"},
}};

template <class Names, class Value> std::string_view name_of(const Names& names, Value value) {
    for (const auto& [v, name] : names)
        if (v == value) return name;
    return names[0].second;
}

template <class Value, class Names> std::optional<Value> value_of(const Names& names, std::string_view text) {
    for (const auto& [v, name] : names)
        if (name == text) return v;
    return std::nullopt;
}

std::string today() { return detail::utc_now().substr(0, 10); }

std::string report_missing(std::int64_t id) { return "no report with id " + std::to_string(id); }

/// The public may file reports and nothing else; viewers read records, not reports.
void check_report_reader(const Caller& by) {
    if (by.is_public()) throw unauthorized("problem reports are read with a registry user's token");
    if (by.kind == Caller::Kind::user && by.role == Role::viewer)
        throw forbidden("a viewer may not read or decide problem reports: the editors and reviewers of the "
                        "service's country do");
}

/// The report as it will be kept, or every problem of the draft at once.
Report checked_report(const ReportDraft& draft) {
    std::vector<validation_issue> issues;
    const std::string reasons = "closed, moved, wrong_phone or other";
    const auto reason = parse_report_reason(draft.reason);
    if (draft.reason.empty())
        issues.push_back({"reason", "is required: " + reasons});
    else if (!reason)
        issues.push_back({"reason", "must be " + reasons});
    const std::string text = trimmed(draft.text);
    if (!valid_utf8(text)) {
        issues.push_back({"text", "is not valid UTF-8 text"});
    } else {
        if (const auto n = code_points(text); n > max_report_text)
            issues.push_back(
                {"text", "is " + std::to_string(n) + " characters long: at most " + std::to_string(max_report_text)});
        if (std::any_of(text.begin(), text.end(), [](char c) {
                const auto u = static_cast<unsigned char>(c);
                return (u < 0x20 && c != '\n' && c != '\t' && c != '\r') || u == 0x7F;
            }))
            issues.push_back({"text", "must not hold control characters"});
        if (reason == ReportReason::other && text.empty())
            issues.push_back({"text", "is required when the reason is other: say what is wrong"});
    }
    if (!issues.empty()) throw validation_error(std::move(issues));
    Report r;
    r.reason = *reason;
    if (!text.empty()) r.text = text;
    r.status = ReportStatus::new_;
    r.filed_on = today();
    return r;
}

/// A report as `by` may see it: its text only for those who review its country.
Report as_seen_by(const Caller& by, Report r) {
    if (!by.reviews({r.country})) r.text.reset();
    return r;
}

detail::Action action_of(ReportDecision decision) {
    switch (decision) {
    case ReportDecision::triage:
        return detail::Action::report_triage;
    case ReportDecision::resolve:
        return detail::Action::report_resolve;
    case ReportDecision::dismiss:
        return detail::Action::report_dismiss;
    }
    return detail::Action::report_dismiss;
}

} // namespace

std::string_view to_string(ReportReason reason) { return name_of(reason_names, reason); }
std::optional<ReportReason> parse_report_reason(std::string_view text) {
    return value_of<ReportReason>(reason_names, text);
}
std::string_view to_string(ReportStatus status) { return name_of(status_names, status); }
std::optional<ReportStatus> parse_report_status(std::string_view text) {
    return value_of<ReportStatus>(status_names, text);
}
std::string_view to_string(ReportDecision decision) { return name_of(decision_names, decision); }
std::optional<ReportDecision> parse_report_decision(std::string_view text) {
    return value_of<ReportDecision>(decision_names, text);
}

std::int64_t Registry::file_report(const Caller& by, std::int64_t service_id, const ReportDraft& draft) {
    std::int64_t id = 0;
    detail::write_one(*m_impl, [&] {
        auto& store = *m_impl->store;
        // The service first, then the body: an error about the text must not tell that a hidden
        // service exists.
        const auto stored = store.record(RecordKind::service, service_id);
        const std::string missing = "no service with id " + std::to_string(service_id);
        if (!stored || stored->state.deleted) throw not_found(missing);
        if (!detail::readable(by, RecordKind::service, *stored, {detail::decode_service(service_id, *stored).country}))
            throw not_found(missing);
        Report report = checked_report(draft);
        report.service_id = service_id;
        id = store.insert_report(report);
        // Nothing public changed until an editor triages it: no change of the service, no revision.
        return WriteResult{service_id, WriteOutcome::unchanged, stored->state.version};
    });
    return id;
}

std::vector<Report> Registry::reports(const Caller& by, const ReportFilter& filter) const {
    check_report_reader(by);
    return m_impl->read([&] {
        std::vector<Report> out;
        for (auto& r : m_impl->store->reports(filter))
            if (by.reads({r.country})) out.push_back(as_seen_by(by, std::move(r)));
        return out;
    });
}

Report Registry::report(const Caller& by, std::int64_t id) const {
    check_report_reader(by);
    return m_impl->read([&] {
        auto r = m_impl->store->report(id);
        if (!r || !by.reads({r->country})) throw not_found(report_missing(id));
        return as_seen_by(by, std::move(*r));
    });
}

WriteResult Registry::decide_report(const Caller& by, std::int64_t id, ReportDecision decision) {
    check_report_reader(by);
    return detail::write_one(*m_impl, [&] {
        auto& store = *m_impl->store;
        auto r = store.report(id);
        if (!r || !by.reads({r->country})) throw not_found(report_missing(id));
        const std::string name = "report " + std::to_string(id);
        const bool open = r->status == ReportStatus::new_ || r->status == ReportStatus::triaged;
        if (!open)
            throw conflict(name + " is " + std::string(to_string(r->status)) +
                           ": a closed report is not decided again");
        if (decision == ReportDecision::triage && r->status != ReportStatus::new_)
            throw conflict(name + " is triaged already: resolve or dismiss it");
        WriteOptions options;
        // The change log says which report and why, never what its reporter wrote.
        options.comment = name + " (" + std::string(to_string(r->reason)) + ")";
        const detail::Writer w{by, by.signature(), options};
        auto result = detail::change_record<Service>(*m_impl, r->service_id, action_of(decision), std::nullopt, w);
        if (decision == ReportDecision::triage) {
            r->status = ReportStatus::triaged;
            r->triaged_on = today();
        } else {
            r->status = decision == ReportDecision::resolve ? ReportStatus::resolved : ReportStatus::dismissed;
            r->closed_on = today();
            r->text.reset(); // purged: a closed report keeps no text
        }
        store.update_report(*r);
        return result;
    });
}

std::vector<ReportedProblem> Registry::reported_problems(std::int64_t service_id) const {
    return m_impl->read([&] {
        ReportFilter filter;
        filter.status = ReportStatus::triaged;
        filter.service_id = service_id;
        std::vector<ReportedProblem> out;
        for (const auto& r : m_impl->store->reports(filter))
            out.push_back({r.reason, r.filed_on});
        return out;
    });
}

} // namespace enlace::core
