// A reader whose scope holds some countries (a viewer of GT): one query reads the services of its
// countries whole (restricted ones, drafts, exact points and the distances from them) and every
// other country's as the public does, in one order across pages. The oracle is the per-record read
// for that caller (Registry::service(caller, id)), which the list must agree with record by record.
#include "enlace/core/geodesy.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

using namespace enlace;

namespace {

struct Fixture {
    test::ScratchDir dir;
    core::Registry registry = test::make_registry(dir);
    core::Caller viewer = test::user_caller("viewer_gt", core::Role::viewer, {"GT"});
    std::vector<std::int64_t> ids;
    // Services without a site whose area covers Guatemala, as the viewer may be offered them.
    std::int64_t own_restricted_hotline = 0, foreign_restricted_hotline = 0, foreign_public_hotline = 0,
                 foreign_draft_hotline = 0;

    Fixture() {
        std::mt19937 rng(20261204);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        const auto& ref = test::reference();
        const std::vector<std::string> types{"PRO.AUTHORITY", "LEG.AID", "REC.SHORTSTAY"}; // the last is sensitive
        const auto editor_of = [](const std::string& country) {
            return test::user_caller("editor_" + country, core::Role::editor, {country});
        };
        core::WriteOptions draft; // through the review workflow: an editor's new record is a draft
        draft.reviewed = true;
        for (int i = 0; i < 240; ++i) {
            const auto* country = ref.country(std::vector<std::string>{"GT", "SV", "HN"}[i % 3]);
            core::GeoPoint p;
            do {
                const auto& box = country->bbox;
                p = {box.west + (box.east - box.west) * unit(rng), box.south + (box.north - box.south) * unit(rng)};
            } while (!ref.in_country(*country, p));
            auto s = test::service_at(p.lon, p.lat, country->alpha2, types[rng() % types.size()],
                                      "Sitio " + std::to_string(i));
            if (i % 5 == 0) s.visibility = core::Visibility::restricted;
            // Every eleventh an editor's draft: seen in its country's scope only.
            ids.push_back(i % 11 == 0 ? registry.put(editor_of(country->alpha2), s, draft).id : registry.put(s).id);
        }
        const auto hotline = [&](const std::string& country, core::Visibility visibility, bool as_draft) {
            core::Service s;
            s.name = {{"es", "Línea " + country}};
            s.types = {"PRO.AUTHORITY"};
            s.country = country;
            s.area.countries = {"GT"};
            s.visibility = visibility;
            const auto id = as_draft ? registry.put(editor_of(country), s, draft).id : registry.put(s).id;
            ids.push_back(id);
            return id;
        };
        own_restricted_hotline = hotline("GT", core::Visibility::restricted, false);
        foreign_restricted_hotline = hotline("MX", core::Visibility::restricted, false);
        foreign_public_hotline = hotline("MX", core::Visibility::public_, false);
        foreign_draft_hotline = hotline("SV", core::Visibility::public_, true);
        std::sort(ids.begin(), ids.end());
    }

    /// What the viewer may read of each service, by the per-record rule.
    std::map<std::int64_t, core::ServiceView> readable() const {
        std::map<std::int64_t, core::ServiceView> out;
        for (const auto id : ids)
            if (auto view = registry.service(viewer, id)) out.emplace(id, *view);
        return out;
    }

    core::ServiceQuery query() const {
        core::ServiceQuery q;
        core::scope_to_reader(q, viewer);
        return q;
    }

    /// Every page of a query, followed by its cursors.
    std::vector<core::ServiceHit> all_pages(core::ServiceQuery q) const {
        std::vector<core::ServiceHit> out;
        for (int pages = 0; pages < 1000; ++pages) {
            auto page = registry.find(q);
            std::move(page.items.begin(), page.items.end(), std::back_inserter(out));
            if (page.next_cursor.empty()) return out;
            q.cursor = page.next_cursor;
        }
        FAIL("the cursors never end");
        return out;
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

/// The hit shows the service exactly as the per-record read does: same audience, same point.
void require_as_read(const core::ServiceHit& hit, const std::map<std::int64_t, core::ServiceView>& readable) {
    const auto id = hit.service->id;
    INFO("service " << id << " of " << hit.service->country);
    const auto expected = readable.find(id);
    REQUIRE(expected != readable.end());
    CHECK((hit.service.record() != nullptr) == (expected->second.record() != nullptr));
    CHECK((hit.service->country == "GT") == (hit.service.record() != nullptr));
    const auto site = hit.service.site(), expected_site = expected->second.site();
    REQUIRE(site.has_value() == expected_site.has_value());
    if (site) {
        CHECK(site->point.lon == expected_site->point.lon);
        CHECK(site->point.lat == expected_site->point.lat);
    }
}

} // namespace

TEST_CASE("a reader of some countries reads them whole and the rest as the public, in one id order", "[query][scope]") {
    auto& f = fixture();
    const auto readable = f.readable();
    // The fixture holds what the rule tells apart: restricted and draft services on both sides.
    REQUIRE(readable.size() < f.ids.size());
    REQUIRE(std::count_if(readable.begin(), readable.end(), [](const auto& r) { return r.second.record(); }) > 0);

    auto q = f.query();
    REQUIRE(q.audience == core::Audience::public_);
    REQUIRE(q.whole_in == std::vector<std::string>{"GT"});
    q.limit = 17;
    q.with_total = true;
    const auto first = f.registry.find(q);
    CHECK(first.total == static_cast<std::int64_t>(readable.size()));
    CHECK(f.registry.count(q) == static_cast<std::int64_t>(readable.size()));

    const auto hits = f.all_pages(q);
    REQUIRE(hits.size() == readable.size());
    auto expected_id = readable.begin();
    for (const auto& hit : hits) {
        CHECK(hit.service->id == (expected_id++)->first); // id order, no gap or repeat across pages
        require_as_read(hit, readable);
    }

    SECTION("a country filter keeps the split: GT whole, SV as the public") {
        auto both = f.query();
        both.countries = {"GT", "SV"};
        both.limit = 9;
        std::size_t expected = 0;
        for (const auto& [id, view] : readable)
            if (view->country == "GT" || view->country == "SV") ++expected;
        const auto listed = f.all_pages(both);
        CHECK(listed.size() == expected);
        for (const auto& hit : listed)
            require_as_read(hit, readable);
        CHECK(f.registry.count(both) == static_cast<std::int64_t>(expected));
    }
    SECTION("the extent covers what the reader sees, exact points in scope") {
        core::BBox box{180, 90, -180, -90};
        for (const auto& [id, view] : readable)
            if (const auto site = view.site()) {
                box.west = std::min(box.west, site->point.lon);
                box.south = std::min(box.south, site->point.lat);
                box.east = std::max(box.east, site->point.lon);
                box.north = std::max(box.north, site->point.lat);
            }
        CHECK(f.registry.extent(f.query()) == box);
    }
}

TEST_CASE("a reader of some countries finds the nearest by exact points in scope and public points outside it",
          "[query][scope][near]") {
    auto& f = fixture();
    const auto readable = f.readable();
    const core::GeoPoint here{-90.3, 14.5}; // in Guatemala, 60 km from El Salvador
    const auto at_here = test::reference().countries_at(here);
    REQUIRE(at_here.size() == 1);
    REQUIRE(at_here.front()->alpha2 == "GT");
    auto q = f.query();
    q.near = core::Near{here, std::nullopt, std::nullopt};
    q.limit = 13;
    q.with_total = true;

    // The oracle: every service the viewer reads with a site, by distance from its point as shown.
    std::vector<std::pair<double, std::int64_t>> oracle;
    for (const auto& [id, view] : readable)
        if (const auto site = view.site()) oracle.emplace_back(core::geodesy::distance_m(here, site->point), id);
    std::sort(oracle.begin(), oracle.end());

    const auto hits = f.all_pages(q);
    REQUIRE(hits.size() == oracle.size());
    for (std::size_t i = 0; i < hits.size(); ++i) {
        INFO("rank " << i);
        require_as_read(hits[i], readable);
        REQUIRE(hits[i].distance_m);
        // The index orders by chord, the oracle by haversine: equal within rounding, so a swap may
        // only be between two services at the same distance.
        CHECK(*hits[i].distance_m == Approx(oracle[i].first).margin(0.01));
        if (i) CHECK(*hits[i].distance_m >= *hits[i - 1].distance_m);
    }

    const auto first = f.registry.find(q);
    CHECK(first.total == static_cast<std::int64_t>(oracle.size()));

    SECTION("k holds across the parts and the pages") {
        auto nearest = q;
        nearest.near->k = 30;
        const auto top = f.all_pages(nearest);
        REQUIRE(top.size() == 30);
        for (std::size_t i = 0; i < top.size(); ++i)
            CHECK(top[i].service->id == hits[i].service->id);
        CHECK(f.registry.count(nearest) == 30);
        CHECK(f.registry.find(nearest).total == 30);
    }
    SECTION("the hotlines offered: its country's whole, others' only as the public sees them") {
        for (const auto& countries : {std::vector<std::string>{}, std::vector<std::string>{"GT"}}) {
            auto offered_query = q;
            offered_query.countries = countries;
            INFO("country filter: " << countries.size());
            const auto page = f.registry.find(offered_query);
            std::vector<std::int64_t> offered;
            for (const auto& view : page.available_here)
                offered.push_back(view->id);
            CHECK(offered == std::vector<std::int64_t>{f.own_restricted_hotline, f.foreign_public_hotline});
            CHECK(page.available_here_total == 2);
            for (const auto& view : page.available_here)
                CHECK((view.record() != nullptr) == (view->country == "GT"));
        }
    }
}

TEST_CASE("every country in scope reads as the authorised audience, the public as the public", "[query][scope]") {
    auto q = core::ServiceQuery{};
    core::scope_to_reader(q, test::user_caller("iom", core::Role::compiler, {}));
    CHECK(q.audience == core::Audience::authorised);
    CHECK(q.whole_in.empty());
    core::scope_to_reader(q, core::Caller::anyone());
    CHECK(q.audience == core::Audience::public_);
    CHECK(q.whole_in.empty());
    core::scope_to_reader(q, test::user_caller("ed", core::Role::editor, {"SV", "GT"}));
    CHECK(q.audience == core::Audience::public_);
    CHECK(q.whole_in == std::vector<std::string>{"SV", "GT"});
}
