// Registry::copy_to: a registry moved into a new store and back, exactly (every table's digest the
// same on all three), with tokens that go on working and queries that answer the same; refused
// into a store that holds data, and by anyone but an admin. On the PostgreSQL run the middle store
// is a database of the test cluster, so the copy crosses backends both ways.
#include "enlace/core/errors.hpp"
#include "enlace/core/maintenance.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace enlace;

namespace {

const core::Caller holder = core::Caller::holder("operator");

/// The ids of the services nearest a point, nearest first, with their distances in metres.
std::vector<std::pair<std::int64_t, long>> nearest(const core::Registry& registry, const std::string& text = {}) {
    core::ServiceQuery q;
    q.near = core::Near{{-90.5, 14.6}, std::nullopt, 10};
    q.text = text;
    std::vector<std::pair<std::int64_t, long>> out;
    for (const auto& hit : registry.find(q).items)
        out.emplace_back(hit.service->id, static_cast<long>(hit.distance_m.value_or(-1)));
    return out;
}

} // namespace

TEST_CASE("a registry copied into another store and back is the same, and its tokens and queries work there",
          "[core][copy]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir, "source.db");
    const auto token = registry.add_user(holder, "maria", core::Role::editor, {"GT"}).token;
    const auto maria = registry.authenticate(token);
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 12; ++i)
        ids.push_back(registry
                          .put(test::service_at(-90.5 + i * 0.013, 14.6 + i * 0.007, "GT", "PRO.AUTHORITY",
                                                "Oficina de protección " + std::to_string(i)))
                          .id);
    auto sensitive = test::service_at(-90.52, 14.61, "GT", "REC.SHORTSTAY", "Albergue temporal");
    const auto shelter = registry.put(sensitive).id;
    registry.remove(holder, core::RecordKind::service, ids[3]);
    registry.file_report(core::Caller::anyone(), ids[1], {"wrong_phone", "El número no contesta"});
    auto edited = *registry.service_record(ids[2]);
    edited.name = {{"es", "Oficina editada por maría"}};
    registry.put(maria, edited, {});

    const auto source = dir.registry("source.db");
    const auto before = core::registry_digest(source);
    const auto middle = dir.registry("middle.db");
    const auto back = dir.file("back.db");

    const auto there = registry.copy_to(holder, middle);
    CHECK(there.digest.sha256 == before.sha256);
    CHECK(there.digest.revision == registry.revision());
    {
        auto copy = core::Registry::open(middle, core::Registry::mode::read_only);
        CHECK(copy.copy_to(holder, back).digest.sha256 == before.sha256);
    }
    for (const auto& location : {middle, back}) {
        INFO(location);
        const auto digest = core::registry_digest(location);
        CHECK(digest.sha256 == before.sha256);
        REQUIRE(digest.tables.size() == before.tables.size());
        for (std::size_t i = 0; i < digest.tables.size(); ++i)
            CHECK(digest.tables[i].rows == before.tables[i].rows);
        const auto check = core::check_registry(location);
        CHECK(check.ok());

        auto copy = core::Registry::open(location);
        CHECK(copy.revision() == registry.revision());
        CHECK(copy.authenticate(token).name == "maria"); // the token's hash moved with its id
        CHECK(nearest(copy) == nearest(registry));
        CHECK(nearest(copy, "protección") == nearest(registry, "proteccion")); // the text index was rebuilt
        CHECK_FALSE(nearest(copy, "editada").empty());
        CHECK(copy.history(core::RecordKind::service, ids[2]).size() ==
              registry.history(core::RecordKind::service, ids[2]).size());
        CHECK(copy.reports(holder).size() == 1);
        // The sensitive site is at its public point for the public, as in the source.
        CHECK(copy.public_service(shelter)->site->point.lon == registry.public_service(shelter)->site->point.lon);
        // And it is writable: the next write takes the next revision.
        const auto next = copy.put(test::service_at(-90.4, 14.7, "GT", "PRO.AUTHORITY", "Nueva"));
        CHECK(next.revision == registry.revision() + 1);
    }
}

TEST_CASE("a copy goes only into a new file or an empty database, by an admin, and a refused one changes nothing",
          "[core][copy]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir, "source.db");
    registry.put(test::service_at(-90.5, 14.6));
    auto other = test::make_registry(dir, "other.db");
    other.put(test::service_at(-89.2, 13.7, "SV"));
    const auto untouched = core::registry_digest(dir.registry("other.db"));

    CHECK_THROWS_WITH(registry.copy_to(holder, dir.registry("other.db")),
                      Catch::Contains("already holds data") || Catch::Contains("exists"));
    CHECK(core::registry_digest(dir.registry("other.db")).sha256 == untouched.sha256);

    const auto editor = test::user_caller("ed", core::Role::editor, {"GT"});
    const auto reviewer = test::user_caller("rev", core::Role::reviewer, {"GT"});
    for (const auto& caller : {editor, reviewer, core::Caller::anyone()})
        CHECK_THROWS_AS(registry.copy_to(caller, dir.file("never.db")), core::forbidden);
    CHECK_FALSE(std::filesystem::exists(dir.file("never.db")));
    CHECK_THROWS_WITH(registry.copy_to(holder, dir.registry("source.db")), Catch::Contains("same registry"));
}
