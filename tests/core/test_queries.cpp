// Every service filter, alone and combined, on a small registry whose answers are known by
// construction; counts and stats agree with the lists.
#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace enlace;

namespace {

core::OpeningHours office_hours(const std::string& zone) {
    core::OpeningHours h;
    h.timezone = zone;
    h.weekly.push_back({0b0011111, 8 * 60, 12 * 60});
    h.weekly.push_back({0b0011111, 13 * 60, 16 * 60});
    return h;
}

struct Fixture {
    test::ScratchDir dir;
    core::Registry registry = test::make_registry(dir);
    std::map<std::string, std::int64_t> id;

    void add(const std::string& key, core::Service s) {
        s.source = "fixture";
        s.source_id = key;
        id[key] = registry.put(std::move(s)).id;
    }

    Fixture() {
        auto pgn = test::service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Procuraduría de la Niñez");
        pgn.populations = {"unaccompanied", "separated"};
        pgn.age = {0, 17};
        pgn.languages = {"es"};
        pgn.hours = office_hours("America/Guatemala");
        pgn.last_verified = "2026-10-01";
        add("gt-pgn", pgn);

        auto xela = test::service_at(-91.52, 14.84, "GT", "REC.RETURN", "Casa de acogida Quetzaltenango");
        xela.populations = {"returned"};
        xela.age = {0, 17};
        xela.languages = {"es", "quc"};
        xela.hours = core::OpeningHours{"America/Guatemala", true, {}, {}};
        xela.last_verified = "2025-03-01";
        add("gt-xela", xela);

        auto asylum = test::service_at(-89.22, 13.69, "SV", "LEG.ASYLUM", "Oficina de asilo");
        asylum.populations = {"asylum_seeking", "refugee"};
        asylum.languages = {"es", "en"};
        add("sv-asylum", asylum);

        auto mhpss = test::service_at(-89.20, 13.70, "SV", "HLT.MHPSS", "Apoyo psicosocial");
        mhpss.status = core::ServiceStatus::temporarily_closed;
        add("sv-mhpss", mhpss);

        auto rfl = test::service_at(-99.13, 19.43, "MX", "FAM.RFL", "Restablecimiento de contacto");
        rfl.status = core::ServiceStatus::inactive;
        add("mx-rfl", rfl);

        auto attu = test::service_at(173.2, 52.9, "US", "LEG.AID", "Legal aid west of 180");
        attu.age = {12, 17};
        add("us-attu", attu);
        auto adak = test::service_at(-176.6, 51.9, "US", "LEG.AID", "Legal aid east of 180");
        add("us-adak", adak);

        core::Service hotline;
        hotline.name = {{"es", "Línea de ayuda nacional"}};
        hotline.types = {"VIO.HOTLINE"};
        hotline.country = "HN";
        hotline.area.countries = {"HN", "GT"};
        add("hn-hotline", hotline);

        auto sanjose = test::service_at(-84.09, 9.93, "CR", "LEG.AID", "Asesoría legal");
        sanjose.languages = {"es-CR"};
        sanjose.age = {0, 11};
        add("cr-legal", sanjose);

        auto docs = test::service_at(-69.93, 18.49, "DO", "LEG.DOCS", "Registro civil de la niñez");
        docs.description = {{"en", "Birth registration for children"}};
        add("do-docs", docs);
    }

    std::set<std::string> keys(core::ServiceQuery q) {
        q.limit = 1000;
        std::set<std::string> out;
        for (const auto& hit : registry.find(q).items)
            out.insert(hit.service->source_id);
        REQUIRE(registry.count(q) == static_cast<std::int64_t>(out.size()));
        return out;
    }
};

using keyset = std::set<std::string>;

} // namespace

TEST_CASE("default query lists active and temporarily closed services, not inactive ones") {
    Fixture f;
    REQUIRE(f.keys({}) == keyset{"gt-pgn", "gt-xela", "sv-asylum", "sv-mhpss", "us-attu", "us-adak", "hn-hotline",
                                 "cr-legal", "do-docs"});
    core::ServiceQuery q;
    q.statuses = {core::ServiceStatus::inactive};
    REQUIRE(f.keys(q) == keyset{"mx-rfl"});
}

TEST_CASE("country filter takes a list of the services' own countries") {
    Fixture f;
    core::ServiceQuery q;
    q.countries = {"SV"};
    REQUIRE(f.keys(q) == keyset{"sv-asylum", "sv-mhpss"});
    q.countries = {"GT"};
    REQUIRE(f.keys(q) == keyset{"gt-pgn", "gt-xela"}); // the Honduran hotline serving GT is not Guatemala's
    q.countries = {"HN"};
    REQUIRE(f.keys(q) == keyset{"hn-hotline"});
    q.countries = {"SV", "CR"};
    REQUIRE(f.keys(q) == keyset{"sv-asylum", "sv-mhpss", "cr-legal"});
    q.countries = {"XX"};
    REQUIRE_THROWS_AS(f.registry.find(q), core::query_error);
}

TEST_CASE("available_in finds services sited in a country and those without a site serving it") {
    Fixture f;
    core::ServiceQuery q;
    q.available_in = {"GT"};
    REQUIRE(f.keys(q) == keyset{"gt-pgn", "gt-xela", "hn-hotline"});
    q.available_in = {"SV", "CR"};
    REQUIRE(f.keys(q) == keyset{"sv-asylum", "sv-mhpss", "cr-legal"});
    q.available_in = {"GT"};
    q.countries = {"HN"};
    REQUIRE(f.keys(q) == keyset{"hn-hotline"});
    q.countries = {"GT"};
    q.types = {"VIO"};
    REQUIRE(f.keys(q).empty());
    q = {};
    q.available_in = {"XX"};
    try {
        f.registry.find(q);
        FAIL("unknown country accepted");
    } catch (const core::query_error& e) {
        REQUIRE(e.parameter() == "available_in");
    }
}

TEST_CASE("a service-type family includes its children") {
    Fixture f;
    core::ServiceQuery q;
    q.types = {"LEG"};
    REQUIRE(f.keys(q) == keyset{"sv-asylum", "us-attu", "us-adak", "cr-legal", "do-docs"});
    q.types = {"LEG.AID", "REC"};
    REQUIRE(f.keys(q) == keyset{"us-attu", "us-adak", "cr-legal", "gt-xela"});
    q.types = {"NOPE"};
    try {
        f.registry.find(q);
        FAIL("unknown type accepted");
    } catch (const core::query_error& e) {
        REQUIRE(e.parameter() == "type");
    }
}

TEST_CASE("population, age and language filters") {
    Fixture f;
    core::ServiceQuery q;
    q.populations = {"returned"};
    // Services that list no populations serve every population.
    REQUIRE(f.keys(q) == keyset{"gt-xela", "sv-mhpss", "us-attu", "us-adak", "hn-hotline", "cr-legal", "do-docs"});
    q.populations = {"refugee", "unaccompanied"};
    REQUIRE(f.keys(q).count("sv-asylum") == 1);
    REQUIRE(f.keys(q).count("gt-pgn") == 1);
    REQUIRE(f.keys(q).count("gt-xela") == 0);

    core::ServiceQuery age;
    age.age = 15;
    REQUIRE(f.keys(age).count("cr-legal") == 0); // 0-11
    REQUIRE(f.keys(age).count("us-attu") == 1);  // 12-17
    age.age = 8;
    REQUIRE(f.keys(age).count("us-attu") == 0);
    REQUIRE(f.keys(age).count("cr-legal") == 1);
    age.age = 30;
    REQUIRE(f.keys(age).count("gt-pgn") == 0);
    REQUIRE(f.keys(age).count("sv-asylum") == 1); // no age range: all ages

    core::ServiceQuery language;
    language.languages = {"quc"};
    REQUIRE(f.keys(language) == keyset{"gt-xela"});
    language.languages = {"es"}; // es matches es-CR
    REQUIRE(f.keys(language) == keyset{"gt-pgn", "gt-xela", "sv-asylum", "cr-legal"});
    language.languages = {"en", "quc"};
    REQUIRE(f.keys(language) == keyset{"gt-xela", "sv-asylum"});
}

TEST_CASE("bounding boxes, including one across the antimeridian, use exact comparisons") {
    Fixture f;
    core::ServiceQuery q;
    q.bbox = core::BBox{-92.0, 13.0, -89.0, 15.0};
    REQUIRE(f.keys(q) == keyset{"gt-pgn", "gt-xela", "sv-asylum", "sv-mhpss"});
    q.bbox = core::BBox{170.0, 50.0, -170.0, 55.0};
    REQUIRE(f.keys(q) == keyset{"us-attu", "us-adak"});
    q.bbox = core::BBox{170.0, 50.0, 180.0, 55.0};
    REQUIRE(f.keys(q) == keyset{"us-attu"});
    // An edge exactly on a site keeps it; a hair inside excludes it.
    q.bbox = core::BBox{-90.51, 14.63, -90.0, 15.0};
    REQUIRE(f.keys(q) == keyset{"gt-pgn"});
    q.bbox = core::BBox{-90.5099999, 14.63, -90.0, 15.0};
    REQUIRE(f.keys(q).empty());
    q.bbox = core::BBox{-92.0, 16.0, -89.0, 15.0};
    REQUIRE_THROWS_AS(f.registry.find(q), core::query_error);
}

TEST_CASE("text search, accent-insensitive, in every language of the record") {
    Fixture f;
    core::ServiceQuery q;
    q.text = "ninez";
    REQUIRE(f.keys(q) == keyset{"gt-pgn", "do-docs"});
    q.text = "birth registration";
    REQUIRE(f.keys(q) == keyset{"do-docs"});
    q.text = "PROCURADURIA nin";
    REQUIRE(f.keys(q) == keyset{"gt-pgn"});
}

TEST_CASE("open at a given time, evaluated in each service's own time zone") {
    Fixture f;
    core::ServiceQuery q;
    q.countries = {"GT"};
    q.open_at = core::parse_rfc3339("2026-11-30T10:00:00-06:00"); // Monday morning in Guatemala
    REQUIRE(f.keys(q) == keyset{"gt-pgn", "gt-xela"});
    q.open_at = core::parse_rfc3339("2026-11-30T12:30:00-06:00"); // lunch break
    REQUIRE(f.keys(q) == keyset{"gt-xela"});
    q.open_at = core::parse_rfc3339("2026-11-29T10:00:00Z"); // Sunday
    REQUIRE(f.keys(q) == keyset{"gt-xela"});
}

TEST_CASE("updated and verified since") {
    Fixture f;
    core::ServiceQuery q;
    q.verified_since = "2026-01-01";
    REQUIRE(f.keys(q) == keyset{"gt-pgn"});
    q.verified_since.clear();
    q.updated_since = "2999-01-01";
    REQUIRE(f.keys(q).empty());
}

TEST_CASE("near: sorted by distance with distance_m, k and radius, and what is available here") {
    Fixture f;
    core::ServiceQuery q;
    const core::GeoPoint gt{-90.6, 14.6};
    q.near = core::Near{gt, std::nullopt, 3};
    q.limit = 3;
    const auto page = f.registry.find(q);
    REQUIRE(page.items.size() == 3);
    REQUIRE(page.items[0].service->source_id == "gt-pgn");
    REQUIRE(page.items[1].service->source_id == "gt-xela");
    for (const auto& hit : page.items)
        REQUIRE(*hit.distance_m == Approx(core::geodesy::distance_m(gt, hit.service.site()->point)));
    // The hotline has no site: it is offered beside the results, since its area covers Guatemala.
    REQUIRE(page.available_here.size() == 1);
    REQUIRE(page.available_here[0]->source_id == "hn-hotline");
    REQUIRE(page.available_here_total == 1);

    q.near = core::Near{gt, 150000.0, std::nullopt};
    q.limit = 100;
    REQUIRE(f.keys(q) == keyset{"gt-pgn", "gt-xela"});

    // Across the antimeridian: from 179.9°W the nearest is Adak (176.6°W), from 175°E it is Attu (173.2°E).
    q.near = core::Near{{-179.9, 52.0}, std::nullopt, 1};
    REQUIRE(f.registry.find(q).items.at(0).service->source_id == "us-adak");
    q.near = core::Near{{175.0, 52.7}, std::nullopt, 1};
    REQUIRE(f.registry.find(q).items.at(0).service->source_id == "us-attu");
}

TEST_CASE("what is available here: the first few by id, all counted, filtered like the results") {
    Fixture f;
    const int extra = core::ServiceQuery::available_here_limit + 2;
    for (int i = 0; i < extra; ++i) {
        core::Service line;
        line.name = {{"es", "Línea " + std::to_string(i)}};
        line.types = {i % 2 ? "VIO.HOTLINE" : "LEG.AID"};
        line.country = "GT";
        line.area.countries = {"GT"};
        f.add("gt-line-" + std::to_string(i), line);
    }
    core::ServiceQuery q;
    q.near = core::Near{{-90.6, 14.6}, std::nullopt, 3};
    auto page = f.registry.find(q);
    REQUIRE(page.available_here.size() == static_cast<std::size_t>(core::ServiceQuery::available_here_limit));
    REQUIRE(page.available_here_total == extra + 1);
    REQUIRE(page.available_here.front()->source_id == "hn-hotline"); // id order: the first one stored
    REQUIRE(std::is_sorted(page.available_here.begin(), page.available_here.end(),
                           [](const auto& a, const auto& b) { return a->id < b->id; }));

    q.types = {"LEG"};
    page = f.registry.find(q);
    REQUIRE(page.available_here_total == extra / 2);
    for (const auto& s : page.available_here)
        REQUIRE(s->types == std::vector<std::string>{"LEG.AID"});

    // A point in El Salvador: no line covers it. A later page repeats nothing.
    q.types.clear();
    q.near = core::Near{{-89.2, 13.7}, std::nullopt, 3};
    REQUIRE(f.registry.find(q).available_here_total == 0);
    q.near = core::Near{{-90.6, 14.6}, std::nullopt, 3};
    q.limit = 1;
    q.cursor = f.registry.find(q).next_cursor;
    REQUIRE(f.registry.find(q).available_here.empty());
}

TEST_CASE("lists answered by the in-memory index equal the same lists answered by SQL") {
    Fixture f;
    // Pages of 2 collected in full, with the total each page reports.
    auto collect = [&](core::ServiceQuery q) {
        q.limit = 2;
        q.with_total = true;
        std::vector<std::int64_t> ids;
        std::optional<std::int64_t> total;
        while (true) {
            auto page = f.registry.find(q);
            REQUIRE(page.total);
            if (total) REQUIRE(*page.total == *total);
            total = page.total;
            for (const auto& hit : page.items)
                ids.push_back(hit.service->id);
            if (page.next_cursor.empty()) break;
            q.cursor = page.next_cursor;
        }
        REQUIRE(*total == static_cast<std::int64_t>(ids.size()));
        REQUIRE(f.registry.count(q) == *total);
        return ids;
    };
    int nonempty = 0;
    for (const std::vector<std::string>& countries : {std::vector<std::string>{}, {"GT"}, {"HN"}, {"GT", "SV"}, {"US"}})
        for (const std::vector<std::string>& types : {std::vector<std::string>{}, {"VIO"}, {"LEG"}, {"PRO.AUTHORITY"}})
            for (const std::optional<int> age : {std::optional<int>{}, std::optional<int>{15}})
                for (const auto& statuses : {std::vector<core::ServiceStatus>{}, {core::ServiceStatus::inactive}}) {
                    core::ServiceQuery q;
                    q.countries = countries;
                    q.types = types;
                    q.age = age;
                    q.statuses = statuses;
                    const auto from_index = collect(q);
                    q.updated_since = "2000-01-01"; // a filter only the records answer: SQL
                    INFO("countries " << countries.size() << " types " << types.size() << " age " << age.has_value());
                    REQUIRE(from_index == collect(q));
                    nonempty += from_index.empty() ? 0 : 1;
                }
    REQUIRE(nonempty > 20);
}

TEST_CASE("filters combine with AND, in lists and near queries alike") {
    Fixture f;
    core::ServiceQuery q;
    q.countries = {"GT", "SV"};
    q.types = {"PRO", "LEG"};
    REQUIRE(f.keys(q) == keyset{"gt-pgn", "sv-asylum"});
    q.age = 10;
    q.populations = {"unaccompanied"};
    REQUIRE(f.keys(q) == keyset{"gt-pgn"});

    core::ServiceQuery near;
    near.near = core::Near{{-90.0, 14.0}, 500000.0, std::nullopt};
    near.types = {"LEG"};
    near.languages = {"en"};
    REQUIRE(f.keys(near) == keyset{"sv-asylum"});
    near.languages.clear();
    near.text = "asilo";
    near.bbox = core::BBox{-90.0, 13.0, -89.0, 14.0};
    REQUIRE(f.keys(near) == keyset{"sv-asylum"});
    near.bbox = core::BBox{-92.0, 14.0, -90.0, 15.0};
    REQUIRE(f.keys(near).empty());
}

TEST_CASE("bad query values are refused naming the parameter") {
    Fixture f;
    auto parameter_of = [&](core::ServiceQuery q) {
        try {
            f.registry.find(q);
        } catch (const core::query_error& e) {
            return e.parameter();
        }
        return std::string("(accepted)");
    };
    core::ServiceQuery q;
    q.limit = 0;
    REQUIRE(parameter_of(q) == "limit");
    q = {};
    q.near = core::Near{{-90, 95}, std::nullopt, 1};
    REQUIRE(parameter_of(q) == "lat");
    q.near = core::Near{{-190, 10}, std::nullopt, 1};
    REQUIRE(parameter_of(q) == "lon");
    q.near = core::Near{{-90, 10}, -5.0, std::nullopt};
    REQUIRE(parameter_of(q) == "radius_km");
    q.near = core::Near{{-90, 10}, std::nullopt, 0};
    REQUIRE(parameter_of(q) == "k");
    q = {};
    q.age = -1;
    REQUIRE(parameter_of(q) == "age");
    q = {};
    q.populations = {"adults"};
    REQUIRE(parameter_of(q) == "population");
    q = {};
    q.languages = {"español"};
    REQUIRE(parameter_of(q) == "language");
    q = {};
    q.text = "  ,;()  ";
    REQUIRE(parameter_of(q) == "q");
    q = {};
    q.verified_since = "yesterday";
    REQUIRE(parameter_of(q) == "verified_since");
}

TEST_CASE("counts by country and service type match the lists, once per family") {
    Fixture f;
    std::map<std::pair<std::string, std::string>, std::int64_t> cells;
    for (const auto& cell : f.registry.stats())
        cells[{cell.country, cell.type}] = cell.services;
    REQUIRE(cells.at({"US", "LEG.AID"}) == 2);
    REQUIRE(cells.at({"US", "LEG"}) == 2);
    REQUIRE(cells.at({"SV", "HLT"}) == 1);        // temporarily closed still counts
    REQUIRE(cells.count({"MX", "FAM.RFL"}) == 0); // inactive does not
    for (const auto& [key, n] : cells) {
        if (key.second.find('.') == std::string::npos) continue;
        core::ServiceQuery q;
        q.countries = {key.first};
        q.types = {key.second};
        q.limit = 1000;
        // Service-area matches aside, a leaf cell equals the number a list of that country and type finds.
        std::int64_t sited = 0;
        for (const auto& hit : f.registry.find(q).items)
            if (hit.service->country == key.first) ++sited;
        REQUIRE(sited == n);
    }
}
