// kNN and radius results against a brute-force haversine scan over 10,000 random sites, including
// sites on both sides of the antimeridian and query points near the poles.
#include "enlace/core/geodesy.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>

using namespace enlace;

namespace {

struct Site {
    std::int64_t id;
    core::GeoPoint point; // public point
    std::vector<std::string> types;
    std::string country;
};

struct Fixture {
    test::ScratchDir dir;
    core::Registry registry = test::make_registry(dir);
    std::vector<Site> sites;

    Fixture() {
        std::mt19937 rng(20261128);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        const std::vector<std::string> types{"PRO.AUTHORITY", "LEG.AID",       "LEG.ASYLUM", "REC.RETURN",
                                             "HLT.MED",       "REC.SHORTSTAY", "FAM.RFL"};
        nlohmann::json services = nlohmann::json::array();
        const auto& ref = test::reference();
        for (int i = 0; i < 10000; ++i) {
            core::GeoPoint p;
            const core::Country* country = nullptr;
            // Draw until the point lies in its country as validation sees it (outline + tolerance).
            do {
                if (i % 3 == 0) {
                    // The Aleutians, either side of 180°.
                    country = ref.country("US");
                    p.lat = 51.0 + 2.5 * unit(rng);
                    p.lon = unit(rng) < 0.5 ? 172.5 + 7.5 * unit(rng) : -180.0 + 8.0 * unit(rng);
                } else {
                    country = &ref.countries()[rng() % ref.countries().size()];
                    const auto& box = country->bbox;
                    if (box.crosses_antimeridian())
                        p = {-120.0 + 40.0 * unit(rng), 30.0 + 15.0 * unit(rng)};
                    else
                        p = {box.west + (box.east - box.west) * unit(rng),
                             box.south + (box.north - box.south) * unit(rng)};
                }
            } while (!ref.in_country(*country, p));
            auto s = test::service_at(p.lon, p.lat, country->alpha2, types[rng() % types.size()],
                                      "Sitio " + std::to_string(i));
            if (i % 7 == 0) s.types.push_back("LEG.DOCS");
            s.source = "oracle";
            s.source_id = std::to_string(i);
            services.push_back(core::to_json(s));
        }
        registry.load_dataset(nlohmann::json{{"services", services}}.dump());
        core::ServiceQuery all;
        all.limit = core::ServiceQuery::max_limit;
        while (true) {
            auto page = registry.find(all);
            for (auto& hit : page.items)
                sites.push_back({hit.service->id, hit.service.site()->point, hit.service->types, hit.service->country});
            if (page.next_cursor.empty()) break;
            all.cursor = page.next_cursor;
        }
    }

    /// The oracle: every site that matches, by (haversine distance, id).
    std::vector<std::pair<double, std::int64_t>> scan(const core::GeoPoint& from,
                                                      const std::string& type_prefix) const {
        std::vector<std::pair<double, std::int64_t>> out;
        for (const auto& s : sites) {
            if (!type_prefix.empty() && std::none_of(s.types.begin(), s.types.end(), [&](const auto& t) {
                    return t == type_prefix || t.rfind(type_prefix + ".", 0) == 0;
                }))
                continue;
            out.emplace_back(core::geodesy::distance_m(from, s.point), s.id);
        }
        std::sort(out.begin(), out.end());
        return out;
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

std::vector<core::GeoPoint> query_points() {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(-180.0, 180.0), lat(-90.0, 90.0);
    std::vector<core::GeoPoint> points{{180.0, 52.0}, {-180.0, 52.0}, {179.999, 51.5}, {-179.999, 51.5}, {0.0, 89.9},
                                       {0.0, -89.9},  {45.0, 90.0},   {-90.5, 14.6},   {-150.0, -40.0},  {100.0, 0.0}};
    for (int i = 0; i < 190; ++i)
        points.push_back({lon(rng), lat(rng)});
    return points;
}

/// Our results equal the oracle's first n, allowing two ids to swap only on a distance tie.
void require_same(const std::vector<core::ServiceHit>& ours, const std::vector<std::pair<double, std::int64_t>>& oracle,
                  std::size_t n) {
    REQUIRE(ours.size() == std::min(n, oracle.size()));
    for (std::size_t i = 0; i < ours.size(); ++i) {
        REQUIRE(ours[i].distance_m);
        CHECK(*ours[i].distance_m == Approx(oracle[i].first).margin(1e-3));
        if (ours[i].service->id != oracle[i].second) {
            CHECK(std::abs(*ours[i].distance_m - oracle[i].first) < 1e-3);
        }
    }
}

} // namespace

TEST_CASE("k nearest equal a brute-force haversine scan, across the antimeridian and near the poles") {
    auto& f = fixture();
    REQUIRE(f.sites.size() == 10000);
    for (const auto& point : query_points()) {
        for (int k : {1, 10, 25}) {
            core::ServiceQuery q;
            q.near = core::Near{point, std::nullopt, k};
            q.limit = k;
            INFO("point " << point.lon << ", " << point.lat << " k " << k);
            require_same(f.registry.find(q).items, f.scan(point, ""), static_cast<std::size_t>(k));
        }
    }
}

TEST_CASE("k nearest of a type equal the scan restricted to that type and its children") {
    auto& f = fixture();
    for (const std::string type : {"LEG", "LEG.DOCS", "FAM.RFL", "REC.SHORTSTAY"}) {
        for (const auto& point : query_points()) {
            core::ServiceQuery q;
            q.types = {type};
            q.near = core::Near{point, std::nullopt, 10};
            q.limit = 10;
            INFO("type " << type << " point " << point.lon << ", " << point.lat);
            require_same(f.registry.find(q).items, f.scan(point, type), 10);
        }
    }
}

TEST_CASE("a radius returns exactly the sites within it, in distance order, across pages") {
    auto& f = fixture();
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    for (const auto& probe : std::vector<std::pair<core::GeoPoint, double>>{{{180.0, 52.0}, 300.0},
                                                                            {{-179.9, 51.8}, 150.0},
                                                                            {{-90.5, 14.6}, 200.0},
                                                                            {{0.0, 89.0}, 500.0},
                                                                            {{-100.0, 40.0}, 400.0}}) {
        const core::GeoPoint point = probe.first;
        const double radius_km = probe.second;
        auto oracle = f.scan(point, "");
        std::erase_if(oracle, [&](const auto& e) { return e.first > radius_km * 1000.0; });
        core::ServiceQuery q;
        q.near = core::Near{point, radius_km * 1000.0, std::nullopt};
        q.limit = 37;
        std::vector<core::ServiceHit> all;
        while (true) {
            auto page = f.registry.find(q);
            all.insert(all.end(), page.items.begin(), page.items.end());
            if (page.next_cursor.empty()) break;
            q.cursor = page.next_cursor;
        }
        INFO("point " << point.lon << ", " << point.lat << " radius " << radius_km);
        require_same(all, oracle, oracle.size());
        REQUIRE(f.registry.count(q) == static_cast<std::int64_t>(oracle.size()));
    }
}

TEST_CASE("k and radius together give at most k within the radius") {
    auto& f = fixture();
    const core::GeoPoint point{179.5, 52.2};
    auto oracle = f.scan(point, "");
    std::erase_if(oracle, [](const auto& e) { return e.first > 100000.0; });
    core::ServiceQuery q;
    q.near = core::Near{point, 100000.0, 5};
    q.limit = 2;
    std::vector<core::ServiceHit> all;
    while (true) {
        auto page = f.registry.find(q);
        REQUIRE(page.items.size() <= 2);
        all.insert(all.end(), page.items.begin(), page.items.end());
        if (page.next_cursor.empty()) break;
        q.cursor = page.next_cursor;
    }
    require_same(all, oracle, 5);
}

TEST_CASE("bounding-box pages and counts equal a scan of the sites, across the antimeridian and at the poles") {
    auto& f = fixture();
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> lon(-180.0, 180.0), lat(-90.0, 90.0), size(0.5, 40.0);
    std::vector<core::BBox> boxes{{170.0, 50.0, -170.0, 54.0},  {179.0, 51.0, -179.0, 53.0},
                                  {-180.0, -90.0, 180.0, 90.0}, {-100.0, 0.0, -80.0, 90.0},
                                  {-95.0, 10.0, -85.0, 20.0},   {172.5, 51.0, 180.0, 53.5}};
    for (int i = 0; i < 40; ++i) {
        const double w = lon(rng), s = lat(rng) / 2, width = size(rng);
        boxes.push_back({w, s, w + width > 180.0 ? w + width - 360.0 : w + width, std::min(90.0, s + width / 2)});
    }
    // Filters the index answers per point (type), per subtree (country) or from its counts (status).
    enum class Filter { none, type, country, inactive };
    for (const auto& box : boxes) {
        for (const auto filter : {Filter::none, Filter::type, Filter::country, Filter::inactive}) {
            std::vector<std::int64_t> oracle;
            if (filter != Filter::inactive) // every site of the fixture is active
                for (const auto& site : f.sites)
                    if (box.contains(site.point) &&
                        (filter != Filter::type || std::any_of(site.types.begin(), site.types.end(),
                                                               [](const auto& t) { return t.rfind("LEG", 0) == 0; })) &&
                        (filter != Filter::country || site.country == "US"))
                        oracle.push_back(site.id);
            std::sort(oracle.begin(), oracle.end());
            core::ServiceQuery q;
            q.bbox = box;
            if (filter == Filter::type) q.types = {"LEG"};
            if (filter == Filter::country) q.countries = {"US"};
            if (filter == Filter::inactive) q.statuses = {core::ServiceStatus::inactive};
            q.limit = 97;
            q.with_total = true; // every page also carries the number of all matches
            std::vector<std::int64_t> ours;
            while (true) {
                auto page = f.registry.find(q);
                REQUIRE(page.total == static_cast<std::int64_t>(oracle.size()));
                for (const auto& hit : page.items)
                    ours.push_back(hit.service->id);
                if (page.next_cursor.empty()) break;
                q.cursor = page.next_cursor;
            }
            INFO("box " << box.west << "," << box.south << "," << box.east << "," << box.north << " filter "
                        << static_cast<int>(filter));
            REQUIRE(ours == oracle);
            REQUIRE(f.registry.count(q) == static_cast<std::int64_t>(oracle.size()));
            // The same box answered by SQL (a filter the index cannot answer forces that path).
            q.cursor.clear();
            q.updated_since = "2000-01-01";
            REQUIRE(f.registry.count(q) == static_cast<std::int64_t>(oracle.size()));
            REQUIRE(f.registry.find(q).total == static_cast<std::int64_t>(oracle.size()));
        }
    }
}

TEST_CASE("near with text: a word every site has and a word one site has both follow the scan") {
    auto& f = fixture();
    for (const auto& point : {core::GeoPoint{-90.5, 14.6}, core::GeoPoint{180.0, 52.0}, core::GeoPoint{0.0, 89.9}}) {
        core::ServiceQuery q;
        q.near = core::Near{point, std::nullopt, 10};
        q.limit = 10;
        q.text = "sitio"; // in all 10,000 names: checked site by site, not gathered
        INFO("point " << point.lon << ", " << point.lat);
        require_same(f.registry.find(q).items, f.scan(point, ""), 10);
        q.text = "1234"; // in one name ("Sitio 1234"): gathered once
        const auto page = f.registry.find(q);
        REQUIRE(page.items.size() == 1);
        CHECK(page.items[0].service->name.at("es") == "Sitio 1234");
    }
}
