// Writing as registry users: drafts, review transitions and four eyes, optimistic concurrency,
// pending revisions of published records, soft deletes, verification, duplicates, the review
// queue and the history each audience may see. Callers are built directly: the accounts that
// stand behind them are tested in test_accounts.cpp, the HTTP layer in tests/http.
#include "enlace/core/editing.hpp"
#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace enlace;
using core::RecordKind;
using core::ReviewStatus;
using core::Transition;

namespace {

using test::user_caller;

const core::Caller editor_gt = user_caller("ana", core::Role::editor, {"GT"});
const core::Caller editor_gt2 = user_caller("beto", core::Role::editor, {"GT"});
const core::Caller editor_sv = user_caller("carla", core::Role::editor, {"SV"});
const core::Caller reviewer_gt = user_caller("dora", core::Role::reviewer, {"GT"});
const core::Caller reviewer_gt2 = user_caller("eva", core::Role::reviewer, {"GT"});
const core::Caller reviewer_sv = user_caller("fede", core::Role::reviewer, {"SV"});
const core::Caller viewer_gt = user_caller("gil", core::Role::viewer, {"GT"});
const core::Caller compiler = user_caller("iom", core::Role::compiler, {});

core::WriteOptions reviewed(std::optional<std::int64_t> version = std::nullopt) {
    core::WriteOptions o;
    o.reviewed = true;
    o.if_version = version;
    return o;
}

core::WriteOptions with_comment(const std::string& comment) {
    core::WriteOptions o = reviewed();
    o.comment = comment;
    return o;
}

bool publicly_listed(const core::Registry& registry, std::int64_t id) {
    core::ServiceQuery q;
    q.limit = 1000;
    for (const auto& s : registry.find(q).items)
        if (s.service->id == id) return true;
    return false;
}

std::string public_name(const core::Registry& registry, std::int64_t id) {
    const auto s = registry.public_service(id);
    return s ? s->name.at("es") : std::string();
}

} // namespace

TEST_CASE("an editor's new service is a draft seen only in scope until a reviewer approves it", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto created = registry.put(editor_gt, test::service_at(-90.5, 14.6, "GT"), reviewed());
    CHECK(created.outcome == core::WriteOutcome::created);
    CHECK(created.version == 1);
    CHECK(created.revision > 0);
    const auto id = created.id;

    CHECK_FALSE(registry.public_service(id));
    CHECK_FALSE(publicly_listed(registry, id));
    CHECK(registry.service(editor_gt, id));
    CHECK(registry.service(viewer_gt, id));
    CHECK_FALSE(registry.service(editor_sv, id)); // out of scope: as the public, nothing
    CHECK(registry.status(editor_gt, RecordKind::service, id).review_status == ReviewStatus::draft);
    CHECK_THROWS_AS(registry.status(editor_sv, RecordKind::service, id), core::not_found);

    // An editor submits; editors cannot approve; the approver must be none of its editors.
    registry.transition(editor_gt, RecordKind::service, id, Transition::submit, reviewed());
    CHECK_THROWS_AS(registry.transition(editor_gt2, RecordKind::service, id, Transition::approve, reviewed()),
                    core::forbidden);
    CHECK_THROWS_AS(registry.transition(reviewer_sv, RecordKind::service, id, Transition::approve, reviewed()),
                    core::not_found); // a draft of another country: not revealed
    const auto approved = registry.transition(reviewer_gt, RecordKind::service, id, Transition::approve, reviewed());
    CHECK(approved.version == 3);
    CHECK(registry.status(compiler, RecordKind::service, id).review_status == ReviewStatus::published);
    CHECK(publicly_listed(registry, id));
    CHECK(public_name(registry, id) == "Servicio");
}

TEST_CASE("four eyes: a reviewer never approves a record they edited", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto id = registry.put(reviewer_gt, test::service_at(-90.5, 14.6, "GT"), reviewed()).id;
    registry.transition(reviewer_gt, RecordKind::service, id, Transition::submit, reviewed());
    CHECK_THROWS_AS(registry.transition(reviewer_gt, RecordKind::service, id, Transition::approve, reviewed()),
                    core::forbidden);
    // Nor a compiler who edited it, nor anyone who edited it before it was submitted.
    auto s = *registry.service_record(id);
    s.capacity = 12;
    registry.put(compiler, s, reviewed(s.version));
    CHECK(registry.status(compiler, RecordKind::service, id).review_status == ReviewStatus::draft);
    registry.transition(compiler, RecordKind::service, id, Transition::submit, reviewed());
    CHECK_THROWS_AS(registry.transition(compiler, RecordKind::service, id, Transition::approve, reviewed()),
                    core::forbidden);
    CHECK_THROWS_AS(registry.transition(reviewer_gt, RecordKind::service, id, Transition::approve, reviewed()),
                    core::forbidden);
    registry.transition(reviewer_gt2, RecordKind::service, id, Transition::approve, reviewed());
    CHECK(registry.public_service(id)->capacity == 12);
}

TEST_CASE("two editors of one version: the first wins, the second is told its version is stale", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto id = registry.put(editor_gt, test::service_at(-90.5, 14.6, "GT"), reviewed()).id;
    const auto read = *registry.service_record(id);
    auto first = read, second = read;
    first.capacity = 10;
    second.capacity = 20;
    CHECK(registry.put(editor_gt, first, reviewed(read.version)).version == read.version + 1);
    try {
        registry.put(editor_gt2, second, reviewed(read.version));
        FAIL("a write against an old version was accepted");
    } catch (const core::stale_version& e) {
        CHECK(e.current() == read.version + 1);
        CHECK_FALSE(e.missing());
    }
    CHECK(registry.service_record(id)->capacity == 10); // nothing lost
    // A registry user must say which version they change.
    try {
        registry.put(editor_gt2, second, reviewed());
        FAIL("a change without a version was accepted");
    } catch (const core::stale_version& e) {
        CHECK(e.missing());
    }
}

TEST_CASE("an edit of a published service waits as its pending revision, the published one stays live", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto id = registry.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Oficina")).id; // an import
    CHECK(registry.status(editor_gt, RecordKind::service, id).review_status == ReviewStatus::published);

    auto edited = *registry.service_record(id);
    edited.name = {{"es", "Oficina nueva"}};
    const auto revised = registry.put(editor_gt, edited, reviewed(edited.version));
    CHECK(revised.pending);
    CHECK(public_name(registry, id) == "Oficina"); // still the published version
    const auto status = registry.status(editor_gt, RecordKind::service, id);
    REQUIRE(status.pending);
    CHECK(status.pending->state == ReviewStatus::draft);
    CHECK(status.pending->editors == std::vector<std::string>{"user:ana"});
    const auto proposal = nlohmann::json::parse(*registry.pending_json(reviewer_gt, RecordKind::service, id));
    CHECK(proposal["name"]["es"] == "Oficina nueva");

    // The reviewer sends it back with a comment (required), the editor revises and resubmits.
    registry.transition(editor_gt, RecordKind::service, id, Transition::submit, reviewed());
    CHECK_THROWS_AS(registry.transition(reviewer_gt, RecordKind::service, id, Transition::request_changes, reviewed()),
                    core::validation_error);
    registry.transition(reviewer_gt, RecordKind::service, id, Transition::request_changes,
                        with_comment("falta el teléfono"));
    CHECK(registry.status(editor_gt, RecordKind::service, id).pending->state == ReviewStatus::changes_requested);
    CHECK(registry.status(editor_gt, RecordKind::service, id).pending->comment == "falta el teléfono");
    registry.transition(editor_gt, RecordKind::service, id, Transition::submit, reviewed());

    // Every change of the revision is in the history, as a proposal; the live record did not move.
    const auto trail = registry.history(reviewer_gt, RecordKind::service, id);
    REQUIRE(trail.size() == 5);
    CHECK(trail[1].action == "revise");
    CHECK(trail[1].pending);
    CHECK(nlohmann::json::parse(trail[1].after)["name"]["es"] == "Oficina nueva");
    CHECK(trail[3].comment == "falta el teléfono");
    const auto diff = core::field_changes(trail[1].before, trail[1].after);
    REQUIRE(diff.size() == 1);
    CHECK(diff[0].path == "name");

    registry.transition(reviewer_gt, RecordKind::service, id, Transition::approve, reviewed());
    CHECK(public_name(registry, id) == "Oficina nueva");
    CHECK_FALSE(registry.status(editor_gt, RecordKind::service, id).pending);
}

TEST_CASE("a closure and a verification apply at once, even to a published service", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto id = registry.put(test::service_at(-90.5, 14.6, "GT")).id;
    auto closed = *registry.service_record(id);
    closed.status = core::ServiceStatus::temporarily_closed;
    const auto result = registry.put(editor_gt, closed, reviewed(closed.version));
    CHECK_FALSE(result.pending);
    CHECK(registry.public_service(id)->status == core::ServiceStatus::temporarily_closed);

    const auto verified = registry.verify(editor_gt, id, reviewed());
    CHECK(verified.version == result.version + 1);
    CHECK(registry.public_service(id)->last_verified.size() == 10);
    CHECK(registry.history(RecordKind::service, id).back().action == "verify");
    CHECK_THROWS_AS(registry.verify(viewer_gt, id, reviewed()), core::forbidden);
    CHECK_THROWS_AS(registry.verify(editor_sv, id, reviewed()), core::forbidden); // readable, not in scope
}

TEST_CASE("scope: outside it a hidden record is not found and a public one is not writable", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    auto restricted = test::service_at(-90.5, 14.6, "GT");
    restricted.visibility = core::Visibility::restricted;
    const auto hidden = registry.put(restricted).id;
    const auto open = registry.put(test::service_at(-90.4, 14.7, "GT", "PRO.AUTHORITY", "Otra")).id;

    auto edit = *registry.service_record(hidden);
    edit.capacity = 3;
    CHECK_THROWS_AS(registry.put(editor_sv, edit, reviewed(edit.version)), core::not_found);
    CHECK_THROWS_AS(registry.put(editor_sv, edit, reviewed(999)), core::not_found); // before the version is looked at
    auto public_edit = *registry.service_record(open);
    CHECK_THROWS_AS(registry.put(editor_sv, public_edit, reviewed(public_edit.version)), core::forbidden);
    CHECK_THROWS_AS(registry.put(viewer_gt, public_edit, reviewed(public_edit.version)), core::forbidden);
    CHECK_THROWS_AS(registry.put(core::Caller::anyone(), public_edit, reviewed(public_edit.version)),
                    core::unauthorized);
    // Moving a record to a country outside one's scope, or creating one there, is refused.
    public_edit.country = "SV";
    public_edit.site = core::Site{{-89.2, 13.7}, core::LocationPrecision::exact};
    CHECK_THROWS_AS(registry.put(editor_gt, public_edit, reviewed(public_edit.version)), core::forbidden);
    CHECK_THROWS_AS(registry.put(editor_sv, test::service_at(-90.5, 14.6, "GT"), reviewed()), core::forbidden);
    // A body naming the key of an existing record does not change it.
    auto keyed = test::service_at(-90.5, 14.6, "GT");
    keyed.source = "ministerio";
    keyed.source_id = "7";
    registry.put(keyed);
    CHECK_THROWS_AS(registry.put(editor_gt, keyed, reviewed()), core::conflict);
}

TEST_CASE("a delete is soft: the record leaves every read and comes back restored", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto id = registry.put(test::service_at(-90.5, 14.6, "GT")).id;
    const auto version = registry.status(editor_gt, RecordKind::service, id).version;
    CHECK_THROWS_AS(registry.remove(editor_gt, RecordKind::service, id, reviewed()), core::stale_version);
    registry.remove(editor_gt, RecordKind::service, id, reviewed(version));
    CHECK_FALSE(registry.public_service(id));
    CHECK_FALSE(registry.service_record(id));
    CHECK_FALSE(publicly_listed(registry, id));
    CHECK(registry.status(editor_gt, RecordKind::service, id).deleted);
    CHECK_THROWS_AS(registry.status(viewer_gt, RecordKind::service, id), core::not_found);

    registry.restore(editor_gt, RecordKind::service, id, reviewed());
    CHECK(registry.public_service(id));
    CHECK(publicly_listed(registry, id));
    const auto trail = registry.history(RecordKind::service, id);
    CHECK(trail[trail.size() - 2].action == "delete");
    CHECK(trail.back().action == "restore");

    // What others link to stays.
    core::Actor actor;
    actor.name = {{"es", "Procuraduría"}};
    actor.actor_type = "GOV_CP";
    actor.countries = {"GT"};
    const auto actor_id = registry.put(actor).id;
    auto linked = test::service_at(-90.3, 14.5, "GT", "PRO.AUTHORITY", "Vinculado");
    linked.actor_id = actor_id;
    registry.put(linked);
    CHECK_THROWS_AS(registry.remove(editor_gt, RecordKind::actor, actor_id, reviewed(1)), core::conflict);
}

TEST_CASE("a new service by the name of one within 50 m is refused until confirmed", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto first = registry.put(test::service_at(-90.5, 14.6, "GT", "PRO.AUTHORITY", "Casa Nuestras Raíces")).id;
    core::WriteOptions options = reviewed();
    options.check_duplicates = true;
    auto again = test::service_at(-90.5002, 14.6001, "GT", "PRO.AUTHORITY", "casa nuestras raices");
    try {
        registry.put(editor_gt, again, options);
        FAIL("a probable duplicate was created");
    } catch (const core::conflict& e) {
        CHECK(e.candidate() == first);
    }
    // Farther away, or confirmed, it is another service.
    CHECK_NOTHROW(registry.put(editor_gt, test::service_at(-90.51, 14.6, "GT", "PRO.AUTHORITY", "Casa Nuestras Raíces"),
                               options));
    options.confirm_duplicate = first;
    CHECK(registry.put(editor_gt, again, options).outcome == core::WriteOutcome::created);
}

TEST_CASE("the review queue lists what waits in the reviewer's countries", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto gt = registry.put(editor_gt, test::service_at(-90.5, 14.6, "GT"), reviewed()).id;
    const auto sv = registry.put(editor_sv, test::service_at(-89.2, 13.7, "SV"), reviewed()).id;
    registry.transition(editor_gt, RecordKind::service, gt, Transition::submit, reviewed());
    registry.transition(editor_sv, RecordKind::service, sv, Transition::submit, reviewed());
    const auto queue = registry.review_queue(reviewer_gt);
    REQUIRE(queue.size() == 1);
    CHECK(queue[0].id == gt);
    CHECK(queue[0].editors == std::vector<std::string>{"user:ana"});
    CHECK(registry.review_queue(compiler).size() == 2);
    CHECK(registry.review_queue(compiler, {"SV"}).size() == 1);
    CHECK_THROWS_AS(registry.review_queue(editor_gt), core::forbidden);
}

TEST_CASE("the public history hides who, proposals and a sensitive site's exact point", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto shelter = test::service_at(-90.51234, 14.61234, "GT", "REC.SHORTSTAY", "Albergue");
    const auto id = registry.put(shelter).id;
    auto edited = *registry.service_record(id);
    edited.status = core::ServiceStatus::temporarily_closed;
    registry.put(editor_gt, edited, reviewed(edited.version));
    edited = *registry.service_record(id);
    edited.name = {{"es", "Albergue propuesto"}};
    registry.put(editor_gt, edited, reviewed(edited.version));

    const auto inside = registry.history(viewer_gt, RecordKind::service, id);
    CHECK(inside.size() == 3);
    CHECK(inside[1].who == "user:ana");
    CHECK(inside[0].after.find("-90.51234") != std::string::npos);

    const auto outside = registry.history(core::Caller::anyone(), RecordKind::service, id);
    REQUIRE(outside.size() == 2); // no proposal
    for (const auto& change : outside) {
        CHECK(change.who.empty());
        CHECK(change.after.find("-90.51234") == std::string::npos);
        CHECK(change.before.find("-90.51234") == std::string::npos);
        CHECK(change.after.find("propuesto") == std::string::npos);
    }
    CHECK(registry.history(editor_sv, RecordKind::service, id).size() == 2); // out of scope: the public's

    auto restricted = test::service_at(-90.4, 14.5, "GT");
    restricted.visibility = core::Visibility::restricted;
    const auto hidden = registry.put(restricted).id;
    CHECK_THROWS_AS(registry.history(core::Caller::anyone(), RecordKind::service, hidden), core::not_found);
}

TEST_CASE("imports keep publishing directly, and a re-import changes no version", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    auto s = test::service_at(-90.5, 14.6, "GT");
    s.source = "ministerio";
    s.source_id = "1";
    const auto first = registry.put(s);
    const auto again = registry.put(s);
    CHECK(again.outcome == core::WriteOutcome::unchanged);
    CHECK(again.version == first.version);
    CHECK(registry.public_service(first.id));
}

TEST_CASE("a practice goes through review and names its reviewer", "[review]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    core::Practice p;
    p.title = {{"es", "Recepción en frontera"}};
    p.countries = {"GT"};
    p.scope = "national";
    p.axes = {3};
    p.narrative["description"] = {{"es", "Una práctica."}};
    p.review_status = ReviewStatus::published; // what a writer says is not what a user's write becomes
    const auto id = registry.put(editor_gt, p, reviewed()).id;
    CHECK_FALSE(registry.practice(id)); // the public sees published practices only
    CHECK(registry.practice(id, core::Audience::authorised)->review_status == ReviewStatus::draft);
    registry.transition(editor_gt, RecordKind::practice, id, Transition::submit, reviewed());
    registry.transition(reviewer_gt, RecordKind::practice, id, Transition::approve, reviewed());
    const auto published = registry.practice(id);
    REQUIRE(published);
    CHECK(published->reviewed_by == "dora");
    CHECK(published->review_status == ReviewStatus::published);
    registry.transition(reviewer_gt, RecordKind::practice, id, Transition::archive, reviewed());
    CHECK_FALSE(registry.practice(id));
    CHECK_THROWS_AS(registry.transition(reviewer_gt, RecordKind::practice, id, Transition::approve, reviewed()),
                    core::conflict);
}
