// Problem reports in the core: who may file them (anyone, on a service it can read), what a
// report may say (checked, each problem named by its field), who lists them and reads their text,
// who decides them, what the public record shows after a triage, the audit of every decision and
// the text erased when a report is closed. Over real registry files, callers built directly.
#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/reports.hpp"
#include "enlace/core/sqlite.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace enlace;
using core::ReportDecision;
using core::ReportReason;
using core::ReportStatus;

namespace {

using test::user_caller;

const core::Caller anyone = core::Caller::anyone();
const core::Caller viewer_gt = user_caller("gil", core::Role::viewer, {"GT"});
const core::Caller editor_gt = user_caller("ana", core::Role::editor, {"GT"});
const core::Caller editor_sv = user_caller("carla", core::Role::editor, {"SV"});
const core::Caller reviewer_gt = user_caller("dora", core::Role::reviewer, {"GT"});
const core::Caller reviewer_sv = user_caller("fede", core::Role::reviewer, {"SV"});
const core::Caller compiler = user_caller("iom", core::Role::compiler, {});

struct Fixture {
    test::ScratchDir dir;
    core::Registry registry = test::make_registry(dir);
    std::int64_t gt = registry.put(test::service_at(-90.51, 14.62, "GT", "PRO.AUTHORITY", "Oficina GT")).id;
    std::int64_t sv = registry.put(test::service_at(-89.19, 13.69, "SV", "PRO.AUTHORITY", "Oficina SV")).id;

    std::int64_t file(const core::Caller& by, std::int64_t service, const std::string& reason,
                      const std::string& text = {}) {
        return registry.file_report(by, service, {reason, text});
    }
    std::string today() const { return registry.history(core::RecordKind::service, gt).front().at.substr(0, 10); }
};

/// The fields a validation_error names, in order.
std::vector<std::string> fields_of(const std::function<void()>& work) {
    try {
        work();
    } catch (const core::validation_error& e) {
        std::vector<std::string> out;
        for (const auto& issue : e.issues())
            out.push_back(issue.field);
        return out;
    }
    return {};
}

std::string repeated(const std::string& piece, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += piece;
    return out;
}

} // namespace

TEST_CASE("anyone files a report on a service it can read, a hidden service is not found", "[reports]") {
    Fixture f;
    CHECK(f.file(anyone, f.gt, "closed") > 0);
    CHECK(f.file(editor_sv, f.gt, "wrong_phone") > 0); // a published service: anyone may tell

    auto restricted = test::service_at(-90.52, 14.63, "GT", "PRO.AUTHORITY", "Restringido");
    restricted.visibility = core::Visibility::restricted;
    const auto hidden = f.registry.put(restricted).id;
    CHECK_THROWS_AS(f.file(anyone, hidden, "closed"), core::not_found);
    CHECK_THROWS_AS(f.file(editor_sv, hidden, "closed"), core::not_found);
    CHECK(f.file(viewer_gt, hidden, "closed") > 0); // in scope, it reads it

    core::WriteOptions reviewed;
    reviewed.reviewed = true;
    const auto draft =
        f.registry.put(editor_gt, test::service_at(-91.2, 15.3, "GT", "PRO.AUTHORITY", "Borrador"), reviewed).id;
    CHECK_THROWS_AS(f.file(anyone, draft, "moved"), core::not_found);
    CHECK(f.file(editor_gt, draft, "moved") > 0);

    f.registry.remove(core::Caller::holder("op"), core::RecordKind::service, f.sv);
    CHECK_THROWS_AS(f.file(anyone, f.sv, "closed"), core::not_found);
    CHECK_THROWS_AS(f.file(anyone, 999999, "closed"), core::not_found);
    // Scope before the body: a bad report on a hidden service says only "not found".
    CHECK_THROWS_AS(f.file(anyone, hidden, "nonsense"), core::not_found);
}

TEST_CASE("a report's reason and text are checked, every problem named by its field", "[reports]") {
    Fixture f;
    CHECK(fields_of([&] { f.file(anyone, f.gt, ""); }) == std::vector<std::string>{"reason"});
    CHECK(fields_of([&] { f.file(anyone, f.gt, "cerrado"); }) == std::vector<std::string>{"reason"});
    CHECK(fields_of([&] { f.file(anyone, f.gt, "other"); }) == std::vector<std::string>{"text"});
    CHECK(fields_of([&] { f.file(anyone, f.gt, "other", "   \n "); }) == std::vector<std::string>{"text"});
    CHECK(fields_of([&] { f.file(anyone, f.gt, "closed", repeated("ñ", 501)); }) == std::vector<std::string>{"text"});
    CHECK(fields_of([&] { f.file(anyone, f.gt, "closed", "bad \xC3\x28 byte"); }) == std::vector<std::string>{"text"});
    CHECK(fields_of([&] { f.file(anyone, f.gt, "closed", "bell\x07"); }) == std::vector<std::string>{"text"});
    CHECK(fields_of([&] { f.file(anyone, f.gt, "nope", repeated("x", 600)); }) ==
          std::vector<std::string>{"reason", "text"});
    // 500 characters of two bytes each are 500 characters, not 1,000.
    const auto id = f.file(anyone, f.gt, "closed", "  " + repeated("ñ", 500) + "\n");
    const auto kept = f.registry.report(compiler, id);
    CHECK(kept.text == repeated("ñ", 500)); // trimmed
    CHECK(kept.reason == ReportReason::closed);
    CHECK(kept.status == ReportStatus::new_);
    CHECK(kept.filed_on == f.today());
    CHECK(f.registry.reports(compiler).size() == 1); // nothing refused was kept
}

TEST_CASE("reports wait in their country's queue: editors and reviewers in scope list them, the text only "
          "reviewers read",
          "[reports]") {
    Fixture f;
    const auto on_gt = f.file(anyone, f.gt, "wrong_phone", "El número no contesta");
    const auto on_sv = f.file(anyone, f.sv, "moved", "Se mudó");

    const auto ids = [&](const core::Caller& by, core::ReportFilter filter = {}) {
        std::set<std::int64_t> out;
        for (const auto& r : f.registry.reports(by, filter))
            out.insert(r.id);
        return out;
    };
    CHECK(ids(editor_gt) == std::set<std::int64_t>{on_gt});
    CHECK(ids(reviewer_sv) == std::set<std::int64_t>{on_sv});
    CHECK(ids(compiler) == std::set<std::int64_t>{on_gt, on_sv});
    core::ReportFilter sv_only;
    sv_only.countries = {"SV"};
    CHECK(ids(editor_gt, sv_only).empty()); // another country's reports are not revealed
    CHECK(ids(compiler, sv_only) == std::set<std::int64_t>{on_sv});
    core::ReportFilter triaged;
    triaged.status = ReportStatus::triaged;
    CHECK(ids(compiler, triaged).empty());

    CHECK_FALSE(f.registry.report(editor_gt, on_gt).text.has_value()); // editors: reason and dates only
    CHECK(f.registry.report(reviewer_gt, on_gt).text == "El número no contesta");
    CHECK(f.registry.report(compiler, on_sv).text == "Se mudó");
    CHECK(f.registry.report(core::Caller::holder("op"), on_sv).text == "Se mudó");
    CHECK(f.registry.report(reviewer_gt, on_gt).country == "GT");

    CHECK_THROWS_AS(f.registry.report(editor_sv, on_gt), core::not_found);
    CHECK_THROWS_AS(f.registry.report(reviewer_gt, on_sv), core::not_found);
    CHECK_THROWS_AS(f.registry.reports(anyone), core::unauthorized);
    CHECK_THROWS_AS(f.registry.reports(viewer_gt), core::forbidden);
    CHECK_THROWS_AS(f.registry.report(viewer_gt, on_gt), core::forbidden);
}

TEST_CASE("a triaged report shows on the service's public record, resolving erases its text, every decision is "
          "a new version, audited without the text",
          "[reports]") {
    Fixture f;
    const std::string secret = "Cerró en octubre, dice la vecina";
    const auto id = f.file(anyone, f.gt, "closed", secret);
    const auto version = [&] { return f.registry.public_service(f.gt)->version; };
    const auto before = version();
    CHECK(f.registry.reported_problems(f.gt).empty());                      // not before an editor triages it
    CHECK(f.registry.history(core::RecordKind::service, f.gt).size() == 1); // filing changes nothing public

    CHECK_THROWS_AS(f.registry.decide_report(anyone, id, ReportDecision::triage), core::unauthorized);
    CHECK_THROWS_AS(f.registry.decide_report(viewer_gt, id, ReportDecision::triage), core::forbidden);
    CHECK_THROWS_AS(f.registry.decide_report(editor_sv, id, ReportDecision::triage), core::not_found);
    CHECK_THROWS_AS(f.registry.decide_report(reviewer_sv, id, ReportDecision::triage), core::not_found);
    CHECK_THROWS_AS(f.registry.decide_report(editor_gt, id + 1000, ReportDecision::triage), core::not_found);

    const auto triaged = f.registry.decide_report(editor_gt, id, ReportDecision::triage);
    CHECK(triaged.revision > 0);
    CHECK(version() == before + 1); // the public record changed: so does its ETag
    const auto shown = f.registry.reported_problems(f.gt);
    REQUIRE(shown.size() == 1);
    CHECK(shown[0].reason == ReportReason::closed);
    CHECK(shown[0].reported_on == f.today());
    CHECK(f.registry.report(reviewer_gt, id).status == ReportStatus::triaged);
    CHECK(f.registry.report(reviewer_gt, id).triaged_on == f.today());
    CHECK(f.registry.report(reviewer_gt, id).text == secret); // kept while it is being looked into
    CHECK_THROWS_AS(f.registry.decide_report(editor_gt, id, ReportDecision::triage), core::conflict);

    f.registry.decide_report(reviewer_gt, id, ReportDecision::resolve);
    CHECK(version() == before + 2);
    CHECK(f.registry.reported_problems(f.gt).empty());
    const auto closed = f.registry.report(compiler, id);
    CHECK(closed.status == ReportStatus::resolved);
    CHECK(closed.closed_on == f.today());
    CHECK_FALSE(closed.text.has_value());
    CHECK_THROWS_AS(f.registry.decide_report(editor_gt, id, ReportDecision::dismiss), core::conflict);

    // A new report dismissed at once: closed, erased, never shown.
    const auto other = f.file(anyone, f.gt, "other", "No existe");
    f.registry.decide_report(compiler, other, ReportDecision::dismiss);
    CHECK(f.registry.report(compiler, other).status == ReportStatus::dismissed);
    CHECK_FALSE(f.registry.report(compiler, other).text.has_value());

    std::vector<std::string> actions, who;
    for (const auto& c : f.registry.history(core::RecordKind::service, f.gt)) {
        actions.push_back(c.action);
        who.push_back(c.who);
        CHECK(c.comment.find(secret) == std::string::npos);
    }
    CHECK(actions == std::vector<std::string>{"create", "report-triage", "report-resolve", "report-dismiss"});
    CHECK(who[1] == "user:ana");
    CHECK(who[2] == "user:dora");
    CHECK(f.registry.history(core::RecordKind::service, f.gt)[1].comment ==
          "report " + std::to_string(id) + " (closed)");

    // Nowhere in the store: the text is erased from the table, and never was in the change log.
    const auto where = f.dir.registry();
    CHECK(test::sql_value(where, "SELECT count(*) FROM reports WHERE text IS NOT NULL") == "0");
    CHECK(test::sql_value(where, "SELECT count(*) FROM changes WHERE coalesce(comment, '') || coalesce(before, '') || "
                                 "coalesce(proposed, '') LIKE '%vecina%'") == "0");
}

TEST_CASE("a report keeps nothing about its reporter: no address, position, browser, account or time of day",
          "[reports]") {
    Fixture f;
    f.file(editor_gt, f.gt, "moved", "Ahora en la calle 5");
    const auto where = f.dir.registry();
    CHECK(test::column_names(where, "reports") == std::vector<std::string>{"id", "service_id", "reason", "text",
                                                                           "status", "filed_on", "triaged_on",
                                                                           "closed_on"});
    CHECK(test::sql_value(where, "SELECT filed_on FROM reports").size() ==
          10); // a day, never a time that could be matched with a log
    // A registry user's report is as anonymous as anyone's: their name is nowhere in its row.
    CHECK(test::sql_value(where, "SELECT count(*) FROM reports WHERE reason || text || status LIKE '%ana%'") == "0");
}

TEST_CASE("the reports of a deleted service are still closed by its country's editors, their text erased",
          "[reports]") {
    Fixture f;
    const auto id = f.file(anyone, f.gt, "closed", "Ya no existe");
    f.registry.remove(core::Caller::holder("op"), core::RecordKind::service, f.gt);
    CHECK_THROWS_AS(f.registry.decide_report(editor_gt, id, ReportDecision::triage), core::not_found);
    CHECK_THROWS_AS(f.registry.decide_report(editor_sv, id, ReportDecision::dismiss), core::not_found);
    f.registry.decide_report(editor_gt, id, ReportDecision::resolve);
    const auto closed = f.registry.report(reviewer_gt, id);
    CHECK(closed.status == ReportStatus::resolved);
    CHECK_FALSE(closed.text.has_value());
    CHECK_FALSE(f.registry.service(anyone, f.gt).has_value()); // still deleted
    CHECK(f.registry.history(core::RecordKind::service, f.gt).back().action == "report-resolve");
}

TEST_CASE("a service moved to another country takes its reports to that country's queue", "[reports]") {
    Fixture f;
    const auto id = f.file(anyone, f.gt, "moved");
    auto moved = *f.registry.service_record(f.gt);
    moved.country = "SV";
    moved.site->point = {-89.2, 13.7};
    f.registry.put(moved);
    CHECK(f.registry.report(reviewer_sv, id).country == "SV");
    CHECK_THROWS_AS(f.registry.report(reviewer_gt, id), core::not_found);
}
