// Opening registry files written by other versions of the program: older files are migrated in
// place and keep their records; newer ones are refused without being changed.
#include "support/temp_registry.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"
#include "schema.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace core = enlace::core;
namespace sqlite = enlace::core::sqlite;
using enlace::test::ScratchDir;

namespace {

constexpr double old_lon = -90.5123, old_lat = 14.6387;

/// Builds a registry file the way the first released program (schema version 1) left it: the
/// version 1 tables only, reference rows, and one service with its link, R*Tree and text rows.
void write_version_1_file(const std::string& path) {
    sqlite::Database db(path, sqlite::open_mode::create);
    core::detail::configure_connection(db, true);
    core::detail::migrate(db, 1);
    REQUIRE(core::detail::schema_version(db) == 1);

    const auto& ref = enlace::test::reference();
    sqlite::Transaction tx(db);
    int position = 0;
    for (const auto& c : ref.countries()) {
        sqlite::Statement stmt(db, "INSERT INTO countries (alpha2, alpha3, names, west, south, east, north, timezone, "
                                   "position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        stmt.bind(1, c.alpha2)
            .bind(2, c.alpha3)
            .bind(3, core::to_json(c.names).dump())
            .bind(4, c.bbox.west)
            .bind(5, c.bbox.south)
            .bind(6, c.bbox.east)
            .bind(7, c.bbox.north)
            .bind(8, c.timezone)
            .bind(9, position++);
        stmt.run();
    }
    position = 0;
    for (const auto& t : ref.terms()) { // parents come before their children in the taxonomy
        sqlite::Statement stmt(db, "INSERT INTO taxonomy_terms (code, parent, labels, sensitive, position) "
                                   "VALUES (?, NULLIF(?, ''), ?, ?, ?)");
        stmt.bind(1, t.code)
            .bind(2, t.parent)
            .bind(3, core::to_json(t.labels).dump())
            .bind(4, t.sensitive ? 1 : 0)
            .bind(5, position++);
        stmt.run();
    }
    auto vocabulary = [&](const char* kind, const std::vector<core::Label>& labels) {
        int pos = 0;
        for (const auto& l : labels) {
            sqlite::Statement stmt(db, "INSERT INTO vocabulary (kind, code, labels, position) VALUES (?, ?, ?, ?)");
            stmt.bind(1, kind).bind(2, l.code).bind(3, core::to_json(l.labels).dump()).bind(4, pos++);
            stmt.run();
        }
    };
    vocabulary("actor_type", ref.actor_types());
    vocabulary("population", ref.populations());
    vocabulary("axis", ref.axes());

    const nlohmann::json doc = {
        {"source", "legacy"},
        {"source_id", "gt-pgn-1"},
        {"name", {{"es", "Procuraduría de la Niñez (registro antiguo)"}, {"en", "Children's Attorney (old record)"}}},
        {"description", {{"es", "Atención a niñez migrante no acompañada"}}},
        {"types", {"PRO.AUTHORITY"}},
        {"country", "GT"},
        {"location", {{"lon", old_lon}, {"lat", old_lat}, {"precision", "exact"}}},
        {"address", {{"locality", "Ciudad de Guatemala"}}},
        {"contacts", {{{"kind", "phone"}, {"value", "+502 2414 8787"}}}},
        {"languages", {"es"}},
        {"populations", {"unaccompanied"}},
        {"age", {{"min", 0}, {"max", 17}}},
        {"gender", "any"},
        {"status", "active"},
        {"visibility", "public"},
        {"last_verified", "2017-05-01"},
    };
    {
        sqlite::Statement stmt(db,
                               "INSERT INTO services (id, source, source_id, actor_id, country, lon, lat, public_lon, "
                               "public_lat, coarsened, status, visibility, age_min, age_max, last_verified, "
                               "created_at, updated_at, doc) VALUES (1, 'legacy', 'gt-pgn-1', NULL, 'GT', ?, ?, ?, ?, "
                               "0, 'active', 'public', 0, 17, '2017-05-01', '2017-05-01T10:00:00Z', "
                               "'2017-05-01T10:00:00Z', ?)");
        stmt.bind(1, old_lon).bind(2, old_lat).bind(3, old_lon).bind(4, old_lat).bind(5, doc.dump());
        stmt.run();
    }
    db.exec("INSERT INTO service_types (service_id, code) VALUES (1, 'PRO.AUTHORITY')");
    db.exec("INSERT INTO service_populations (service_id, population) VALUES (1, 'unaccompanied')");
    db.exec("INSERT INTO service_languages (service_id, language) VALUES (1, 'es')");
    for (const char* table : {"service_public_sites", "service_exact_sites"}) {
        sqlite::Statement stmt(db, std::string("INSERT INTO ") + table +
                                       " (id, min_lon, max_lon, min_lat, max_lat) VALUES (1, ?, ?, ?, ?)");
        stmt.bind(1, old_lon).bind(2, old_lon).bind(3, old_lat).bind(4, old_lat);
        stmt.run();
    }
    {
        sqlite::Statement stmt(db, "INSERT INTO service_text (rowid, name, description, place) VALUES (1, ?, ?, ?)");
        stmt.bind(1, "Procuraduría de la Niñez (registro antiguo)\nChildren's Attorney (old record)\n")
            .bind(2, "Atención a niñez migrante no acompañada\n")
            .bind(3, "Ciudad de Guatemala\n\n");
        stmt.run();
    }
    db.exec("UPDATE meta SET value = value + 1 WHERE key = 'services_rev'");
    tx.commit();
}

int user_version_of(const std::string& path) {
    sqlite::Database db(path, sqlite::open_mode::read_only);
    return core::detail::schema_version(db);
}

bool has_table(const std::string& path, const std::string& name) {
    sqlite::Database db(path, sqlite::open_mode::read_only);
    sqlite::Statement stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    stmt.bind(1, name);
    return stmt.step();
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("opening a registry made by an older schema version migrates it", "[migrations][sqlite]") {
    ScratchDir dir;
    const std::string path = dir.file("v1.db");
    write_version_1_file(path);
    REQUIRE(user_version_of(path) == 1);
    REQUIRE_FALSE(has_table(path, "changes"));
    REQUIRE(core::Registry::current_schema_version() > 1);

    {
        auto registry = core::Registry::open(path);
        CHECK(registry.schema_version() == core::Registry::current_schema_version());

        SECTION("the reference data written by the old program is loaded") {
            CHECK(registry.reference().country("GT") != nullptr);
            CHECK(registry.reference().term("REC.SHORTSTAY") != nullptr);
            CHECK(registry.reference().term("REC.SHORTSTAY")->sensitive);
        }

        SECTION("the old service is readable with all its fields") {
            const auto s = registry.public_service(1);
            REQUIRE(s.has_value());
            CHECK(s->id == 1);
            CHECK(s->source == "legacy");
            CHECK(s->source_id == "gt-pgn-1");
            CHECK(s->name.at("es") == "Procuraduría de la Niñez (registro antiguo)");
            CHECK(s->name.at("en") == "Children's Attorney (old record)");
            CHECK(s->description.at("es") == "Atención a niñez migrante no acompañada");
            CHECK(s->types == std::vector<std::string>{"PRO.AUTHORITY"});
            CHECK(s->country == "GT");
            REQUIRE(s->site.has_value());
            CHECK(s->site->point.lon == old_lon);
            CHECK(s->site->point.lat == old_lat);
            CHECK(s->address.locality == "Ciudad de Guatemala");
            REQUIRE(s->contacts.size() == 1);
            CHECK(s->contacts[0].value == "+502 2414 8787");
            CHECK(s->populations == std::vector<std::string>{"unaccompanied"});
            CHECK(s->age.min == 0);
            CHECK(s->age.max == 17);
            CHECK(s->last_verified == "2017-05-01");
            CHECK(s->created_at == "2017-05-01T10:00:00Z");
            CHECK(s->updated_at == "2017-05-01T10:00:00Z");
            CHECK(registry.find_service_id({"legacy", "gt-pgn-1"}) == std::optional<std::int64_t>(1));
            // The migration invents no history for records it did not change.
            CHECK(registry.history(core::RecordKind::service, 1).empty());
        }

        SECTION("the old service is found by the queries") {
            core::ServiceQuery near;
            near.near = core::Near{{-90.55, 14.60}, std::nullopt, 5};
            const auto page = registry.find(near);
            REQUIRE(page.items.size() == 1);
            CHECK(page.items[0].service->id == 1);
            REQUIRE(page.items[0].distance_m.has_value());
            CHECK(*page.items[0].distance_m ==
                  Approx(core::geodesy::distance_m({-90.55, 14.60}, {old_lon, old_lat})).margin(0.5));

            core::ServiceQuery text;
            text.text = "procuraduria";
            const auto found = registry.find(text);
            REQUIRE(found.items.size() == 1);
            CHECK(found.items[0].service->id == 1);

            core::ServiceQuery box;
            box.bbox = core::BBox{-90.6, 14.6, -90.5, 14.7};
            box.types = {"PRO"};
            CHECK(registry.count(box) == 1);
        }

        SECTION("new writes work and are recorded in the audit trail added by migration 2") {
            auto added = enlace::test::service_at(-90.52, 14.62, "GT", "LEG.AID", "Asesoría legal nueva");
            const auto created = registry.put(added, "tester");
            CHECK(created.outcome == core::WriteOutcome::created);
            CHECK(created.id != 1);
            const auto trail = registry.history(core::RecordKind::service, created.id);
            REQUIRE(trail.size() == 1);
            CHECK(trail[0].action == "create");
            CHECK(trail[0].who == "tester");
            CHECK(trail[0].before.empty());
            CHECK(trail[0].after.find("Asesoría legal nueva") != std::string::npos);

            // The old record can be updated too, and its change is recorded with the old state.
            auto old = *registry.service_record(1);
            old.description = {{"es", "Descripción revisada"}};
            const auto updated = registry.put(old, "tester");
            CHECK(updated.id == 1);
            CHECK(updated.outcome == core::WriteOutcome::updated);
            const auto old_trail = registry.history(core::RecordKind::service, 1);
            REQUIRE(old_trail.size() == 1);
            CHECK(old_trail[0].action == "update");
            CHECK(old_trail[0].before.find("no acompañada") != std::string::npos);
            CHECK(old_trail[0].after.find("Descripción revisada") != std::string::npos);

            core::ServiceQuery all;
            CHECK(registry.count(all) == 2);
        }
    }
    // The file itself now carries the new version and the audit table.
    CHECK(user_version_of(path) == core::Registry::current_schema_version());
    CHECK(has_table(path, "changes"));
}

TEST_CASE("migrating twice is a no-op", "[migrations][sqlite]") {
    ScratchDir dir;
    const std::string path = dir.file("v1.db");
    write_version_1_file(path);
    { auto first = core::Registry::open(path); }
    auto again = core::Registry::open(path);
    CHECK(again.schema_version() == core::Registry::current_schema_version());
    REQUIRE(again.public_service(1).has_value());
    core::ServiceQuery all;
    all.audience = core::Audience::authorised;
    CHECK(again.count(all) == 1);
}

TEST_CASE("a registry file from a newer program is refused and left untouched", "[migrations][sqlite]") {
    ScratchDir dir;
    const std::string path = dir.file("future.db");
    const int future = core::Registry::current_schema_version() + 1;
    {
        // What a newer enlace would leave: today's schema, one more migration, a newer version number.
        sqlite::Database db(path, sqlite::open_mode::create);
        core::detail::configure_connection(db, true);
        core::detail::migrate(db, core::detail::latest_schema_version());
        db.exec("CREATE TABLE future_feature (id INTEGER PRIMARY KEY, note TEXT)");
        db.exec("INSERT INTO future_feature (note) VALUES ('kept')");
        db.exec("PRAGMA user_version = " + std::to_string(future));
    }
    const std::string before = file_bytes(path);
    REQUIRE_FALSE(before.empty());

    SECTION("read-write") {
        REQUIRE_THROWS_AS(core::Registry::open(path), core::error);
        CHECK_THROWS_WITH(core::Registry::open(path), Catch::Contains("newer"));
    }
    SECTION("create") { REQUIRE_THROWS_AS(core::Registry::open(path, core::Registry::mode::create), core::error); }
    SECTION("read-only") {
        REQUIRE_THROWS_AS(core::Registry::open(path, core::Registry::mode::read_only), core::error);
    }

    CHECK(user_version_of(path) == future);
    CHECK(has_table(path, "future_feature"));
    CHECK((file_bytes(path) == before)); // byte for byte (not printed: binary)
}

TEST_CASE("a newer registry file in rollback-journal mode is not switched to WAL before being refused",
          "[migrations][sqlite]") {
    // A newer program's file need not be in WAL mode (e.g. a copy made for distribution with
    // journal_mode=DELETE). Refusing it must not change it either: journal_mode=WAL is persistent
    // and rewrites the file header.
    ScratchDir dir;
    const std::string path = dir.file("future-delete.db");
    const int future = core::Registry::current_schema_version() + 1;
    {
        sqlite::Database db(path, sqlite::open_mode::create);
        db.exec("PRAGMA journal_mode = DELETE");
        core::detail::migrate(db, core::detail::latest_schema_version());
        db.exec("PRAGMA user_version = " + std::to_string(future));
    }
    const std::string before = file_bytes(path);
    REQUIRE(before.size() > 20);
    REQUIRE(before[18] == 1); // file format: legacy rollback journal, not WAL

    REQUIRE_THROWS_AS(core::Registry::open(path), core::error);
    CHECK(user_version_of(path) == future);
    CHECK(static_cast<int>(file_bytes(path)[18]) == 1);
    CHECK((file_bytes(path) == before)); // byte for byte (not printed: binary)
}

TEST_CASE("a read-only open of an older file asks for enlace init and changes nothing", "[migrations][sqlite]") {
    ScratchDir dir;
    const std::string path = dir.file("v1.db");
    write_version_1_file(path);

    REQUIRE_THROWS_AS(core::Registry::open(path, core::Registry::mode::read_only), core::error);
    CHECK_THROWS_WITH(core::Registry::open(path, core::Registry::mode::read_only), Catch::Contains("enlace init"));
    CHECK(user_version_of(path) == 1);
    CHECK_FALSE(has_table(path, "changes"));

    // After a writable open (what `enlace init` does) the read-only open works.
    { auto writable = core::Registry::open(path); }
    auto reader = core::Registry::open(path, core::Registry::mode::read_only);
    CHECK(reader.schema_version() == core::Registry::current_schema_version());
    CHECK(reader.public_service(1).has_value());
}
