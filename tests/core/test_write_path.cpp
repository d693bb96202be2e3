// The write path imports use: services written in a batch without a savepoint each (their links,
// R*Tree and full-text rows created and replaced), a write failing partway rolling the whole batch
// back, and the reference lookups every imported row makes.
#include "support/temp_registry.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/reference.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
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
        for (const auto& [language, name] : c.names)
            base.push_back(name);
    }
    for (const auto& t : ref.terms()) {
        base.push_back(t.code);
        for (const auto& [language, label] : t.labels)
            base.push_back(label);
    }
    std::vector<std::string> out{"", "x", "\xC3", "\xC3\x41", "M\xC3\x89XICO", "mexico", "Panam\xC3\xA1", "PANAMA"};
    for (const auto& text : base) {
        std::string upper = text, lower = text;
        for (auto& c : upper)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (auto& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.insert(out.end(), {text, upper, lower, core::fold(text), text + " ", text + "\xC3", "\xC3" + text});
        if (!text.empty()) out.push_back(text.substr(0, text.size() - 1));
    }
    std::mt19937 random(7);
    for (int i = 0; i < 2000; ++i) {
        std::string noise(random() % 6, ' ');
        for (auto& c : noise)
            c = static_cast<char>(random() % 2 ? 'A' + random() % 26 : 0x80 + random() % 0x80);
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
    const auto stored = registry.service_record(created.id);
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
    const auto after = registry.service_record(created.id);
    REQUIRE(after.has_value());
    CHECK(after->created_at == stored->created_at);
    CHECK(after->source_id == "a1");
    const auto trail = registry.history(core::RecordKind::service, created.id);
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
    SECTION("the country and the lists changed: the columns and link rows follow, the others stay") {
        s.country = "SV";
        s.site = core::Site{{-89.22, 13.69}, core::LocationPrecision::exact};
        s.populations = {"unaccompanied"};
        update(s);
        auto in = [&](const std::string& country) {
            auto q = authorised_query();
            q.countries = {country};
            return registry.count(q);
        };
        CHECK(in("SV") == 1);
        CHECK(in("GT") == 0);
        CHECK(registry.service_record(id)->country == "SV");
        auto q = authorised_query();
        q.populations = {"unaccompanied"};
        CHECK(registry.count(q) == 1);
        CHECK(count_of_type(registry, "LEG.AID") == 1);
        CHECK(both("defensoria", -89.22, 13.69) == Found{1, 1});
    }
    SECTION("a sensitive type coarsens the public point, the exact one stays") {
        s.types = {"REC.SHORTSTAY"};
        update(s);
        CHECK(both("defensoria", -90.51, 14.63) == Found{1, 0});
        CHECK(both("defensoria", -90.55, 14.65) == Found{0, 1}); // the 0.1° cell's centre
        CHECK(count_of_type(registry, "LEG.AID") == 0);
        CHECK(count_of_type(registry, "REC.SHORTSTAY") == 1);
    }
}

TEST_CASE("a refused record leaves a batch intact, a write failing partway rolls all of it back",
          "[write][batch][sqlite]") {
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
        CHECK(registry.history(core::RecordKind::service, 1).empty());
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
    CHECK(countries > 100); // the inputs do hit, not only miss
    CHECK(terms > 100);
}

namespace {

/// An R*Tree's rows as text (every stored float32 exactly), after checking its structure with
/// SQLite's own rtreecheck(), read through a connection of its own.
std::string rtree_rows(const std::string& path, const std::string& table) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    auto query = [&](const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
        std::string out;
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
                const auto* text = sqlite3_column_text(stmt, i);
                out += std::string(text ? reinterpret_cast<const char*>(text) : "NULL") +
                       (i + 1 < sqlite3_column_count(stmt) ? " " : "\n");
            }
        }
        sqlite3_finalize(stmt);
        return out;
    };
    CHECK(query("SELECT rtreecheck('" + table + "')") == "ok\n");
    auto rows = query("SELECT id, printf('%.17g %.17g %.17g %.17g', min_lon, max_lon, min_lat, max_lat) FROM " + table +
                      " ORDER BY id");
    sqlite3_close(db);
    return rows;
}

/// The record of a result, whether the page holds it by value or shares it.
template <class Held> const core::ServiceFields& record(const Held& held) {
    if constexpr (std::is_same_v<Held, core::Service>)
        return held;
    else if constexpr (std::is_same_v<Held, core::ServiceView>)
        return held.fields();
    else
        return *held;
}

/// Both R*Trees of a registry file.
std::pair<std::string, std::string> site_rows(const std::string& path) {
    return {rtree_rows(path, "service_public_sites"), rtree_rows(path, "service_exact_sites")};
}

/// n services spread over Guatemala's highlands: a sensitive one (coarsened public point) in
/// seven, some speaking English, all named "Servicio <i>".
std::vector<core::Service> spread_services(int n, const std::string& source) {
    std::mt19937 random(11);
    std::uniform_real_distribution<double> lon(-91.5, -89.6), lat(14.4, 15.6);
    std::vector<core::Service> out;
    for (int i = 0; i < n; ++i) {
        auto s = service_at(lon(random), lat(random), "GT",
                            i % 7 == 0 ? "REC.SHORTSTAY"
                            : i % 3    ? "PRO.AUTHORITY"
                                       : "LEG.AID",
                            "Servicio " + std::to_string(i));
        s.source = source;
        s.source_id = std::to_string(i);
        if (i % 5 == 0) s.languages = {"en"};
        out.push_back(std::move(s));
    }
    return out;
}

/// The answers of queries that read the R*Trees (a bbox with text or a language goes through
/// SQL) and of ones that do not, for boxes over the services and across their edge.
std::vector<std::vector<std::int64_t>> spatial_answers(const core::Registry& registry) {
    std::vector<std::vector<std::int64_t>> out;
    const std::vector<core::BBox> boxes{
        {-91.0, 14.8, -90.6, 15.1}, {-90.2, 14.3, -89.0, 14.7}, {-92, 13, -88, 18}, {-90.55, 14.85, -90.45, 14.95}};
    for (const auto& box : boxes) {
        for (auto audience : {core::Audience::public_, core::Audience::authorised}) {
            core::ServiceQuery q;
            q.audience = audience;
            q.bbox = box;
            q.limit = core::ServiceQuery::max_limit;
            for (int variant = 0; variant < 3; ++variant) {
                auto v = q;
                if (variant == 1) v.text = "servicio";
                if (variant == 2) v.languages = {"en"};
                std::vector<std::int64_t> ids;
                for (const auto& item : registry.find(v).items)
                    ids.push_back(record(item.service).id);
                ids.push_back(registry.count(v));
                if (auto extent = registry.extent(v))
                    ids.insert(ids.end(), {std::llround(extent->west * 1e6), std::llround(extent->north * 1e6)});
                out.push_back(std::move(ids));
            }
        }
    }
    core::ServiceQuery near;
    near.near = core::Near{{-90.5, 14.9}, std::nullopt, 25};
    near.text = "servicio";
    std::vector<std::int64_t> ids;
    for (const auto& item : registry.find(near).items)
        ids.push_back(record(item.service).id);
    out.push_back(std::move(ids));
    return out;
}

} // namespace

TEST_CASE("a batch writes its R*Tree rows at its end: the same rows and answers as one write at a time",
          "[write][batch][rtree][sqlite]") {
    ScratchDir dir;
    auto one_by_one = make_registry(dir, "one.db");
    auto batched = make_registry(dir, "batch.db");
    // 3,000 rows: a tree three levels deep (51 rows a node).
    const auto services = spread_services(3000, "spread");
    for (const auto& s : services)
        one_by_one.put(s);
    batched.batch([&] {
        for (const auto& s : services)
            batched.put(s);
    });
    const auto expected = site_rows(dir.file("one.db"));
    CHECK(std::count(expected.first.begin(), expected.first.end(), '\n') == 3000);
    CHECK(site_rows(dir.file("batch.db")) == expected);
    const auto answers = spatial_answers(one_by_one);
    CHECK(answers[12].size() > 1000); // the large box (public, no other filter) finds most of them
    CHECK(spatial_answers(batched) == answers);

    SECTION("a second batch onto the tree (rebuilt with the old rows), then a few rows (inserted)") {
        const auto more = spread_services(1500, "more");
        std::vector<core::Service> moved(services.begin(), services.begin() + 40);
        for (auto& s : moved)
            s.site->point.lon += 0.05;
        auto extra = [](int i) { return service_at(-90.5 + i * 0.01, 14.9, "GT", "LEG.AID", "Extra"); };
        for (const auto& s : more)
            one_by_one.put(s);
        for (const auto& s : moved)
            one_by_one.put(s);
        for (int i = 0; i < 5; ++i)
            one_by_one.put(extra(i));
        batched.batch([&] {
            for (const auto& s : more)
                batched.put(s);
            for (const auto& s : moved)
                batched.put(s);
        });
        batched.batch([&] {
            for (int i = 0; i < 5; ++i)
                batched.put(extra(i));
        });
        CHECK(site_rows(dir.file("batch.db")) == site_rows(dir.file("one.db")));
        CHECK(spatial_answers(batched) == spatial_answers(one_by_one));
    }
}

TEST_CASE("reads inside a batch see the sites its writes left aside", "[write][batch][rtree][sqlite]") {
    ScratchDir dir;
    auto reference_registry = make_registry(dir, "one.db");
    auto registry = make_registry(dir, "batch.db");
    const auto services = spread_services(600, "spread");
    for (std::size_t i = 0; i < 300; ++i)
        reference_registry.put(services[i]);
    const auto after_300 = spatial_answers(reference_registry);
    for (std::size_t i = 300; i < 600; ++i)
        reference_registry.put(services[i]);
    const auto after_600 = spatial_answers(reference_registry);

    registry.batch([&] {
        for (std::size_t i = 0; i < 300; ++i)
            registry.put(services[i]);
        CHECK(spatial_answers(registry) == after_300); // written in bulk before the first read
        for (std::size_t i = 300; i < 600; ++i) {
            registry.put(services[i]);
            if (i % 100 == 0) { // a read after a few writes: they go in one by one
                core::ServiceQuery q;
                q.audience = core::Audience::authorised;
                q.text = "servicio";
                const auto& p = services[i].site->point;
                q.bbox = core::BBox{p.lon - 1e-6, p.lat - 1e-6, p.lon + 1e-6, p.lat + 1e-6};
                CHECK(registry.count(q) == 1);
            }
        }
    });
    CHECK(spatial_answers(registry) == after_600);
    CHECK(site_rows(dir.file("batch.db")) == site_rows(dir.file("one.db")));
}

TEST_CASE("a service written twice in a batch keeps only its last site", "[write][batch][rtree][sqlite]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    auto services = spread_services(100, "twice");
    auto hotline = services[1]; // later given no site: a service area instead
    hotline.site.reset();
    hotline.area.countries = {"GT"};
    auto moved = services[2];
    moved.site->point = {-90.0, 15.0};
    registry.batch([&] {
        for (const auto& s : services)
            registry.put(s);
        registry.put(hotline);
        registry.put(moved);
    });
    const auto [public_rows, exact_rows] = site_rows(dir.file("registry.db"));
    CHECK(std::count(exact_rows.begin(), exact_rows.end(), '\n') == 99);
    CHECK(exact_rows.find("\n2 ") == std::string::npos);                // id 2: the hotline
    CHECK(exact_rows.find("\n3 -90 -90 15 15\n") != std::string::npos); // id 3: moved
    CHECK(public_rows.find("\n3 -90 -90 15 15\n") != std::string::npos);
}

TEST_CASE("a batch that fails or is not committed leaves the R*Trees as they were", "[write][batch][rtree][sqlite]") {
    ScratchDir dir;
    const std::string path = dir.file("registry.db");
    { auto setup = make_registry(dir); }
    auto registry = core::Registry::open(path);
    const auto first = spread_services(200, "first");
    registry.batch([&] {
        for (const auto& s : first)
            registry.put(s);
    });
    const auto before = site_rows(path);
    const auto answers = spatial_answers(registry);
    const auto second = spread_services(300, "second");
    auto unchanged = [&] {
        CHECK(count_all(registry) == 200);
        CHECK(site_rows(path) == before);
        CHECK(spatial_answers(registry) == answers);
    };

    SECTION("the work throws (an import refusing invalid rows)") {
        struct stop {};
        CHECK_THROWS_AS(registry.batch([&] {
            for (const auto& s : second)
                registry.put(s);
            throw stop{};
        }),
                        stop);
        unchanged();
    }
    SECTION("a dry run") {
        registry.batch(
            [&] {
                for (const auto& s : second)
                    registry.put(s);
            },
            false);
        unchanged();
    }
    SECTION("a write failing partway, after a read wrote the first rows") {
        exec_sql(path, "CREATE TRIGGER refuse_legal_aid AFTER INSERT ON service_types WHEN NEW.code = 'LEG.AID' "
                       "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        CHECK_THROWS_AS(registry.batch([&] {
            for (int i = 0; i < 100; ++i)
                if (second[static_cast<std::size_t>(i)].types[0] != "LEG.AID")
                    registry.put(second[static_cast<std::size_t>(i)]);
            CHECK(count_all(registry) > 250);
            for (const auto& s : second)
                registry.put(s); // throws at the first legal aid service
        }),
                        core::db_error);
        unchanged();
    }
    SECTION("writing the R*Tree rows fails at the batch's end: the exact tree after the public one") {
        exec_sql(path, "CREATE TRIGGER refuse_site AFTER INSERT ON service_exact_sites_rowid "
                       "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        CHECK_THROWS_AS(registry.batch([&] {
            for (const auto& s : second)
                registry.put(s);
        }),
                        core::db_error);
        unchanged();
        exec_sql(path, "DROP TRIGGER refuse_site");
        registry.batch([&] { registry.put(service_at(-90.48, 14.60, "GT", "PRO.AUTHORITY", "Cuatro")); });
        CHECK(count_all(registry) == 201);
    }
}

TEST_CASE("an index built inside a batch that is rolled back is not kept for later writes", "[write][batch][index]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    registry.put(service_at(-90.51, 14.63, "GT", "LEG.AID", "Uno"));
    core::ServiceQuery near;
    near.near = core::Near{{-90.5, 14.6}, std::nullopt, 10};
    auto names = [&] { // with the distance in metres: a stale index would pair a row with an old point
        std::vector<std::string> out;
        for (const auto& item : registry.find(near).items)
            out.push_back(record(item.service).name.at("es") + " " + std::to_string(std::lround(*item.distance_m)));
        return out;
    };
    const auto uno = names().at(0);
    registry.batch(
        [&] {
            registry.put(service_at(-90.50, 14.62, "GT", "LEG.AID", "Dos"));
            CHECK(names().size() == 2); // sees its own write
        },
        false);
    // The same number of writes again, committed this time: the same revision, another row.
    registry.batch([&] { registry.put(service_at(-90.505, 14.61, "GT", "LEG.AID", "Tres")); });
    const auto after = names();
    REQUIRE(after.size() == 2);
    CHECK(after[0].starts_with("Tres "));
    CHECK(after[1] == uno);
}

TEST_CASE("the full-text index keeps no copy of the text yet follows every change of it",
          "[write][batch][text][sqlite]") {
    ScratchDir dir;
    const std::string path = dir.file("registry.db");
    auto registry = make_registry(dir);
    // Names, descriptions and localities drawn from a few words, changed at random, in and out of
    // batches: every search for a word must then find exactly the services that now carry it.
    const std::vector<std::string> words{"albergue", "defensoría", "niñez", "retorno", "salud", "asesoría"};
    std::mt19937 random(7);
    auto word = [&] { return words[random() % words.size()]; };
    std::vector<core::Service> services;
    for (int i = 0; i < 12; ++i) {
        auto s = service_at(-90.5 + 0.01 * i, 14.6, "GT", "LEG.AID", word() + " " + word());
        s.source = "text";
        s.source_id = std::to_string(i);
        s.id = registry.put(s).id;
        services.push_back(s);
    }
    auto change = [&](core::Service& s) {
        switch (random() % 4) {
        case 0:
            s.name = {{"es", word()}};
            break;
        case 1:
            s.name["en"] = word() + " " + word();
            break;
        case 2:
            s.description = {{"es", word()}};
            break;
        default:
            s.address.locality = random() % 2 ? word() : "";
            break;
        }
    };
    for (int round = 0; round < 30; ++round) {
        if (round % 2) {
            registry.batch([&] {
                for (int k = 0; k < 5; ++k) {
                    auto& s = services[random() % services.size()];
                    change(s);
                    registry.put(s);
                }
            });
        } else {
            auto& s = services[random() % services.size()];
            change(s);
            registry.put(s);
        }
    }
    for (const auto& w : words) {
        const std::string folded = w == "defensoría" ? "defensoria"
                                   : w == "niñez"    ? "ninez"
                                   : w == "asesoría" ? "asesoria"
                                                     : w;
        std::vector<std::int64_t> want;
        for (const auto& s : services) {
            std::string text = s.address.locality;
            for (const auto& [language, value] : s.name)
                text += " " + value;
            for (const auto& [language, value] : s.description)
                text += " " + value;
            if (text.find(w) != std::string::npos) want.push_back(s.id);
        }
        auto q = authorised_query();
        q.text = folded;
        q.limit = 100;
        std::vector<std::int64_t> got;
        for (const auto& hit : registry.find(q).items)
            got.push_back(hit.service->id);
        std::sort(got.begin(), got.end());
        INFO("word " << w);
        CHECK(got == want);
    }
    exec_sql(path, "INSERT INTO service_text (service_text, rank) VALUES ('integrity-check', 0)");
}

namespace {

/// The audit rows as stored: (record_id, last_record_id or 0, action, who), in order.
std::vector<std::tuple<std::int64_t, std::int64_t, std::string, std::string>> audit_rows(const std::string& path) {
    core::sqlite::Database db(path, core::sqlite::open_mode::read_only);
    core::sqlite::Statement stmt(db, "SELECT record_id, COALESCE(last_record_id, 0), action, who FROM changes "
                                     "WHERE record_table = 'services' ORDER BY id");
    std::vector<std::tuple<std::int64_t, std::int64_t, std::string, std::string>> out;
    while (stmt.step())
        out.emplace_back(stmt.column_int(0), stmt.column_int(1), stmt.column_text(2), stmt.column_text(3));
    return out;
}

} // namespace

TEST_CASE("services a batch creates share one audit row and each still has its history",
          "[write][batch][audit][sqlite]") {
    ScratchDir dir;
    const std::string path = dir.file("registry.db");
    auto registry = make_registry(dir);
    auto make = [](int i) {
        auto s = service_at(-90.5 + 0.001 * i, 14.6, "GT", "LEG.AID", "Servicio " + std::to_string(i));
        s.source = "audit";
        s.source_id = std::to_string(i);
        return s;
    };
    using Row = std::tuple<std::int64_t, std::int64_t, std::string, std::string>;

    SECTION("a run of creates: one row, and every record's trail starts with its create") {
        std::vector<std::int64_t> ids;
        registry.batch([&] {
            for (int i = 0; i < 50; ++i)
                ids.push_back(registry.put(make(i), "import:audit").id);
        });
        CHECK(audit_rows(path) == std::vector<Row>{{ids.front(), ids.back(), "create", "import:audit"}});
        for (const auto id : {ids.front(), ids[17], ids.back()}) {
            const auto trail = registry.history(core::RecordKind::service, id);
            REQUIRE(trail.size() == 1);
            CHECK(trail[0].action == "create");
            CHECK(trail[0].who == "import:audit");
            CHECK(trail[0].before.empty());
            CHECK(trail[0].after.find("Servicio") != std::string::npos);
        }
        CHECK(registry.history(core::RecordKind::service, ids.back() + 1).empty());
    }
    SECTION("an update, another author or a read inside the batch ends the run, so the trail keeps its order") {
        std::vector<std::int64_t> ids;
        registry.batch([&] {
            for (int i = 0; i < 3; ++i)
                ids.push_back(registry.put(make(i), "alice").id);
            auto changed = make(1);
            changed.name = {{"es", "Servicio renombrado"}};
            registry.put(changed, "alice"); // record 2 of the run, updated
            ids.push_back(registry.put(make(3), "alice").id);
            ids.push_back(registry.put(make(4), "bob").id); // another author
            ids.push_back(registry.put(make(5), "bob").id);
            CHECK(registry.history(core::RecordKind::service, ids[4]).size() == 1); // a read writes the run
            ids.push_back(registry.put(make(6), "bob").id);
        });
        CHECK(audit_rows(path) == std::vector<Row>{{ids[0], ids[2], "create", "alice"},
                                                   {ids[1], 0, "update", "alice"},
                                                   {ids[3], 0, "create", "alice"},
                                                   {ids[4], ids[5], "create", "bob"},
                                                   {ids[6], 0, "create", "bob"}});
        const auto trail = registry.history(core::RecordKind::service, ids[1]);
        REQUIRE(trail.size() == 2);
        CHECK(trail[0].action == "create");
        CHECK(trail[1].action == "update");
        CHECK(trail[0].after == trail[1].before);
        CHECK(trail[0].after.find("Servicio 1") != std::string::npos);
        CHECK(trail[1].after.find("Servicio renombrado") != std::string::npos);
        CHECK(registry.history(core::RecordKind::service, ids[5]).at(0).who == "bob");
    }
    SECTION("a write rolled back to its savepoint inside the batch does not take the run's row along") {
        // The actor's own audit row fails, after the run of services before it was due.
        exec_sql(path, "CREATE TRIGGER refuse_actor_audit AFTER INSERT ON changes WHEN NEW.record_table = 'actors' "
                       "BEGIN SELECT RAISE(ABORT, 'refused'); END");
        core::Actor actor;
        actor.name = {{"es", "Red de protección"}};
        actor.actor_type = "NETWORK";
        actor.countries = {"GT"};
        std::vector<std::int64_t> ids;
        registry.batch([&] {
            for (int i = 0; i < 3; ++i)
                ids.push_back(registry.put(make(i), "alice").id);
            CHECK_THROWS(registry.put(actor, "alice"));
        });
        CHECK(audit_rows(path) == std::vector<Row>{{ids.front(), ids.back(), "create", "alice"}});
    }
    SECTION("a batch rolled back or not committed leaves no audit row") {
        registry.batch([&] { registry.put(make(0), "dry-run"); }, false);
        CHECK_THROWS(registry.batch([&] {
            registry.put(make(1), "failing");
            throw std::runtime_error("stop");
        }));
        CHECK(audit_rows(path).empty());
        const auto id = registry.put(make(2), "one").id; // outside a batch: a row of its own
        CHECK(audit_rows(path) == std::vector<Row>{{id, 0, "create", "one"}});
    }
}
