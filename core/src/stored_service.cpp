// A decoder for exactly the stored form of a service: a JSON object with the keys to_json writes,
// read straight into Service without a DOM. Strict JSON (as nlohmann's parser), so that whatever
// it accepts means what service_from_json reads from it; everything else falls back to that.
#include "stored_service.hpp"
#include "stored_json_reader.hpp"

#include "enlace/core/json_text.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>

namespace enlace::core::detail {
namespace {

using namespace stored_json;

Site read_location(Reader& in) {
    static constexpr std::array<std::string_view, 4> names{"coarsened", "lat", "lon", "precision"};
    Keys keys(names);
    std::optional<double> lon, lat;
    Site site;
    in.object([&](std::string_view key) {
        const std::size_t k = keys.find(key);
        if (in.null()) return;
        switch (k) {
        case 0:
            if (in.boolean()) unexpected(); // a coarsened public view, which service_from_json refuses
            break;
        case 1:
            lat = in.number();
            break;
        case 2:
            lon = in.number();
            break;
        case 3:
            if (auto p = parse_location_precision(in.string()))
                site.precision = *p;
            else
                unexpected();
            break;
        }
    });
    if (!lon || !lat) unexpected();
    site.point = {*lon, *lat};
    return site;
}

Contact read_contact(Reader& in) {
    static constexpr std::array<std::string_view, 4> names{"kind", "label", "personal", "value"};
    Keys keys(names);
    Contact c;
    bool has_kind = false;
    in.object([&](std::string_view key) {
        const std::size_t k = keys.find(key);
        if (in.null()) return;
        switch (k) {
        case 0:
            if (auto kind = parse_contact_kind(in.string()))
                c.kind = *kind;
            else
                unexpected();
            has_kind = true;
            break;
        case 1:
            c.label = in.localized();
            break;
        case 2:
            c.personal = in.boolean();
            break;
        case 3:
            c.value = in.string();
            break;
        }
    });
    if (!has_kind || c.value.empty()) unexpected(); // both are required
    return c;
}

Shift read_shift(Reader& in) {
    static constexpr std::array<std::string_view, 3> names{"closes", "days", "opens"};
    Keys keys(names);
    Shift shift;
    std::optional<int> opens, closes;
    in.object([&](std::string_view key) {
        const std::size_t k = keys.find(key);
        if (in.null()) return;
        switch (k) {
        case 0:
            closes = parse_clock(in.string());
            break;
        case 1:
            in.array([&] {
                if (auto d = parse_weekday(in.string()))
                    shift.days |= static_cast<std::uint8_t>(1u << *d);
                else
                    unexpected();
            });
            break;
        case 2:
            opens = parse_clock(in.string());
            break;
        }
    });
    // What service_from_json refuses: no day, a malformed time, 24:00 opening, 00:00 closing, no length.
    if (shift.days == 0 || !opens || !closes || *opens == 1440 || *closes == 0 || *opens == *closes) unexpected();
    shift.opens = *opens;
    shift.closes = *closes;
    return shift;
}

Closure read_closure(Reader& in) {
    static constexpr std::array<std::string_view, 3> names{"from", "note", "to"};
    Keys keys(names);
    Closure closure;
    in.object([&](std::string_view key) {
        const std::size_t k = keys.find(key);
        if (in.null()) return;
        switch (k) {
        case 0:
            closure.from = in.string();
            break;
        case 1:
            closure.note = in.localized();
            break;
        case 2:
            closure.to = in.string();
            break;
        }
    });
    if (closure.from.empty()) unexpected(); // required
    if (closure.to.empty()) closure.to = closure.from;
    return closure;
}

OpeningHours read_hours(Reader& in) {
    static constexpr std::array<std::string_view, 4> names{"always_open", "closures", "timezone", "weekly"};
    Keys keys(names);
    OpeningHours hours;
    in.object([&](std::string_view key) {
        const std::size_t k = keys.find(key);
        if (in.null()) return;
        switch (k) {
        case 0:
            hours.always_open = in.boolean();
            break;
        case 1:
            in.array([&] { hours.closures.push_back(read_closure(in)); });
            break;
        case 2:
            hours.timezone = in.string();
            break;
        case 3:
            in.array([&] { hours.weekly.push_back(read_shift(in)); });
            break;
        }
    });
    return hours;
}

void read_area(Reader& in, ServiceArea& area) {
    static constexpr std::array<std::string_view, 2> names{"admin1", "countries"};
    Keys keys(names);
    in.object([&](std::string_view key) {
        const std::size_t k = keys.find(key);
        if (in.null()) return;
        (k == 0 ? area.admin1 : area.countries) = in.strings();
    });
}

void read_address(Reader& in, Address& address) {
    static constexpr std::array<std::string_view, 7> names{"admin1_code", "admin1_name", "admin2_code", "admin2_name",
                                                           "locality",    "postal_code", "street"};
    std::string* const fields[] = {&address.admin1_code, &address.admin1_name, &address.admin2_code,
                                   &address.admin2_name, &address.locality,    &address.postal_code,
                                   &address.street};
    Keys keys(names);
    in.object([&](std::string_view key) {
        const std::size_t k = keys.find(key);
        if (in.null()) return;
        *fields[k] = in.string();
    });
}

void read_age(Reader& in, AgeRange& age) {
    static constexpr std::array<std::string_view, 2> names{"max", "min"};
    Keys keys(names);
    in.object([&](std::string_view key) {
        const std::size_t k = keys.find(key);
        if (in.null()) return;
        (k == 0 ? age.max : age.min) = in.small_integer();
    });
}

/// The top-level keys of a stored document, in to_json's (alphabetical) order.
enum Top {
    actor_id,
    address,
    age,
    capacity,
    contacts,
    cost,
    country,
    description,
    gender,
    hours,
    illustrative,
    languages,
    last_verified,
    location,
    name,
    populations,
    referral_required,
    service_area,
    source,
    source_id,
    status,
    types,
    visibility,
    top_count
};
constexpr std::array<std::string_view, top_count> top_names{
    "actor_id",      "address",     "age",    "capacity",    "contacts",          "cost",
    "country",       "description", "gender", "hours",       "illustrative",      "languages",
    "last_verified", "location",    "name",   "populations", "referral_required", "service_area",
    "source",        "source_id",   "status", "types",       "visibility"};

Service read_service(Reader& in) {
    Service s;
    Keys keys(top_names);
    in.object([&](std::string_view key) {
        const auto k = static_cast<Top>(keys.find(key));
        if (in.null()) return;
        switch (k) {
        case actor_id:
            s.actor_id = in.integer();
            break;
        case address:
            read_address(in, s.address);
            break;
        case age:
            read_age(in, s.age);
            break;
        case capacity:
            s.capacity = in.small_integer();
            break;
        case contacts:
            in.array([&] { s.contacts.push_back(read_contact(in)); });
            break;
        case cost:
            s.cost = in.string();
            break;
        case country:
            s.country = in.string();
            break;
        case description:
            s.description = in.localized();
            break;
        case gender:
            s.gender = in.string();
            break;
        case hours:
            s.hours = read_hours(in);
            break;
        case illustrative:
            s.illustrative = in.boolean();
            break;
        case languages:
            s.languages = in.strings();
            break;
        case last_verified:
            s.last_verified = in.string();
            break;
        case location:
            s.site = read_location(in);
            break;
        case name:
            s.name = in.localized();
            break;
        case populations:
            s.populations = in.strings();
            break;
        case referral_required:
            s.referral_required = in.boolean();
            break;
        case service_area:
            read_area(in, s.area);
            break;
        case source:
            s.source = in.string();
            break;
        case source_id:
            s.source_id = in.string();
            break;
        case status:
            if (auto v = parse_service_status(in.string()))
                s.status = *v;
            else
                unexpected();
            break;
        case types:
            s.types = in.strings();
            break;
        case visibility:
            if (auto v = parse_visibility(in.string()))
                s.visibility = *v;
            else
                unexpected();
            break;
        case top_count:
            break;
        }
    });
    if (!in.at_end()) unexpected();
    if (s.gender.empty()) s.gender = "any";
    return s;
}

} // namespace

std::optional<Service> decode_stored_service_direct(std::string_view text) {
    try {
        Reader in(text);
        return read_service(in);
    } catch (const Unexpected&) {
        return std::nullopt;
    }
}

Service decode_stored_service(std::string_view text) {
    if (auto s = decode_stored_service_direct(text)) return std::move(*s);
    return service_from_json(nlohmann::json::parse(text.begin(), text.end()), UnknownFields::ignore);
}

} // namespace enlace::core::detail
