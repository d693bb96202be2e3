// enlace reports: problem reports of services, as the caller (the holder, or --as a registry
// user) may see and decide them; `enlace reports file` files one as anyone would.
#include "commands.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/reports.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace enlace::cli {
namespace {

struct ReportOptions {
    std::string action = "list";
    std::int64_t id = 0;
    std::string country, status, reason, text;
};

nlohmann::json report_json(const core::Report& r) {
    const auto date = [](const std::string& d) { return d.empty() ? nlohmann::json() : nlohmann::json(d); };
    nlohmann::json out{{"id", r.id},
                       {"service_id", r.service_id},
                       {"country", r.country},
                       {"reason", core::to_string(r.reason)},
                       {"status", core::to_string(r.status)},
                       {"filed_on", r.filed_on},
                       {"triaged_on", date(r.triaged_on)},
                       {"closed_on", date(r.closed_on)}};
    if (r.text) out["text"] = *r.text;
    return out;
}

void list_reports(const Common& common, const ReportOptions& o) {
    const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
    core::ReportFilter filter;
    filter.countries = core::split_list(o.country, true);
    if (!o.status.empty()) {
        filter.status = core::parse_report_status(o.status);
        if (!filter.status) throw core::query_error("status", "must be new, triaged, resolved or dismissed");
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : registry.reports(caller_of(common, registry), filter))
        out.push_back(report_json(r));
    std::cout << out.dump(2) << '\n';
}

} // namespace

void add_report_commands(CLI::App& app, const Common& common) {
    auto o = std::make_shared<ReportOptions>();
    auto* reports = app.add_subcommand(
        "reports", "Problem reports of services: list them (the default), or triage, resolve or dismiss report ID; "
                   "`file SERVICE_ID --reason R [--text T]` files one");
    reports->add_option("action", o->action, "list, triage, resolve, dismiss or file")
        ->check(CLI::IsMember({"list", "triage", "resolve", "dismiss", "file"}))
        ->capture_default_str();
    reports->add_option("id", o->id, "The report's id (for file: the service's)");
    reports->add_option("--country", o->country, "Countries, alpha-2, comma-separated (list)");
    reports->add_option("--status", o->status, "new, triaged, resolved or dismissed (list)");
    reports->add_option("--reason", o->reason, "closed, moved, wrong_phone or other (file)");
    reports->add_option("--text", o->text, "What is wrong, at most 500 characters (file)");
    reports->callback([&common, o] {
        if (o->action == "list") {
            if (o->id != 0) throw usage_error("reports list takes no id (use --country and --status)");
            return list_reports(common, *o);
        }
        if (o->id <= 0) throw usage_error("reports " + o->action + " needs an id");
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const auto by = caller_of(common, registry);
        if (o->action == "file") {
            const auto id = registry.file_report(by, o->id, {o->reason, o->text});
            std::cout << nlohmann::json{{"id", id}, {"service_id", o->id}, {"status", "new"}}.dump() << '\n';
            return;
        }
        registry.decide_report(by, o->id, *core::parse_report_decision(o->action));
        std::cout << report_json(registry.report(by, o->id)).dump() << '\n';
    });
}

} // namespace enlace::cli
