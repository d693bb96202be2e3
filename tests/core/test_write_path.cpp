// The write path imports use: services written in a batch without a savepoint each (their links,
// R*Tree and full-text rows created and replaced), a write failing partway rolling the whole batch
// back, and the reference lookups every imported row makes.
#include "support/temp_registry.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/reference.hpp"
#include "enlace/core/registry.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <random>
#include <utility>
#include <string>
#include <vector>

namespace core = enlace::core;
using enlace::test::make_registry;
using enlace::test::reference;
using enlace::test::ScratchDir;
using enlace::test::service_at;

namespace {

core::ServiceQuery authorised_query() {
    core::ServiceQuery q;
    q.audience = core::Audience::authorised;
    return q;
}

std::int64_t count_all(const core::Registry& registry) { return registry.count(authorised_query()); }

/// How many services the text and a small box around the point find (the SQL path: R*Tree and
/// full text), in the given audience.
std::size_t found(const core::Registry& registry, const std::string& text, double lon, double lat,
                  core::Audience audience) {
    core::ServiceQuery q;
    q.audience = audience;
    q.text = text;
    q.bbox = core::BBox{lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001};
    return registry.find(q).items.size();
}

std::int64_t count_of_type(const core::Registry& registry, const std::string& type) {
    auto q = authorised_query();
    q.types = {type};
    return registry.count(q);
}

void exec_sql(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string error = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(error.empty());
    REQUIRE(rc == SQLITE_OK);
}

// The lookups as they were before they compared without building folded copies.
const core::Country* country_by_folding(const core::ReferenceData& ref, const std::string& any) {
    const std::string wanted = core::fold(any);
    for (const auto& c : ref.countries()) {
        if (core::fold(c.alpha2) == wanted || core::fold(c.alpha3) == wanted) return &c;
        for (const auto& [language, name] : c.names)
            if (core::fold(name) == wanted) return &c;
    }
    return nullptr;
}

const core::TaxonomyTerm* term_by_folding(const core::ReferenceData& ref, const std::string& code_or_label) {
    if (const auto* exact = ref.term(code_or_label)) return exact;
    const std::string wanted = core::fold(code_or_label);
    for (const auto& t : ref.terms()) {
        if (core::fold(t.code) == wanted) return &t;
        for (const auto& [language, label] : t.labels)
            if (core::fold(label) == wanted) return &t;
    }
    return nullptr;
}

/// Every code, name and label, with case, accent, truncation and stray-byte variants of each.
std::vector<std::string> lookup_inputs(const core::ReferenceData& ref) {
    std::vector<std::string> base;
    for (const auto& c : ref.countries()) {
        base.insert(base.end(), {c.alpha2, c.alpha3});
        for (const auto& [language, name] : c.names) base.push_back(name);
    }
    for (const auto& t : ref.terms()) {
        base.push_back(t.code);
        for (const auto& [language, label] : t.labels) base.push_back(label);
    }
    std::vector<std::string> out{"", "x", "\xC3", "\xC3\x41", "M\xC3\x89XICO", "mexico", "Panam\xC3\xA1", "PANAMA"};
    for (const auto& text : base) {
        std::string upper = text, lower = text;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.insert(out.end(), {text, upper, lower, core::fold(text), text + " ", text + "\xC3", "\xC3" + text});
        if (!text.empty()) out.push_back(text.substr(0, text.size() - 1));
    }
    std::mt19937 random(7);
    for (int i = 0; i < 2000; ++i) {
        std::string noise(random() % 6, ' ');
        for (auto& c : noise) c = static_cast<char>(random() % 2 ? 'A' + random() % 26 : 0x80 + random() % 0x80);
        out.push_back(noise);
    }
    return out;
}

} // namespace

TEST_CASE("services written in a batch get their links, sites and text, and an update replaces them",
          "[write][batch]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    auto first = service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Procuraduría de la niñez");
    first.source = "write-path";
    first.source_id = "a1";
    core::WriteResult created;
    registry.batch([&] { created = registry.put(first, "import:write-path"); });
    REQUIRE(created.outcome == core::WriteOutcome::created);
    const auto stored = registry.service(created.id, core::Audience::authorised);
    REQUIRE(stored.has_value());
    CHECK(count_of_type(registry, "PRO.AUTHORITY") == 1);
    CHECK(found(registry, "ninez", -90.51, 14.63, core::Audience::authorised) == 1);
    CHECK(found(registry, "ninez", -90.51, 14.63, core::Audience::public_) == 1);

    // The same key again with another type, name and site: updated in place, old rows gone.
    auto second = service_at(-90.40, 14.70, "GT", "LEG.AID", "Defensoría pública");
    second.source = "write-path";
    second.source_id = "a1";
    core::WriteResult updated;
    registry.batch([&] { updated = registry.put(second, "import:write-path"); });
    REQUIRE(updated.outcome == core::WriteOutcome::updated);
    CHECK(updated.id == created.id);
    CHECK(count_all(registry) == 1);
    CHECK(count_of_type(registry, "PRO.AUTHORITY") == 0);
    CHECK(count_of_type(registry, "LEG.AID") == 1);
    for (auto audience : {core::Audience::authorised, core::Audience::public_}) {
        CHECK(found(registry, "ninez", -90.51, 14.63, audience) == 0);
        CHECK(found(registry, "defensoria", -90.51, 14.63, audience) == 0);
        CHECK(found(registry, "defensoria", -90.40, 14.70, audience) == 1);
    }
    const auto after = registry.service(created.id, core::Audience::authorised);
    REQUIRE(after.has_value());
    CHECK(after->created_at == stored->created_at);
    CHECK(after->source_id == "a1");
    const auto trail = registry.history("services", created.id);
    REQUIRE(trail.size() == 2);
    CHECK(trail[0].action == "create");
    CHECK(trail[1].action == "update");
    CHECK(trail[1].before == trail[0].after);
}

TEST_CASE("an update keeps, moves or coarsens the index rows as its changes require", "[write][batch]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    auto s = service_at(-90.51, 14.63, "GT", "LEG.AID", "Defensoría pública");
    s.source = "write-path";
    s.source_id = "b1";
    const auto id = registry.put(s).id;
    auto update = [&](const core::Service& changed) {
        core::WriteResult result;
        registry.batch([&] { result = registry.put(changed); });
        REQUIRE(result.outcome == core::WriteOutcome::updated);
        REQUIRE(result.id == id);
    };
    auto both = [&](const std::string& text, double lon, double lat) {
        return std::pair{found(registry, text, lon, lat, core::Audience::authorised),
                         found(registry, text, lon, lat, core::Audience::public_)};
    };
    using Found = std::pair<std::size_t, std::size_t>;

    SECTION("neither site nor text changed: still found where it was") {
        s.status = core::ServiceStatus::temporarily_closed;
        s.contacts = {core::Contact{core::ContactKind::phone, "+502 2222 3333", {}, false}};
        update(s);
        CHECK(both("defensoria", -90.51, 14.63) == Found{1, 1});
        CHECK(count_of_type(registry, "LEG.AID") == 1);
    }
    SECTION("the site moved, the text did not") {
        s.site = core::Site{{-90.30, 14.80}, core::LocationPrecision::exact};
        update(s);
        CHECK(both("defensoria", -90.51, 14.63) == Found{0, 0});
        CHECK(both("defensoria", -90.30, 14.80) == Found{1, 1});
    }
    SECTION("the text changed, the site did not") {
        s.address.locality = "Mixco";
        update(s);
        CHECK(both("mixco", -90.51, 14.63) == Found{1, 1});
        CHECK(both("defensoria", -90.51, 14.63) == Found{1, 1});
    }
    SECTION("a sensitive type coarsens the public point, the exact one stays") {
        s.types = {"REC.SHORTSTAY"};
        update(s);
        CHECK(both("defensoria", -90.51, 14.63) == Found{1, 0});
        CHECK(both("defensoria", -90.55, 14.65) == Found{0, 1});  // the 0.1° cell's centre
        CHECK(count_of_type(registry, "LEG.AID") == 0);
        CHECK(count_of_type(registry, "REC.SHORTSTAY") == 1);
    }
}

TEST_CASE("a refused record leaves a batch intact, a write failing partway rolls all of it back",
          "[write][batch]") {
    ScratchDir dir;
    const std::string path = dir.file("registry.db");
    { auto setup = make_registry(dir); }
    // Fails the type link of LEG.AID services: after their services row is written.
    exec_sql(path, "CREATE TRIGGER refuse_legal_aid AFTER INSERT ON service_types WHEN NEW.code = 'LEG.AID' "
                   "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    auto registry = core::Registry::open(path);

    SECTION("refused records (validation, unknown id) write nothing and the others are kept") {
        auto bad = service_at(-90.51, 14.63);
        bad.country = "FR";
        auto unknown = service_at(-90.51, 14.63);
        unknown.id = 4242;
        registry.batch([&] {
            registry.put(service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Uno"));
            REQUIRE_THROWS_AS(registry.put(bad), core::validation_error);
            REQUIRE_THROWS_AS(registry.put(unknown), core::not_found);
            registry.put(service_at(-90.50, 14.62, "GT", "PRO.AUTHORITY", "Dos"));
        });
        CHECK(count_all(registry) == 2);
    }
    SECTION("a failed write ends the batch: nothing is kept, later writes in it are refused") {
        int failed = 0;
        REQUIRE_THROWS_AS(registry.batch([&] {
            registry.put(service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Uno"));
            try {
                registry.put(service_at(-90.50, 14.62, "GT", "LEG.AID", "Dos"));
            } catch (const core::db_error&) {
                ++failed;
            }
            REQUIRE_THROWS_AS(registry.put(service_at(-90.49, 14.61, "GT", "PRO.AUTHORITY", "Tres")), core::error);
        }),
                          core::error);
        CHECK(failed == 1);
        CHECK(count_all(registry) == 0);
        CHECK(registry.history("services", 1).empty());
        // The connection goes on: a later batch commits.
        registry.batch([&] { registry.put(service_at(-90.48, 14.60, "GT", "PRO.AUTHORITY", "Cuatro")); });
        CHECK(count_all(registry) == 1);
    }
}

TEST_CASE("country and type lookups give the answers of comparing folded copies", "[write][reference]") {
    const auto& ref = reference();
    int countries = 0, terms = 0;
    for (const auto& input : lookup_inputs(ref)) {
        INFO("input: " << input);
        const auto* country = ref.find_country(input);
        CHECK(country == country_by_folding(ref, input));
        const auto* term = ref.find_term(input);
        CHECK(term == term_by_folding(ref, input));
        countries += country != nullptr;
        terms += term != nullptr;
    }
    CHECK(countries > 100);  // the inputs do hit, not only miss
    CHECK(terms > 100);
}
