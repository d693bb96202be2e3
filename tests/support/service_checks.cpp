#include "support/service_checks.hpp"

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>

namespace enlace::test {
namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

void check_same_hours(const core::OpeningHours& got, const core::OpeningHours& want) {
    CHECK(got.timezone == want.timezone);
    CHECK(got.always_open == want.always_open);
    REQUIRE(got.weekly.size() == want.weekly.size());
    for (std::size_t i = 0; i < want.weekly.size(); ++i) {
        INFO("shift " << i);
        CHECK(got.weekly[i].days == want.weekly[i].days);
        CHECK(got.weekly[i].opens == want.weekly[i].opens);
        CHECK(got.weekly[i].closes == want.weekly[i].closes);
    }
    REQUIRE(got.closures.size() == want.closures.size());
    for (std::size_t i = 0; i < want.closures.size(); ++i) {
        INFO("closure " << i);
        CHECK(got.closures[i].from == want.closures[i].from);
        CHECK(got.closures[i].to == want.closures[i].to);
        CHECK(got.closures[i].note == want.closures[i].note);
    }
}

} // namespace

void check_same_service(const core::Service& got, const core::Service& want, SameService how) {
    if (how.every_field) {
        CHECK(got.id == want.id);
        CHECK(got.actor_key.has_value() == want.actor_key.has_value());
        CHECK(got.public_point.has_value() == want.public_point.has_value());
        CHECK(got.coarsened == want.coarsened);
        CHECK(got.created_at == want.created_at);
        CHECK(got.updated_at == want.updated_at);
    }
    CHECK(got.source == want.source);
    CHECK(got.source_id == want.source_id);
    CHECK(got.actor_id == want.actor_id);
    CHECK(got.name == want.name);
    CHECK(got.description == want.description);
    CHECK(got.types == want.types);
    CHECK(got.country == want.country);
    REQUIRE(got.site.has_value() == want.site.has_value());
    if (want.site) {
        if (how.every_field) {
            CHECK(same_bits(got.site->point.lon, want.site->point.lon));
            CHECK(same_bits(got.site->point.lat, want.site->point.lat));
        } else if (how.coordinate_tolerance > 0) {
            CHECK(std::abs(got.site->point.lon - want.site->point.lon) <= how.coordinate_tolerance);
            CHECK(std::abs(got.site->point.lat - want.site->point.lat) <= how.coordinate_tolerance);
        } else {
            CHECK(got.site->point == want.site->point);
        }
        CHECK(got.site->precision == want.site->precision);
    }
    CHECK(got.area.countries == want.area.countries);
    CHECK(got.area.admin1 == want.area.admin1);
    CHECK(got.address.street == want.address.street);
    CHECK(got.address.locality == want.address.locality);
    CHECK(got.address.admin1_name == want.address.admin1_name);
    CHECK(got.address.admin1_code == want.address.admin1_code);
    CHECK(got.address.admin2_name == want.address.admin2_name);
    CHECK(got.address.admin2_code == want.address.admin2_code);
    CHECK(got.address.postal_code == want.address.postal_code);
    REQUIRE(got.contacts.size() == want.contacts.size());
    for (std::size_t i = 0; i < want.contacts.size(); ++i) {
        INFO("contact " << i);
        CHECK(got.contacts[i].kind == want.contacts[i].kind);
        CHECK(got.contacts[i].value == want.contacts[i].value);
        CHECK(got.contacts[i].label == want.contacts[i].label);
        CHECK(got.contacts[i].personal == want.contacts[i].personal);
    }
    REQUIRE(got.hours.has_value() == want.hours.has_value());
    if (want.hours) check_same_hours(*got.hours, *want.hours);
    CHECK(got.languages == want.languages);
    CHECK(got.populations == want.populations);
    CHECK(got.age.min == want.age.min);
    CHECK(got.age.max == want.age.max);
    CHECK(got.gender == want.gender);
    CHECK(got.cost == want.cost);
    CHECK(got.referral_required == want.referral_required);
    CHECK(got.capacity == want.capacity);
    CHECK(got.status == want.status);
    CHECK(got.visibility == want.visibility);
    CHECK(got.last_verified == want.last_verified);
    CHECK(got.illustrative == want.illustrative);
}

core::Service comparable(const core::ServiceView& view) {
    if (view.record()) return *view.record();
    core::Service s;
    static_cast<core::ServiceFields&>(s) = view.fields();
    if (const auto site = view.site()) {
        s.site = core::Site{site->point, site->precision};
        s.public_point = site->point;
        s.coarsened = site->coarsened;
    }
    return s;
}

} // namespace enlace::test
