// The Strategic Plan in the core: its file format (every problem named by its path), who may read,
// propose, confirm and note each cell (the role x country matrix), the status flow with versions,
// the checks on the entities proposed, the history of every change (append-only), and a new
// structure that would orphan the countries' work refused. Over real registry files.
#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"
#include "enlace/core/strategic_plan.hpp"
#include "enlace/data/embedded.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>

using namespace enlace;
using core::PlanStatus;

namespace {

using test::user_caller;

const core::Caller anyone = core::Caller::anyone();
const core::Caller holder = core::Caller::holder("tester");
const core::Caller viewer_gt = user_caller("gil", core::Role::viewer, {"GT"});
const core::Caller editor_gt = user_caller("ana", core::Role::editor, {"GT"});
const core::Caller editor_sv = user_caller("carla", core::Role::editor, {"SV"});
const core::Caller reviewer_gt = user_caller("dora", core::Role::reviewer, {"GT"});
const core::Caller compiler = user_caller("iom", core::Role::compiler, {});
const core::Caller admin = user_caller("root", core::Role::admin, {});

std::string plan_file() { return std::string(*data::embedded("strategic_plan.json")); }

core::WriteOptions at_version(std::int64_t version) {
    core::WriteOptions options;
    options.if_version = version;
    return options;
}

struct Fixture {
    test::ScratchDir dir;
    core::Registry registry = test::make_registry(dir);
    std::int64_t pgn = actor("Procuraduría de la Niñez", {"GT"});
    std::int64_t sbs = actor("Secretaría de Bienestar Social", {"GT"});
    std::int64_t icrc = actor("Comité Internacional de la Cruz Roja", {"GT", "SV"});
    std::int64_t conapina = actor("CONAPINA", {"SV"});

    Fixture() { REQUIRE(registry.load_plan(holder, core::PlanStructure::from_json(plan_file()))); }

    std::int64_t actor(const std::string& name, std::vector<std::string> countries) {
        core::Actor a;
        a.name = {{"es", name}};
        a.actor_type = "GOV_CP";
        a.countries = std::move(countries);
        return registry.put(a).id;
    }
    core::PlanEntry cell(const std::string& action, const std::string& country) {
        return registry.plan_entry(compiler, action, country);
    }
};

/// The fields a validation_error names, in order; fails the test when none is thrown.
std::vector<std::string> fields_of(const std::function<void()>& work) {
    try {
        work();
    } catch (const core::validation_error& e) {
        std::vector<std::string> out;
        for (const auto& issue : e.issues())
            out.push_back(issue.field);
        return out;
    }
    FAIL("no validation_error");
    return {};
}

} // namespace

TEST_CASE("a Plan file: the embedded one reads back the same, and every problem of a bad one is named", "[plan]") {
    const auto plan = core::PlanStructure::from_json(plan_file());
    CHECK(plan.illustrative);
    CHECK(plan.period == "2017-2022");
    CHECK(plan.axes.size() == 5);
    CHECK(plan.actions().size() == 15);
    CHECK(plan.action("3.2.1") != nullptr);
    CHECK(plan.action("9.9.9") == nullptr);
    CHECK(core::PlanStructure::from_json(plan.to_json()).to_json() == plan.to_json());

    const auto bad = R"({"title": {"es": "Plan"}, "period": "2017-2022", "colour": "red", "axes": [
        {"code": "1", "text": {"es": "Eje", "en": "Axis"}, "objectives": [
            {"code": "1.1", "text": {"es": "Objetivo"}, "actions": [
                {"code": "1.1.1", "text": {"es": "A", "en": "A"}},
                {"code": "1.1.1", "text": {"es": "B", "en": "B"}},
                {"code": "1 1 2", "text": {"es": "C", "en": "C"}}]}]},
        {"code": "2", "text": {"es": "Eje", "en": "Axis"}, "objectives": []}]})";
    CHECK(fields_of([&] { core::PlanStructure::from_json(bad); }) ==
          std::vector<std::string>{"colour", "axes[0].objectives[0].text.en", "axes[0].objectives[0].actions[1].code",
                                   "axes[0].objectives[0].actions[2].code", "axes[1].objectives"});
    CHECK(fields_of([] { core::PlanStructure::from_json("{\"axes\": "); }) == std::vector<std::string>{"plan"});
    CHECK(fields_of([] { core::PlanStructure::from_json("[]"); }) == std::vector<std::string>{"plan"});
    // A number beyond a double's range is refused as bad JSON, not thrown as another error (found
    // by fuzz/fuzz_plan_structure.cpp).
    CHECK(fields_of([] { core::PlanStructure::from_json(R"({"period": 1e99999})"); }) ==
          std::vector<std::string>{"plan"});
    CHECK(fields_of([] { core::PlanStructure::from_json(R"({"title": {"es": "P"}, "period": "x", "axes": []})"); }) ==
          std::vector<std::string>{"axes"});
}

TEST_CASE("the Plan's cells: every action by every member country, missing until a country proposes", "[plan]") {
    Fixture f;
    const auto all = f.registry.plan_entries(compiler);
    REQUIRE(all.size() == 15 * 11);
    CHECK(all.front().action == "1.1.1");
    CHECK(all.front().country == f.registry.reference().countries().front().alpha2);
    CHECK(std::all_of(all.begin(), all.end(), [](const auto& e) { return e.status == PlanStatus::missing; }));
    CHECK(all.back().action == "5.2.1");

    f.registry.propose_plan(editor_gt, "2.1.1", "GT", {f.pgn});
    core::PlanFilter gt;
    gt.countries = {"GT"};
    CHECK(f.registry.plan_entries(viewer_gt, gt).size() == 15);
    gt.status = PlanStatus::proposed;
    const auto proposed = f.registry.plan_entries(viewer_gt, gt);
    REQUIRE(proposed.size() == 1);
    CHECK(proposed[0].action == "2.1.1");
    CHECK(proposed[0].actor_names == std::vector<std::string>{"Procuraduría de la Niñez"});
    core::PlanFilter missing;
    missing.status = PlanStatus::missing;
    CHECK(f.registry.plan_entries(compiler, missing).size() == 15 * 11 - 1);

    core::PlanFilter unknown;
    unknown.countries = {"FR"};
    CHECK_THROWS_AS(f.registry.plan_entries(compiler, unknown), core::query_error);
    CHECK_THROWS_AS(f.registry.plan_entry(compiler, "9.9.9", "GT"), core::not_found);
    CHECK_THROWS_AS(f.registry.plan_entry(compiler, "1.1.1", "FR"), core::not_found);
    CHECK_THROWS_AS(f.registry.propose_plan(holder, "9.9.9", "GT", {f.pgn}), core::not_found);
}

TEST_CASE("who may read and write the Plan: the role x country matrix", "[plan][access]") {
    Fixture f;
    SECTION("the public reads the structure, not the working table") {
        CHECK(f.registry.plan().has_value());
        CHECK_THROWS_AS(f.registry.plan_entries(anyone), core::unauthorized);
        CHECK_THROWS_AS(f.registry.plan_entry(anyone, "1.1.1", "GT"), core::unauthorized);
        CHECK_THROWS_AS(f.registry.plan_history(anyone, "1.1.1", "GT"), core::unauthorized);
        CHECK_THROWS_AS(f.registry.propose_plan(anyone, "1.1.1", "GT", {f.pgn}), core::unauthorized);
        CHECK_THROWS_AS(f.registry.confirm_plan(anyone, "1.1.1", "GT", at_version(0)), core::unauthorized);
        CHECK_THROWS_AS(f.registry.add_plan_note(anyone, "1.1.1", "GT", "2026-11-30", "x"), core::unauthorized);
        CHECK_THROWS_AS(f.registry.load_plan(anyone, *f.registry.plan()), core::unauthorized);
    }
    SECTION("a viewer reads every country's cells and writes none") {
        CHECK(f.registry.plan_entry(viewer_gt, "1.1.1", "SV").status == PlanStatus::missing);
        CHECK_THROWS_AS(f.registry.propose_plan(viewer_gt, "1.1.1", "GT", {f.pgn}), core::forbidden);
        CHECK_THROWS_AS(f.registry.add_plan_note(viewer_gt, "1.1.1", "GT", "2026-11-30", "x"), core::forbidden);
        CHECK_THROWS_AS(f.registry.confirm_plan(viewer_gt, "1.1.1", "GT", at_version(0)), core::forbidden);
    }
    SECTION("a country's editors and reviewers propose and note for it only, and confirm nothing") {
        for (const auto* focal : {&editor_gt, &reviewer_gt}) {
            CHECK(f.registry.propose_plan(*focal, "1.1.1", "GT", {f.pgn}, at_version(f.cell("1.1.1", "GT").version))
                      .status == PlanStatus::proposed);
            CHECK_THROWS_AS(f.registry.propose_plan(*focal, "1.1.1", "SV", {f.conapina}), core::forbidden);
            CHECK_THROWS_AS(f.registry.add_plan_note(*focal, "1.1.1", "SV", "2026-11-30", "x"), core::forbidden);
            CHECK_THROWS_AS(f.registry.confirm_plan(*focal, "1.1.1", "GT", at_version(f.cell("1.1.1", "GT").version)),
                            core::forbidden);
            CHECK_THROWS_AS(f.registry.load_plan(*focal, *f.registry.plan()), core::forbidden);
        }
        CHECK(f.cell("1.1.1", "SV").version == 0); // nothing of the refused writes was kept
    }
    SECTION("a compiler proposes for any country and confirms; only an admin loads the structure") {
        CHECK(f.registry.propose_plan(compiler, "1.1.1", "SV", {f.conapina}).status == PlanStatus::proposed);
        CHECK(f.registry.confirm_plan(compiler, "1.1.1", "SV", at_version(1)).status == PlanStatus::confirmed);
        CHECK_THROWS_AS(f.registry.load_plan(compiler, *f.registry.plan()), core::forbidden);
        CHECK_FALSE(f.registry.load_plan(admin, *f.registry.plan())); // the same structure: unchanged
        CHECK(f.registry.propose_plan(admin, "1.1.2", "GT", {f.pgn}).status == PlanStatus::proposed);
    }
}

TEST_CASE("a cell's life: proposed, confirmed, proposed again when its entities change, withdrawn", "[plan]") {
    Fixture f;
    auto e = f.registry.propose_plan(editor_gt, "3.1.1", "GT", {f.sbs, f.pgn, f.sbs});
    CHECK(e.status == PlanStatus::proposed);
    CHECK(e.actors == std::vector<std::int64_t>{f.sbs, f.pgn}); // the order given, once each
    CHECK(e.version == 1);

    SECTION("versions: a user names the one read; an old one is refused") {
        try {
            f.registry.propose_plan(editor_gt, "3.1.1", "GT", {f.pgn});
            FAIL("no stale_version");
        } catch (const core::stale_version& error) {
            CHECK(error.missing());
            CHECK(error.current() == 1);
        }
        CHECK_THROWS_AS(f.registry.confirm_plan(compiler, "3.1.1", "GT"), core::stale_version);
        f.registry.propose_plan(editor_gt, "3.1.1", "GT", {f.pgn}, at_version(1));
        CHECK_THROWS_AS(f.registry.confirm_plan(compiler, "3.1.1", "GT", at_version(1)), core::stale_version);
        CHECK(f.cell("3.1.1", "GT").status == PlanStatus::proposed);
    }
    SECTION("confirmed, then changed by the country: waits for the meeting again") {
        e = f.registry.confirm_plan(compiler, "3.1.1", "GT", at_version(1));
        CHECK(e.status == PlanStatus::confirmed);
        CHECK(e.confirmed_by == "user:iom");
        CHECK(e.version == 2);
        CHECK_THROWS_AS(f.registry.confirm_plan(compiler, "3.1.1", "GT", at_version(2)), core::conflict);
        // The same entities again change nothing: still confirmed, same version.
        CHECK(f.registry.propose_plan(editor_gt, "3.1.1", "GT", {f.sbs, f.pgn}, at_version(2)).version == 2);
        e = f.registry.propose_plan(editor_gt, "3.1.1", "GT", {f.icrc}, at_version(2));
        CHECK(e.status == PlanStatus::proposed);
        CHECK(e.confirmed_by.empty());
        CHECK(e.version == 3);
    }
    SECTION("withdrawn: missing again, and a missing cell is not confirmed") {
        e = f.registry.propose_plan(editor_gt, "3.1.1", "GT", {}, at_version(1));
        CHECK(e.status == PlanStatus::missing);
        CHECK(e.actors.empty());
        CHECK_THROWS_AS(f.registry.confirm_plan(compiler, "3.1.1", "GT", at_version(2)), core::conflict);
        CHECK_THROWS_AS(f.registry.confirm_plan(compiler, "4.1.1", "GT", at_version(0)), core::conflict);
    }
}

TEST_CASE("the entities a country proposes: actors of the registry that work in it, each problem named", "[plan]") {
    Fixture f;
    CHECK(fields_of([&] {
              f.registry.propose_plan(editor_gt, "1.1.1", "GT", {f.pgn, 99999, f.conapina});
          }) == std::vector<std::string>{"actors[1]", "actors[2]"});
    CHECK(f.cell("1.1.1", "GT").version == 0);
    // A regional actor works in several countries: each of them may name it.
    CHECK(f.registry.propose_plan(editor_sv, "1.1.1", "SV", {f.icrc}).actor_names ==
          std::vector<std::string>{"Comité Internacional de la Cruz Roja"});
    std::vector<std::int64_t> many(21, f.pgn);
    CHECK(fields_of([&] { f.registry.propose_plan(editor_gt, "1.1.1", "GT", many); }) ==
          std::vector<std::string>{"actors"});

    // An actor deleted after it was proposed stays in the cell, unnamed, for the meeting to see.
    f.registry.propose_plan(editor_gt, "1.1.2", "GT", {f.sbs});
    f.registry.remove(holder, core::RecordKind::actor, f.sbs);
    CHECK(f.cell("1.1.2", "GT").actors == std::vector<std::int64_t>{f.sbs});
    CHECK(f.cell("1.1.2", "GT").actor_names == std::vector<std::string>{""});
}

TEST_CASE("progress notes: dated, checked, kept in order with who wrote them", "[plan]") {
    Fixture f;
    CHECK(fields_of([&] { f.registry.add_plan_note(editor_gt, "1.1.1", "GT", "30/11/2026", "x"); }) ==
          std::vector<std::string>{"on"});
    CHECK(fields_of([&] { f.registry.add_plan_note(editor_gt, "1.1.1", "GT", "2026-11-30", "  \n "); }) ==
          std::vector<std::string>{"text"});
    CHECK(fields_of([&] {
              f.registry.add_plan_note(editor_gt, "1.1.1", "GT", "2026-11-30",
                                       std::string(core::max_plan_note + 1, 'a'));
          }) == std::vector<std::string>{"text"});
    CHECK(fields_of([&] { f.registry.add_plan_note(editor_gt, "1.1.1", "GT", "2026-11-30", "a\x01b"); }) ==
          std::vector<std::string>{"text"});
    CHECK(fields_of([&] { f.registry.add_plan_note(editor_gt, "1.1.1", "GT", "2026-11-30", "a\xff"); }) ==
          std::vector<std::string>{"text"});
    f.registry.add_plan_note(editor_gt, "1.1.1", "GT", "2026-10-01", " Consulta interna iniciada ");
    const auto e = f.registry.add_plan_note(compiler, "1.1.1", "GT", "2026-11-30", "Revisado en la reunión virtual");
    REQUIRE(e.notes.size() == 2);
    CHECK(e.notes[0].text == "Consulta interna iniciada");
    CHECK(e.notes[0].by == "user:ana");
    CHECK(e.notes[1].on == "2026-11-30");
    CHECK(e.status == PlanStatus::missing); // notes do not propose anything
    CHECK(e.version == 2);
    CHECK_THROWS_AS(f.registry.add_plan_note(editor_gt, "1.1.1", "GT", "2026-11-30", "x", at_version(1)),
                    core::stale_version);
}

TEST_CASE("the Plan's history: every change with who, before and after, append-only", "[plan][history]") {
    Fixture f;
    core::WriteOptions comment;
    comment.comment = "consulta interna del 12 de octubre";
    f.registry.propose_plan(editor_gt, "2.2.1", "GT", {f.pgn}, comment);
    f.registry.confirm_plan(compiler, "2.2.1", "GT", at_version(1));
    f.registry.add_plan_note(editor_gt, "2.2.1", "GT", "2026-11-30", "Protocolo en uso");

    const auto history = f.registry.plan_history(viewer_gt, "2.2.1", "GT");
    REQUIRE(history.size() == 3);
    CHECK(history[0].change == "propose");
    CHECK(history[0].who == "user:ana");
    CHECK(history[0].comment == comment.comment);
    CHECK(history[0].before.empty());
    CHECK(nlohmann::json::parse(history[0].after)["status"] == "proposed");
    CHECK(history[1].change == "confirm");
    CHECK(history[1].who == "user:iom");
    CHECK(nlohmann::json::parse(history[1].before)["status"] == "proposed");
    CHECK(nlohmann::json::parse(history[1].after)["status"] == "confirmed");
    CHECK(history[2].change == "note");
    CHECK(nlohmann::json::parse(history[2].after)["notes"][0]["text"] == "Protocolo en uso");
    CHECK(f.registry.plan_history(compiler, "2.1.1", "GT").empty());
    CHECK(f.registry.plan_history(compiler, "2.2.1", "SV").empty());

    const auto structure = f.registry.plan_history(compiler, "", "");
    REQUIRE(structure.size() == 1);
    CHECK(structure[0].change == "structure");
    CHECK(structure[0].who == "holder:tester");

    CHECK_THROWS_WITH(test::run_sql(f.dir.registry(), "UPDATE plan_changes SET who = 'someone else'"),
                      Catch::Contains("append-only"));
    CHECK_THROWS_WITH(test::run_sql(f.dir.registry(), "DELETE FROM plan_changes"), Catch::Contains("append-only"));
}

TEST_CASE("a new structure: kept when it keeps every action with entries, refused whole otherwise", "[plan]") {
    Fixture f;
    f.registry.propose_plan(editor_gt, "5.2.1", "GT", {f.pgn});
    f.registry.add_plan_note(editor_sv, "5.2.1", "SV", "2026-11-30", "En consulta");
    auto smaller = core::PlanStructure::from_json(plan_file());
    smaller.axes.pop_back(); // axis 5 and its actions
    smaller.illustrative = false;
    try {
        f.registry.load_plan(holder, smaller);
        FAIL("no conflict");
    } catch (const core::conflict& e) {
        CHECK(std::string(e.what()).find("5.2.1 (GT, SV)") != std::string::npos);
    }
    CHECK(f.registry.plan()->illustrative); // unchanged
    CHECK(f.registry.plan_history(compiler, "", "").size() == 1);

    auto renamed = core::PlanStructure::from_json(plan_file());
    renamed.illustrative = false;
    renamed.axes[0].objectives[0].actions[0].text["en"] = "Run campaigns in communities of origin";
    CHECK(f.registry.load_plan(admin, renamed));
    CHECK_FALSE(f.registry.plan()->illustrative);
    CHECK(f.registry.plan()->action("1.1.1")->text.at("en") == "Run campaigns in communities of origin");
    CHECK(f.cell("5.2.1", "GT").status == PlanStatus::proposed); // the countries' work is kept
    const auto structure = f.registry.plan_history(compiler, "", "");
    REQUIRE(structure.size() == 2);
    CHECK(structure[1].who == "user:root");
    CHECK(nlohmann::json::parse(structure[1].before)["illustrative"] == true);
}
