// The data-protection rules: sensitive sites are only ever shown coarsened to the public (in
// records, distances, bounding boxes, counts), restricted services and personal contacts never.
#include "support/temp_registry.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace core = enlace::core;
namespace geodesy = enlace::core::geodesy;
using enlace::test::make_registry;
using enlace::test::ScratchDir;
using enlace::test::service_at;

namespace {

// A shelter in Tapachula, MX. The digits are distinctive so that the dumps can be searched for them.
constexpr double exact_lon = -92.2634, exact_lat = 14.9042;
const char* const exact_lon_text = "92.2634";
const char* const exact_lat_text = "14.9042";

core::Service sensitive_shelter(const std::string& type = "REC.SHORTSTAY") {
    auto s = service_at(exact_lon, exact_lat, "MX", type, "Albergue temporal para niñez migrante");
    s.source = "privacy";
    s.source_id = "shelter-1";
    s.address.street = "4a Avenida Norte 1234";
    s.address.postal_code = "30700";
    s.address.locality = "Tapachula";
    s.address.admin1_name = "Chiapas";
    s.contacts = {core::Contact{core::ContactKind::phone, "+52 962 000 0000", {{"es", "Recepción"}}, false},
                  core::Contact{core::ContactKind::email, "maria.personal@example.org", {}, true}};
    return s;
}

core::GeoPoint expected_public_point(const core::Registry& registry) {
    return geodesy::coarsen({exact_lon, exact_lat}, registry.reference().country("MX")->bbox);
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::vector<std::int64_t> ids_of(const core::ServicePage& page) {
    std::vector<std::int64_t> ids;
    for (const auto& hit : page.items)
        ids.push_back(hit.service->id);
    return ids;
}

bool has_id(const core::ServicePage& page, std::int64_t id) {
    const auto ids = ids_of(page);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::optional<std::int64_t> stats_cell(const std::vector<core::StatsCell>& cells, const std::string& country,
                                       const std::string& type) {
    for (const auto& c : cells)
        if (c.country == country && c.type == type) return c.services;
    return std::nullopt;
}

} // namespace

TEST_CASE("a sensitive site is coarsened for the public, exact for authorised callers", "[privacy]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    const auto type = GENERATE(as<std::string>{}, "REC.SHORTSTAY", "VIO.GBV");
    auto shelter = sensitive_shelter(type);
    shelter.types.push_back("HLT.MED"); // one sensitive type among others is enough
    const auto id = registry.put(shelter).id;
    const core::GeoPoint coarse = expected_public_point(registry);
    REQUIRE(geodesy::distance_m(coarse, {exact_lon, exact_lat}) > 1'000.0); // the test needs them apart
    INFO("type " << type);

    SECTION("public service(id): the coarsened point, approximate, no street, no postal code") {
        const auto pub = registry.public_service(id);
        REQUIRE(pub.has_value());
        REQUIRE(pub->site.has_value());
        CHECK(pub->site->point.lon == Approx(coarse.lon).margin(1e-9));
        CHECK(pub->site->point.lat == Approx(coarse.lat).margin(1e-9));
        CHECK(pub->site->precision == core::LocationPrecision::approximate);
        CHECK(pub->address.street.empty());
        CHECK(pub->address.postal_code.empty());
        CHECK(pub->address.locality == "Tapachula"); // the town stays: it is as coarse as the point

        const nlohmann::json doc = core::to_json(*pub);
        REQUIRE(doc.contains("location"));
        CHECK(doc["location"]["coarsened"] == true);
        CHECK(doc["location"]["precision"] == "approximate");
        CHECK(doc["location"]["lon"].get<double>() == Approx(coarse.lon).margin(1e-9));
        CHECK(doc["location"]["lat"].get<double>() == Approx(coarse.lat).margin(1e-9));
        const std::string text = doc.dump();
        INFO(text);
        CHECK_FALSE(contains(text, exact_lon_text));
        CHECK_FALSE(contains(text, exact_lat_text));
        CHECK_FALSE(contains(text, "Avenida Norte"));
        CHECK_FALSE(contains(text, "30700"));
        CHECK_FALSE(contains(text, "maria.personal"));
        CHECK(contains(text, "+52 962 000 0000")); // the role contact is public
    }

    SECTION("authorised service(id): the exact site and the public location") {
        const auto auth = registry.service_record(id);
        REQUIRE(auth.has_value());
        REQUIRE(auth->site.has_value());
        CHECK(auth->site->point.lon == exact_lon);
        CHECK(auth->site->point.lat == exact_lat);
        CHECK(auth->site->precision == core::LocationPrecision::exact);
        CHECK(auth->coarsened);
        REQUIRE(auth->public_point.has_value());
        CHECK(auth->public_point->lon == Approx(coarse.lon).margin(1e-9));
        CHECK(auth->public_point->lat == Approx(coarse.lat).margin(1e-9));
        CHECK(auth->address.street == "4a Avenida Norte 1234");
        CHECK(auth->address.postal_code == "30700");

        const nlohmann::json doc = core::to_json(*auth);
        CHECK(doc["location"]["lon"].get<double>() == exact_lon);
        CHECK(doc["location"]["lat"].get<double>() == exact_lat);
        CHECK_FALSE(doc["location"].contains("coarsened"));
        // Positive control for the text searches of the public dumps above.
        CHECK(contains(doc.dump(), exact_lon_text));
        CHECK(contains(doc.dump(), exact_lat_text));
        CHECK(contains(doc.dump(), "Avenida Norte"));
        REQUIRE(doc.contains("public_location"));
        CHECK(doc["public_location"]["lon"].get<double>() == Approx(coarse.lon).margin(1e-9));
        CHECK(doc["public_location"]["lat"].get<double>() == Approx(coarse.lat).margin(1e-9));
    }

    SECTION("a public record cannot be written back as if it were the exact site") {
        const auto pub = registry.public_service(id);
        REQUIRE(pub.has_value());
        REQUIRE_THROWS_AS(core::service_from_json(core::to_json(*pub)), core::validation_error);
    }

    SECTION("the public point is fixed at write: the same after re-put and after an edit") {
        CHECK(registry.put(sensitive_shelter(type)).outcome != core::WriteOutcome::created);
        auto edited = *registry.service_record(id);
        edited.description = {{"es", "Descripción nueva"}};
        CHECK(registry.put(edited).outcome == core::WriteOutcome::updated);
        const auto pub = registry.public_service(id);
        REQUIRE(pub.has_value());
        CHECK(pub->site->point.lon == Approx(coarse.lon).margin(1e-9));
        CHECK(pub->site->point.lat == Approx(coarse.lat).margin(1e-9));
        const auto auth = registry.service_record(id);
        REQUIRE(auth->public_point.has_value());
        CHECK(auth->public_point->lon == Approx(coarse.lon).margin(1e-9));
        CHECK(auth->public_point->lat == Approx(coarse.lat).margin(1e-9));
    }

    SECTION("public near queries measure from the public point") {
        core::ServiceQuery q;
        q.near = core::Near{{exact_lon, exact_lat}, std::nullopt, 5}; // asking from the shelter's door
        const auto pub = registry.find(q);
        REQUIRE(pub.items.size() == 1);
        REQUIRE(pub.items[0].distance_m.has_value());
        const double to_public = geodesy::distance_m({exact_lon, exact_lat}, coarse);
        CHECK(*pub.items[0].distance_m == Approx(to_public).margin(1.0));
        CHECK(*pub.items[0].distance_m > 1'000.0);
        const std::string dump = core::to_json(pub.items[0].service).dump();
        CHECK_FALSE(contains(dump, exact_lon_text));
        CHECK_FALSE(contains(dump, exact_lat_text));

        // From a point elsewhere, too: the public distance is to the public point, not the exact one.
        const core::GeoPoint from{-92.40, 14.80};
        q.near->point = from;
        const auto elsewhere = registry.find(q);
        REQUIRE(elsewhere.items.size() == 1);
        CHECK(*elsewhere.items[0].distance_m == Approx(geodesy::distance_m(from, coarse)).margin(1.0));
        CHECK_FALSE(*elsewhere.items[0].distance_m ==
                    Approx(geodesy::distance_m(from, {exact_lon, exact_lat})).margin(100.0));

        q.audience = core::Audience::authorised;
        q.near->point = {exact_lon, exact_lat};
        const auto auth = registry.find(q);
        REQUIRE(auth.items.size() == 1);
        CHECK(*auth.items[0].distance_m == Approx(0.0).margin(1.0));
    }

    SECTION("public listings (sorted by id) carry only the coarsened point") {
        core::ServiceQuery q;
        q.types = {"REC", "VIO"};
        const auto page = registry.find(q);
        REQUIRE(page.items.size() == 1);
        const std::string dump = core::to_json(page.items[0].service).dump();
        CHECK_FALSE(contains(dump, exact_lon_text));
        CHECK_FALSE(contains(dump, exact_lat_text));
        CHECK_FALSE(contains(dump, "Avenida Norte"));
        CHECK(page.items[0].service.site()->precision == core::LocationPrecision::approximate);
    }

    SECTION("a small radius around the exact point does not find it for the public") {
        core::ServiceQuery q;
        q.near = core::Near{{exact_lon, exact_lat}, 500.0, std::nullopt};
        CHECK(registry.find(q).items.empty());
        CHECK(registry.count(q) == 0);
        q.audience = core::Audience::authorised;
        CHECK(has_id(registry.find(q), id));
    }

    SECTION("a bbox around the exact point but not the cell centre finds it only for authorised callers") {
        core::ServiceQuery q;
        q.bbox = core::BBox{-92.27, 14.90, -92.26, 14.91};
        REQUIRE(q.bbox->contains({exact_lon, exact_lat}));
        REQUIRE_FALSE(q.bbox->contains(coarse));
        CHECK(registry.find(q).items.empty());
        CHECK(registry.count(q) == 0);
        CHECK_FALSE(registry.extent(q).has_value());
        q.audience = core::Audience::authorised;
        CHECK(has_id(registry.find(q), id));
        CHECK(registry.count(q) == 1);

        // And the other way round: a box around the cell centre only, for the public.
        core::ServiceQuery around_centre;
        around_centre.bbox = core::BBox{coarse.lon - 0.001, coarse.lat - 0.001, coarse.lon + 0.001, coarse.lat + 0.001};
        REQUIRE_FALSE(around_centre.bbox->contains({exact_lon, exact_lat}));
        CHECK(has_id(registry.find(around_centre), id));
        around_centre.audience = core::Audience::authorised;
        CHECK(registry.find(around_centre).items.empty());
    }

    SECTION("the public extent is that of the public points") {
        core::ServiceQuery q;
        const auto box = registry.extent(q);
        REQUIRE(box.has_value());
        CHECK(box->west == Approx(coarse.lon).margin(1e-9));
        CHECK(box->south == Approx(coarse.lat).margin(1e-9));
        q.audience = core::Audience::authorised;
        const auto exact_box = registry.extent(q);
        REQUIRE(exact_box.has_value());
        CHECK(exact_box->west == exact_lon);
        CHECK(exact_box->south == exact_lat);
    }

    SECTION("the street is not searchable") {
        core::ServiceQuery q;
        q.text = "Avenida Norte";
        CHECK(registry.find(q).items.empty());
        q.text = "Tapachula";
        CHECK(has_id(registry.find(q), id));
    }
}

TEST_CASE("a non-sensitive service keeps its exact point in public", "[privacy]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    const auto id = registry.put(service_at(-90.5123, 14.6387, "GT", "PRO.AUTHORITY", "Procuraduría")).id;
    const auto pub = registry.public_service(id);
    REQUIRE(pub.has_value());
    CHECK_FALSE(pub->site->coarsened);
    CHECK(pub->site->point == core::GeoPoint{-90.5123, 14.6387});
    CHECK(pub->site->precision == core::LocationPrecision::exact);
    CHECK_FALSE(core::to_json(*pub)["location"].contains("coarsened"));
}

TEST_CASE("restricted services are invisible to the public", "[privacy]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    const auto open_id = registry.put(service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Oficina pública")).id;
    auto hidden = service_at(-90.52, 14.64, "GT", "PRO.AUTHORITY", "Oficina reservada");
    hidden.visibility = core::Visibility::restricted;
    const auto hidden_id = registry.put(hidden).id;

    SECTION("service(id)") {
        CHECK_FALSE(registry.public_service(hidden_id).has_value());
        CHECK(registry.service_record(hidden_id).has_value());
        CHECK(registry.public_service(open_id).has_value());
    }
    SECTION("find and count, by id, by distance, by text and by box") {
        core::ServiceQuery all;
        CHECK(ids_of(registry.find(all)) == std::vector<std::int64_t>{open_id});
        CHECK(registry.count(all) == 1);

        core::ServiceQuery near;
        near.near = core::Near{{-90.52, 14.64}, std::nullopt, 10};
        CHECK(ids_of(registry.find(near)) == std::vector<std::int64_t>{open_id});
        CHECK(registry.count(near) == 1);

        core::ServiceQuery text;
        text.text = "reservada";
        CHECK(registry.find(text).items.empty());

        core::ServiceQuery box;
        box.bbox = core::BBox{-90.6, 14.6, -90.5, 14.7};
        CHECK(registry.count(box) == 1);

        for (auto* q : {&all, &near, &text, &box})
            q->audience = core::Audience::authorised;
        CHECK(registry.count(all) == 2);
        CHECK(has_id(registry.find(all), hidden_id));
        CHECK(has_id(registry.find(near), hidden_id));
        CHECK(ids_of(registry.find(text)) == std::vector<std::int64_t>{hidden_id});
        CHECK(registry.count(box) == 2);
    }
    SECTION("stats") {
        const auto pub = registry.stats();
        const auto auth = registry.stats(core::Audience::authorised);
        CHECK(stats_cell(pub, "GT", "PRO.AUTHORITY") == std::optional<std::int64_t>(1));
        CHECK(stats_cell(auth, "GT", "PRO.AUTHORITY") == std::optional<std::int64_t>(2));
        CHECK(stats_cell(pub, "GT", "PRO") == std::optional<std::int64_t>(1));
        CHECK(stats_cell(auth, "GT", "PRO") == std::optional<std::int64_t>(2));
    }
}

TEST_CASE("places sit at their public services' own points, never at a shelter's coarsened point",
          "[privacy][places]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    // Tapachula: a shelter (coarsened) and two open offices; Tenosique: a shelter only.
    registry.put(sensitive_shelter());
    auto office = service_at(-92.2600, 14.9100, "MX", "LEG.AID", "Asesoría legal");
    office.address.locality = "Tapachula";
    registry.put(office);
    auto desk = service_at(-92.2700, 14.9000, "MX", "PRO.AUTHORITY", "Procuraduría");
    desk.address.locality = "Tapachula";
    registry.put(desk);
    auto lonely = service_at(-91.4231, 17.4718, "MX", "REC.SHORTSTAY", "Albergue");
    lonely.address.locality = "Tenosique";
    registry.put(lonely);

    const auto places = registry.places();
    auto find = [&](const std::string& name) {
        const auto it =
            std::find_if(places.begin(), places.end(), [&](const core::Place& p) { return p.name == name; });
        REQUIRE(it != places.end());
        return *it;
    };
    const auto tapachula = find("Tapachula");
    CHECK(tapachula.services == 3);
    CHECK_FALSE(tapachula.approximate);
    CHECK(tapachula.point.lon == Approx(-92.2650));
    CHECK(tapachula.point.lat == Approx(14.9050));
    const auto coarse = expected_public_point(registry);
    CHECK_FALSE((tapachula.point.lon == Approx(coarse.lon) && tapachula.point.lat == Approx(coarse.lat)));

    // Only sensitive sites: their public (coarsened) point, said to be approximate; never exact.
    const auto tenosique = find("Tenosique");
    CHECK(tenosique.services == 1);
    CHECK(tenosique.approximate);
    const auto cell = geodesy::coarsen({-91.4231, 17.4718}, registry.reference().country("MX")->bbox);
    CHECK(tenosique.point.lon == Approx(cell.lon));
    CHECK(tenosique.point.lat == Approx(cell.lat));
}

TEST_CASE("stats count only what the public may see", "[privacy][stats]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    registry.put(service_at(-89.22, 13.69, "SV", "REC.RETURN", "Centro de recepción"));
    registry.put(service_at(-89.21, 13.70, "SV", "REC.SHORTSTAY", "Albergue"));
    auto restricted = service_at(-89.20, 13.71, "SV", "REC.SHORTSTAY", "Albergue reservado");
    restricted.visibility = core::Visibility::restricted;
    registry.put(restricted);
    auto inactive = service_at(-89.19, 13.72, "SV", "REC.RETURN", "Centro cerrado");
    inactive.status = core::ServiceStatus::inactive;
    registry.put(inactive);

    const auto pub = registry.stats();
    CHECK(stats_cell(pub, "SV", "REC.RETURN") == std::optional<std::int64_t>(1));
    CHECK(stats_cell(pub, "SV", "REC.SHORTSTAY") == std::optional<std::int64_t>(1));
    CHECK(stats_cell(pub, "SV", "REC") == std::optional<std::int64_t>(2));
    const auto auth = registry.stats(core::Audience::authorised);
    CHECK(stats_cell(auth, "SV", "REC.SHORTSTAY") == std::optional<std::int64_t>(2));
    CHECK(stats_cell(auth, "SV", "REC") == std::optional<std::int64_t>(3));
    // No cell for a country without visible services.
    CHECK_FALSE(stats_cell(pub, "GT", "REC").has_value());
}

TEST_CASE("personal contacts are never public, role contacts are", "[privacy][contacts]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    auto s = service_at(-90.51, 14.63, "GT", "PRO.CASEMGMT", "Gestión de casos");
    s.contacts = {
        core::Contact{core::ContactKind::email, "proteccion@example.org", {{"es", "Buzón institucional"}}, false},
        core::Contact{core::ContactKind::phone, "+502 5555 0101", {{"es", "Ana, trabajadora social"}}, true},
        core::Contact{core::ContactKind::hotline, "1515", {}, false}};
    const auto id = registry.put(s).id;

    const auto pub = registry.public_service(id);
    REQUIRE(pub.has_value());
    REQUIRE(pub->contacts.size() == 2);
    for (const auto& c : pub->contacts)
        CHECK_FALSE(c.personal);
    const std::string dump = core::to_json(*pub).dump();
    CHECK_FALSE(contains(dump, "5555 0101"));
    CHECK_FALSE(contains(dump, "trabajadora social"));
    CHECK(contains(dump, "proteccion@example.org"));
    CHECK(contains(dump, "1515"));

    core::ServiceQuery q;
    const auto page = registry.find(q);
    REQUIRE(page.items.size() == 1);
    CHECK_FALSE(contains(core::to_json(page.items[0].service).dump(), "5555 0101"));
    q.near = core::Near{{-90.51, 14.63}, std::nullopt, 1};
    CHECK_FALSE(contains(core::to_json(registry.find(q).items.at(0).service).dump(), "5555 0101"));

    const auto auth = registry.service_record(id);
    REQUIRE(auth.has_value());
    CHECK(auth->contacts.size() == 3);
    CHECK(contains(core::to_json(*auth).dump(), "5555 0101"));

    SECTION("actors' personal contacts are not shown either") {
        core::Actor a;
        a.name = {{"es", "Organización"}};
        a.actor_type = "NGO";
        a.countries = {"GT"};
        a.contacts = {core::Contact{core::ContactKind::email, "info@example.org", {}, false},
                      core::Contact{core::ContactKind::phone, "+502 5555 0202", {}, true}};
        const auto actor_id = registry.put(a).id;
        const auto shown = registry.actor(actor_id);
        REQUIRE(shown.has_value());
        REQUIRE(shown->contacts.size() == 1);
        CHECK(shown->contacts[0].value == "info@example.org");
        core::ActorQuery all;
        const auto actors = registry.find(all);
        REQUIRE(actors.items.size() == 1);
        CHECK_FALSE(contains(core::to_json(actors.items[0]).dump(), "5555 0202"));
    }
}
