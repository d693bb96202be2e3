// Great-circle distances, the chord conversions the spatial index relies on, bounding boxes
// (including ones across the antimeridian) and the coarsening rule for sensitive sites.
#include "enlace/core/geodesy.hpp"
#include "enlace/core/model.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

using enlace::core::BBox;
using enlace::core::GeoPoint;
namespace geodesy = enlace::core::geodesy;

namespace {

constexpr double R = geodesy::earth_radius_m;

// A fixed-seed generator, so every run checks the same points.
struct Lcg {
    std::uint64_t state;
    double next(double lo, double hi) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        const double unit = static_cast<double>(state >> 11) / static_cast<double>(1ull << 53);
        return lo + (hi - lo) * unit;
    }
};

} // namespace

TEST_CASE("haversine matches published city-pair distances", "[geodesy]") {
    SECTION("Guatemala City - San Salvador, about 177 km between the city centres") {
        // Centres as published (Wikipedia): 14°36'48"N 90°32'08"W and 13°41'56"N 89°11'29"W.
        const GeoPoint guatemala{-90.5353, 14.6133}, san_salvador{-89.1914, 13.6989};
        CHECK(geodesy::distance_m(guatemala, san_salvador) == Approx(177'000.0).epsilon(0.01));
        // Symmetric.
        CHECK(geodesy::distance_m(san_salvador, guatemala) == Approx(geodesy::distance_m(guatemala, san_salvador)));
    }
    SECTION("Nashville BNA - Los Angeles LAX, the textbook haversine example (2886 km on the mean radius)") {
        const GeoPoint bna{-86.67, 36.12}, lax{-118.40, 33.94};
        CHECK(geodesy::distance_m(bna, lax) == Approx(2'886'400.0).epsilon(0.01));
    }
    SECTION("London - Paris, about 344 km") {
        const GeoPoint london{-0.1278, 51.5074}, paris{2.3522, 48.8566};
        CHECK(geodesy::distance_m(london, paris) == Approx(343'500.0).epsilon(0.01));
    }
    SECTION("one degree along a meridian and along the equator is pi R / 180") {
        const double one_degree = std::numbers::pi * R / 180.0; // 111.195 km
        CHECK(geodesy::distance_m({-90.0, 14.0}, {-90.0, 15.0}) == Approx(one_degree).epsilon(1e-9));
        CHECK(geodesy::distance_m({10.0, 0.0}, {11.0, 0.0}) == Approx(one_degree).epsilon(1e-9));
        // Along a parallel the degree shrinks with cos(latitude) (for a small step).
        CHECK(geodesy::distance_m({10.0, 60.0}, {10.01, 60.0}) == Approx(one_degree * 0.01 * 0.5).epsilon(1e-4));
    }
}

TEST_CASE("haversine edge cases: zero, antipodes, antimeridian, poles", "[geodesy]") {
    SECTION("the same point is at distance zero") {
        CHECK(geodesy::distance_m({-92.26, 14.9}, {-92.26, 14.9}) == 0.0);
        CHECK(geodesy::distance_m({180.0, 0.0}, {-180.0, 0.0}) == Approx(0.0).margin(1e-6));
    }
    SECTION("antipodes are half a great circle apart, pi R") {
        const double half = std::numbers::pi * R;
        CHECK(geodesy::distance_m({0.0, 0.0}, {180.0, 0.0}) == Approx(half).epsilon(1e-9));
        CHECK(geodesy::distance_m({-90.5, 14.6}, {89.5, -14.6}) == Approx(half).epsilon(1e-9));
        CHECK(geodesy::distance_m({0.0, 90.0}, {0.0, -90.0}) == Approx(half).epsilon(1e-9));
        // Nothing on the sphere is farther.
        CHECK(geodesy::distance_m({12.0, 34.0}, {-168.0, -34.0}) <= half * (1 + 1e-12));
    }
    SECTION("points either side of the antimeridian are close, not a world apart") {
        const double d = geodesy::distance_m({179.9, 0.0}, {-179.9, 0.0});
        CHECK(d == Approx(0.2 * std::numbers::pi * R / 180.0).epsilon(1e-6)); // 22.24 km
        CHECK(d == Approx(22'239.0).epsilon(0.001));
        CHECK(geodesy::distance_m({-179.95, 52.0}, {179.95, 52.0}) < 7'000.0);
    }
    SECTION("near the poles, longitude barely matters") {
        // Across the pole: 0.1 degree up to it and 0.1 degree down the other side.
        CHECK(geodesy::distance_m({0.0, 89.9}, {180.0, 89.9}) ==
              Approx(0.2 * std::numbers::pi * R / 180.0).epsilon(1e-6));
        // At the pole itself every longitude is the same point.
        CHECK(geodesy::distance_m({0.0, 90.0}, {123.0, 90.0}) == Approx(0.0).margin(1e-3));
        // Quarter turn of longitude at 89.99 degrees: at most the 0.02 degree path over the pole.
        CHECK(geodesy::distance_m({0.0, 89.99}, {90.0, 89.99}) < 0.02 * std::numbers::pi * R / 180.0);
    }
}

TEST_CASE("coordinates outside WGS84 ranges are not valid", "[geodesy]") {
    CHECK(geodesy::valid_lon(-180.0));
    CHECK(geodesy::valid_lon(180.0));
    CHECK(geodesy::valid_lon(-92.26));
    CHECK_FALSE(geodesy::valid_lon(180.0001));
    CHECK_FALSE(geodesy::valid_lon(-181.0));
    CHECK_FALSE(geodesy::valid_lon(std::numeric_limits<double>::quiet_NaN()));
    CHECK_FALSE(geodesy::valid_lon(std::numeric_limits<double>::infinity()));
    CHECK(geodesy::valid_lat(90.0));
    CHECK(geodesy::valid_lat(-90.0));
    CHECK_FALSE(geodesy::valid_lat(91.0));
    CHECK_FALSE(geodesy::valid_lat(-90.5));
    CHECK_FALSE(geodesy::valid_lat(std::numeric_limits<double>::quiet_NaN()));
}

TEST_CASE("chord length and metres convert back and forth", "[geodesy]") {
    for (double metres : {0.0, 1.0, 250.0, 5'000.0, 180'000.0, 2'000'000.0, 10'000'000.0, 19'000'000.0}) {
        INFO("metres = " << metres);
        CHECK(geodesy::chord_to_m(geodesy::m_to_chord(metres)) == Approx(metres).margin(1e-6).epsilon(1e-9));
    }
    // Half the globe is the diameter of the unit sphere.
    CHECK(geodesy::m_to_chord(std::numbers::pi * R) == Approx(2.0));
    CHECK(geodesy::chord_to_m(2.0) == Approx(std::numbers::pi * R));
    // Monotonic: the index may compare chords instead of distances.
    CHECK(geodesy::m_to_chord(1'000.0) < geodesy::m_to_chord(1'001.0));

    SECTION("the chord between unit vectors is the great-circle distance converted") {
        Lcg rng{42};
        for (int i = 0; i < 200; ++i) {
            const GeoPoint a{rng.next(-180, 180), rng.next(-90, 90)};
            const GeoPoint b{rng.next(-180, 180), rng.next(-90, 90)};
            const auto u = geodesy::unit_vector(a), v = geodesy::unit_vector(b);
            const double chord = std::sqrt((u[0] - v[0]) * (u[0] - v[0]) + (u[1] - v[1]) * (u[1] - v[1]) +
                                           (u[2] - v[2]) * (u[2] - v[2]));
            INFO("a = (" << a.lon << ", " << a.lat << "), b = (" << b.lon << ", " << b.lat << ")");
            CHECK(std::hypot(u[0], u[1], u[2]) == Approx(1.0));
            CHECK(geodesy::chord_to_m(chord) == Approx(geodesy::distance_m(a, b)).margin(0.01).epsilon(1e-7));
        }
    }
    SECTION("unit vectors have no seam at the antimeridian") {
        const auto east = geodesy::unit_vector({180.0, 10.0}), west = geodesy::unit_vector({-180.0, 10.0});
        for (int k = 0; k < 3; ++k)
            CHECK(east[static_cast<std::size_t>(k)] == Approx(west[static_cast<std::size_t>(k)]).margin(1e-12));
    }
}

TEST_CASE("BBox::contains, including boxes across the antimeridian", "[geodesy][bbox]") {
    SECTION("an ordinary box, edges included") {
        const BBox gt{-92.35, 13.63, -88.12, 17.92};
        CHECK_FALSE(gt.crosses_antimeridian());
        CHECK(gt.contains({-90.51, 14.63}));
        CHECK(gt.contains({-92.35, 13.63})); // south-west corner
        CHECK(gt.contains({-88.12, 17.92})); // north-east corner
        CHECK_FALSE(gt.contains({-92.36, 14.0}));
        CHECK_FALSE(gt.contains({-88.11, 14.0}));
        CHECK_FALSE(gt.contains({-90.0, 13.62}));
        CHECK_FALSE(gt.contains({-90.0, 17.93}));
        CHECK_FALSE(gt.contains({14.63, -90.51})); // swapped coordinates
    }
    SECTION("west > east crosses the antimeridian") {
        const BBox pacific{170.0, -10.0, -170.0, 10.0};
        CHECK(pacific.crosses_antimeridian());
        CHECK(pacific.contains({175.0, 0.0}));
        CHECK(pacific.contains({-175.0, 0.0}));
        CHECK(pacific.contains({180.0, 0.0}));
        CHECK(pacific.contains({-180.0, 0.0}));
        CHECK(pacific.contains({170.0, 10.0}));
        CHECK(pacific.contains({-170.0, -10.0}));
        CHECK_FALSE(pacific.contains({0.0, 0.0}));
        CHECK_FALSE(pacific.contains({169.9, 0.0}));
        CHECK_FALSE(pacific.contains({-169.9, 0.0}));
        CHECK_FALSE(pacific.contains({175.0, 10.1}));
    }
    SECTION("the default box is the whole world") {
        const BBox world;
        CHECK(world.contains({-180.0, -90.0}));
        CHECK(world.contains({180.0, 90.0}));
        CHECK(world.contains({0.0, 0.0}));
    }
}

TEST_CASE("coarsen() puts a sensitive site at the centre of its 0.1 degree cell", "[geodesy][privacy]") {
    const BBox world;
    const double cell = geodesy::coarsening_cell_deg;
    REQUIRE(cell == Approx(0.1));

    SECTION("a known point lands on its cell centre") {
        // -92.2634 lies in [-92.3, -92.2) and 14.9042 in [14.9, 15.0).
        const GeoPoint p = geodesy::coarsen({-92.2634, 14.9042}, world);
        CHECK(p.lon == Approx(-92.25).margin(1e-9));
        CHECK(p.lat == Approx(14.95).margin(1e-9));
        const GeoPoint q = geodesy::coarsen({10.0123, -33.9876}, world);
        CHECK(q.lon == Approx(10.05).margin(1e-9));
        CHECK(q.lat == Approx(-33.95).margin(1e-9));
    }

    SECTION("for any point: a cell centre, in the point's own cell, within half a cell diagonal") {
        // Half the diagonal of a 0.1 degree cell at the equator: 7.86 km; cells shrink towards the poles.
        const double half_diagonal_m = std::hypot(0.05, 0.05) * std::numbers::pi * R / 180.0;
        REQUIRE(half_diagonal_m < 7'900.0);
        Lcg rng{2024};
        for (int i = 0; i < 2000; ++i) {
            const GeoPoint exact{rng.next(-179.9, 179.9), rng.next(-89.9, 89.9)};
            const GeoPoint p = geodesy::coarsen(exact, world);
            INFO("exact = (" << exact.lon << ", " << exact.lat << "), coarse = (" << p.lon << ", " << p.lat << ")");
            // On a centre: an odd multiple of half a cell.
            CHECK(std::fmod(std::abs(p.lon / (cell / 2)), 2.0) == Approx(1.0).margin(1e-6));
            CHECK(std::fmod(std::abs(p.lat / (cell / 2)), 2.0) == Approx(1.0).margin(1e-6));
            // Of the cell holding the point.
            CHECK(std::abs(p.lon - exact.lon) <= cell / 2 + 1e-9);
            CHECK(std::abs(p.lat - exact.lat) <= cell / 2 + 1e-9);
            CHECK(geodesy::distance_m(exact, p) <= half_diagonal_m + 1.0);
        }
    }

    SECTION("at the equator the worst case is the half diagonal, about 7.86 km") {
        const GeoPoint corner{0.0001, 0.0001}; // near a cell corner: far from its centre
        const GeoPoint p = geodesy::coarsen(corner, world);
        const double d = geodesy::distance_m(corner, p);
        CHECK(d > 7'800.0);
        CHECK(d <= 7'900.0);
    }

    SECTION("deterministic, and every point of a cell maps to the same place") {
        const GeoPoint exact{-90.5123, 14.6387};
        const GeoPoint first = geodesy::coarsen(exact, world);
        CHECK(geodesy::coarsen(exact, world) == first);
        // Other points of the same cell [-90.6, -90.5) x [14.6, 14.7) reveal nothing more.
        CHECK(geodesy::coarsen({-90.5987, 14.6012}, world) == first);
        CHECK(geodesy::coarsen({-90.5001, 14.6999}, world) == first);
        // A point in the next cell does not.
        CHECK_FALSE(geodesy::coarsen({-90.4987, 14.6387}, world) == first);
    }

    SECTION("the result stays inside the given box") {
        // A site just inside the box's west edge whose cell centre lies outside it.
        const BBox box{-92.33, 13.63, -88.12, 17.92};
        const GeoPoint west_edge{-92.32, 15.0123};
        REQUIRE_FALSE(box.contains({-92.35, 15.05})); // the plain cell centre
        const GeoPoint p = geodesy::coarsen(west_edge, box);
        CHECK(box.contains(p));
        CHECK(geodesy::distance_m(west_edge, p) <= 7'900.0);

        const GeoPoint north_edge{-90.0123, 17.915}; // cell centre 17.95 is beyond north = 17.92
        const GeoPoint q = geodesy::coarsen(north_edge, box);
        CHECK(box.contains(q));

        const GeoPoint east_edge{-88.1234, 14.5555}; // cell centre -88.15 is inside: unchanged rule
        CHECK(geodesy::coarsen(east_edge, box).lon == Approx(-88.15).margin(1e-9));
    }

    SECTION("inside a box across the antimeridian") {
        const BBox us{172.34, 18.81, -66.79, 71.51};
        for (const GeoPoint exact :
             {GeoPoint{172.3456, 52.93}, GeoPoint{-66.7912, 44.8}, GeoPoint{179.97, 51.2}, GeoPoint{-179.97, 51.2}}) {
            REQUIRE(us.contains(exact));
            const GeoPoint p = geodesy::coarsen(exact, us);
            INFO("exact = (" << exact.lon << ", " << exact.lat << "), coarse = (" << p.lon << ", " << p.lat << ")");
            CHECK(us.contains(p));
            CHECK(geodesy::distance_m(exact, p) <= 7'900.0);
        }
    }
}
