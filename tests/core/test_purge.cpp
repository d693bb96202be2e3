// `enlace purge` in the core: personal contacts leave the versions of services and actors that
// history keeps from before the cutoff, and nothing else changes: not the records, not newer
// versions, not the role contacts; a dry run changes nothing; only admins purge; the security log
// says it happened. Over a real registry file, its change log aged with SQL.
#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

using namespace enlace;

namespace {

const core::Caller holder = core::Caller::holder("tester");
const std::string personal_phone = "+502 5555 0101";
const std::string desk_phone = "+502 2222 0000";

core::Contact contact(const std::string& value, bool personal) {
    core::Contact c;
    c.kind = core::ContactKind::phone;
    c.value = value;
    c.personal = personal;
    return c;
}

bool mentions(const std::vector<core::Registry::Change>& history, std::size_t row, const std::string& text) {
    return history.at(row).before.find(text) != std::string::npos;
}

} // namespace

TEST_CASE("purge: personal contacts leave old versions, and only those", "[purge][history]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    auto service = test::service_at(-90.51, 14.62, "GT", "PRO.AUTHORITY", "Defensoría");
    service.contacts = {contact(desk_phone, false), contact(personal_phone, true)};
    service.id = registry.put(service).id;
    core::Actor actor;
    actor.name = {{"es", "Procuraduría"}};
    actor.actor_type = "GOV_CP";
    actor.countries = {"GT"};
    actor.contacts = {contact(personal_phone, true)};
    actor.id = registry.put(actor).id;
    service.name = {{"es", "Defensoría de la Niñez"}};
    registry.put(service);
    actor.website = "https://example.org";
    registry.put(actor);
    {
        // The versions so far were replaced two years ago.
        test::run_sql(dir.registry(), "UPDATE changes SET at = '2024-01-01T00:00:00Z'");
    }
    service.name = {{"es", "Defensoría Nacional de la Niñez"}};
    registry.put(service); // a version replaced now: kept whole

    const auto before = registry.history(core::RecordKind::service, service.id);
    REQUIRE(before.size() == 3);
    REQUIRE(mentions(before, 1, personal_phone));
    REQUIRE(mentions(before, 2, personal_phone));

    SECTION("a dry run counts and changes nothing") {
        const auto r = registry.purge_history(holder, 365, true);
        CHECK(r.versions_purged == 2); // the service's and the actor's old versions
        CHECK(r.contacts_removed == 2);
        CHECK(r.versions_unreadable == 0);
        CHECK(mentions(registry.history(core::RecordKind::service, service.id), 1, personal_phone));
        for (const auto& e : registry.security_log(holder))
            CHECK(e.action != "purge");
    }
    SECTION("a purge removes them from the old versions, keeps the rest, and is logged") {
        const auto r = registry.purge_history(holder, 365);
        CHECK(r.versions_examined >= 2);
        CHECK(r.versions_purged == 2);
        CHECK(r.contacts_removed == 2);
        CHECK(r.cutoff.size() == 20); // "2025-12-03T10:00:00Z": a year ago, after the aged versions
        CHECK(r.cutoff > "2024-01-01T00:00:00Z");
        const auto after = registry.history(core::RecordKind::service, service.id);
        REQUIRE(after.size() == 3);
        CHECK_FALSE(mentions(after, 1, personal_phone));
        CHECK(mentions(after, 1, desk_phone));                            // a role contact stays
        CHECK(mentions(after, 1, "Defensoría"));                          // the rest of the version too
        CHECK(mentions(after, 2, personal_phone));                        // replaced after the cutoff: whole
        CHECK(registry.service_record(service.id)->contacts.size() == 2); // the record keeps its own
        const auto actor_history = registry.history(core::RecordKind::actor, actor.id);
        CHECK_FALSE(mentions(actor_history, 1, personal_phone));
        bool logged = false;
        for (const auto& e : registry.security_log(holder))
            logged = logged || (e.action == "purge" && e.who == "holder:tester" &&
                                e.detail.find("2 versions") != std::string::npos);
        CHECK(logged);
        CHECK(registry.purge_history(holder, 365).versions_purged == 0); // nothing left to purge
    }
    SECTION("only an admin purges, over a span of whole days") {
        core::Caller editor;
        editor.kind = core::Caller::Kind::user;
        editor.name = "ana";
        editor.role = core::Role::compiler;
        CHECK_THROWS_AS(registry.purge_history(editor, 365), core::forbidden);
        CHECK_THROWS_AS(registry.purge_history(core::Caller::anyone(), 365), core::forbidden);
        editor.role = core::Role::admin;
        CHECK(registry.purge_history(editor, 365).versions_purged == 2);
        CHECK_THROWS_AS(registry.purge_history(holder, 0), core::validation_error);
    }
}
