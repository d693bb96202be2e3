// One definition per filter: over random services and random queries, what the store answers in
// SQL, what the in-memory index answers by its masks, and what holds() says of each record are
// the same services.
#include "enlace/core/conditions.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <set>

using namespace enlace;

namespace {

class RandomServices {
  public:
    explicit RandomServices(unsigned seed) : m_random(seed) {}

    core::Service next() {
        const std::string country = pick({"GT", "SV", "MX", "HN"});
        core::Service s;
        if (chance(6)) { // a hotline: no site, an area
            s.name = {{"es", "Línea de ayuda"}};
            s.types = {"VIO.HOTLINE"};
            s.country = country;
            if (!chance(5))
                s.area.countries = {country, pick({"GT", "SV", "MX"})};
            else
                s.area.admin1 = {country + "-01"};
        } else {
            const auto p = point(country);
            s = test::service_at(
                p.lon, p.lat, country,
                pick({"LEG.AID", "LEG.ASYLUM", "REC.SHORTSTAY", "VIO.GBV", "PRO.AUTHORITY", "HLT.MED", "INT.EDU"}));
            if (chance(3)) s.types.push_back(pick({"FAM.RFL", "HLT.MHPSS"}));
        }
        if (chance(2)) s.populations = {pick({"unaccompanied", "returned", "asylum_seeking"})};
        if (chance(2)) s.languages = {pick({"es", "es-MX", "en", "EN-us", "quc", "fr"})};
        if (chance(2)) s.age.min = pick_int(0, 12);
        if (chance(2)) s.age.max = pick_int(10, 18);
        if (s.age.min && s.age.max && *s.age.min > *s.age.max) std::swap(*s.age.min, *s.age.max);
        s.gender = pick({"any", "any", "female", "male"});
        s.status = static_cast<core::ServiceStatus>(pick_int(0, 3));
        if (chance(5)) s.visibility = core::Visibility::restricted;
        if (chance(2))
            s.last_verified = "202" + std::to_string(pick_int(3, 6)) + "-0" + std::to_string(pick_int(1, 9)) + "-15";
        return s;
    }

    core::ServiceQuery query() {
        core::ServiceQuery q;
        q.audience = chance(2) ? core::Audience::public_ : core::Audience::authorised;
        if (chance(3)) q.countries = {pick({"GT", "SV", "MX", "HN"})};
        if (chance(4)) q.available_in = {pick({"GT", "SV", "MX"})};
        if (chance(3)) q.types = {pick({"LEG", "REC", "VIO.GBV", "PRO.AUTHORITY", "FAM", "VIO"})};
        if (chance(4)) q.populations = {pick({"unaccompanied", "returned"})};
        if (chance(4)) q.languages = {pick({"es", "en", "EN", "quc"})};
        if (chance(4)) q.age = pick_int(0, 18);
        if (chance(5)) q.gender = pick({"female", "male"});
        if (chance(4))
            q.statuses = {static_cast<core::ServiceStatus>(pick_int(0, 3)),
                          static_cast<core::ServiceStatus>(pick_int(0, 3))};
        if (chance(4)) q.bbox = core::BBox{-91.0, 13.5, -89.0, 15.0};
        if (chance(5)) q.verified_since = "2024-06-01";
        if (chance(5)) q.verified_before = "2025-01-01";
        q.limit = core::ServiceQuery::max_limit;
        return q;
    }

  private:
    bool chance(int one_in) { return std::uniform_int_distribution<int>(0, one_in - 1)(m_random) == 0; }
    int pick_int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_random); }
    std::string pick(std::initializer_list<const char*> list) {
        return *(list.begin() + pick_int(0, static_cast<int>(list.size()) - 1));
    }
    core::GeoPoint point(const std::string& country) {
        const double u = std::uniform_real_distribution<double>(0, 1)(m_random);
        const double v = std::uniform_real_distribution<double>(0, 1)(m_random);
        if (country == "SV") return {-89.6 + 0.6 * u, 13.5 + 0.4 * v};
        if (country == "MX") return {-99.5 + 1.0 * u, 19.0 + 0.8 * v};
        if (country == "HN") return {-87.5 + 0.6 * u, 14.0 + 0.4 * v};
        return {-91.0 + 1.2 * u, 14.4 + 0.6 * v};
    }
    std::mt19937 m_random;
};

std::set<std::int64_t> ids_of(const core::ServicePage& page) {
    std::set<std::int64_t> out;
    for (const auto& hit : page.items)
        out.insert(hit.service->id);
    return out;
}

} // namespace

TEST_CASE("the store, the index and holds() answer every query alike", "[conditions]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    RandomServices random(42);
    std::vector<std::int64_t> all;
    for (int i = 0; i < 400; ++i)
        all.push_back(registry.put(random.next()).id);
    std::vector<core::Service> records;
    for (const auto id : all)
        records.push_back(*registry.service_record(id));

    int by_index = 0, by_store = 0;
    for (int round = 0; round < 300; ++round) {
        const auto q = random.query();
        INFO("round " << round);
        const auto conditions = core::conditions_of(q, registry.reference());
        std::set<std::int64_t> expected;
        for (const auto& s : records)
            if (core::holds(conditions, s)) expected.insert(s.id);

        // As asked: the planner takes the index when it answers every condition, else the store.
        const auto listed = ids_of(registry.find(q));
        CHECK(listed == expected);
        CHECK(registry.count(q) == static_cast<std::int64_t>(expected.size()));
        (conditions.needs_record() ? by_store : by_index) += 1;

        // The same through the store: a condition that holds for every record but that the index
        // cannot answer sends the list there.
        auto via_store = q;
        via_store.updated_since = "2000-01-01";
        CHECK(ids_of(registry.find(via_store)) == expected);

        // And near a point, far and wide: the index walked, records checked where it cannot.
        auto near = q;
        near.near = core::Near{{-90.0, 15.0}, std::nullopt, std::nullopt};
        std::set<std::int64_t> sited;
        for (const auto& s : records)
            if (s.site && expected.count(s.id)) sited.insert(s.id);
        CHECK(ids_of(registry.find(near)) == sited);
    }
    // Both paths were taken, many times.
    CHECK(by_index > 50);
    CHECK(by_store > 50);
}

TEST_CASE("holds() on a public view and on the whole record agree for the public", "[conditions]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    RandomServices random(7);
    for (int i = 0; i < 150; ++i) {
        const auto id = registry.put(random.next()).id;
        const auto whole = registry.service_record(id);
        const auto shown = registry.public_service(id);
        for (int round = 0; round < 5; ++round) {
            auto q = random.query();
            q.audience = core::Audience::public_;
            const auto c = core::conditions_of(q, registry.reference());
            const auto point = shown && shown->site ? std::optional(shown->site->point) : std::nullopt;
            CHECK(core::holds(c, *whole) == (shown && core::holds(c, *shown, point)));
        }
    }
}
