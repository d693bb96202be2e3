#pragma once
// The field table of a service and of every object inside it: the one definition of a service's
// JSON, read from input (DomValue), from stored documents (SimdValue), and written for the store,
// `enlace show` and every response. Members are written in the tables' order, the order stored
// documents have always had.
#include "codec/field_kinds.hpp"

#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"

#include <type_traits>

namespace enlace::core::codec {

namespace service_detail {

using namespace kinds;

inline std::string_view visibility_values() { return "public, restricted"; }
inline std::string_view precision_values() { return "exact, approximate, locality, admin1"; }

inline const auto address_fields = std::tuple{text_field("admin1_code", &Address::admin1_code),
                                              text_field("admin1_name", &Address::admin1_name),
                                              text_field("admin2_code", &Address::admin2_code),
                                              text_field("admin2_name", &Address::admin2_name),
                                              text_field("locality", &Address::locality),
                                              text_field("postal_code", &Address::postal_code),
                                              text_field("street", &Address::street)};

inline const auto age_fields =
    std::tuple{small_integer_field("max", &AgeRange::max), small_integer_field("min", &AgeRange::min)};

inline const auto area_fields = std::tuple{strings_field("admin1", &ServiceArea::admin1, false),
                                           strings_field("countries", &ServiceArea::countries, false)};

inline const auto closure_fields =
    std::tuple{field(
                   "from", [](auto& in, const auto& v, const Path& p, Closure& c) { c.from = in.string(v, p, true); },
                   [](JsonObjectText& o, std::string&, const Closure& c, const auto&) { o.string("from", c.from); }),
               localized_field("note", &Closure::note),
               field(
                   "to", [](auto& in, const auto& v, const Path& p, Closure& c) { c.to = in.string(v, p); },
                   [](JsonObjectText& o, std::string&, const Closure& c, const auto&) { o.string("to", c.to); })};

/// A shift as read, before its times are checked together.
struct ShiftText {
    Shift shift;
    std::string opens, closes;
};

inline const auto shift_fields = std::tuple{
    field(
        "closes", [](auto& in, const auto& v, const Path& p, ShiftText& s) { s.closes = in.string(v, p, true); },
        [](JsonObjectText& o, std::string&, const Shift& s, const auto&) {
            o.string("closes", format_clock(s.closes));
        }),
    field(
        "days",
        [](auto& in, const auto& v, const Path& p, ShiftText& s) {
            const auto days = in.strings(v, p);
            if (days.empty()) in.issue(p, "must list at least one day (mo, tu, we, th, fr, sa, su)");
            for (const auto& day : days) {
                if (auto d = parse_weekday(day))
                    s.shift.days |= static_cast<std::uint8_t>(1u << *d);
                else
                    in.issue(p, "unknown day '" + day + "' (mo, tu, we, th, fr, sa, su)");
            }
        },
        [](JsonObjectText& o, std::string&, const Shift& s, const auto&) {
            auto& days = o.plain_key("days");
            days += '[';
            for (int d = 0, listed = 0; d < 7; ++d) {
                if (!(s.days & (1u << d))) continue;
                if (listed++) days += ',';
                append_json_string(days, weekday_code(d));
            }
            days += ']';
        }),
    field(
        "opens", [](auto& in, const auto& v, const Path& p, ShiftText& s) { s.opens = in.string(v, p, true); },
        [](JsonObjectText& o, std::string&, const Shift& s, const auto&) {
            o.string("opens", format_clock(s.opens));
        })};

/// A shift, its times checked: 24:00 only closes, 00:00 only opens, and a shift has a length.
template <class V> Shift read_shift(Reader<V>& in, const V& item, const Path& p) {
    ShiftText text;
    read_object(in, item, p, text, shift_fields);
    const auto opens = parse_clock(text.opens), closes = parse_clock(text.closes);
    if (!text.opens.empty() && (!opens || *opens == 1440))
        in.issue(p.member("opens"), "must be a time HH:MM, got '" + text.opens + "'");
    if (!text.closes.empty() && (!closes || *closes == 0))
        in.issue(p.member("closes"),
                 "must be a time HH:MM after 00:00 (24:00 for midnight), got '" + text.closes + "'");
    if (opens && closes && *opens == *closes)
        in.issue(p.member("closes"), "must differ from opens (use always_open for 24 hours)");
    text.shift.opens = opens.value_or(0);
    text.shift.closes = closes.value_or(0);
    return text.shift;
}

inline const auto hours_fields = std::tuple{
    field(
        "always_open",
        [](auto& in, const auto& v, const Path& p, OpeningHours& h) {
            h.always_open = in.boolean(v, p).value_or(false);
        },
        [](JsonObjectText& o, std::string&, const OpeningHours& h, const auto&) {
            if (h.always_open) o.boolean("always_open", true);
        }),
    field(
        "closures",
        [](auto& in, const auto& v, const Path& p, OpeningHours& h) {
            in.each(v, p, [&](const auto& item, const Path& at) {
                Closure closure;
                read_object(in, item, at, closure, closure_fields);
                if (closure.to.empty()) closure.to = closure.from;
                h.closures.push_back(std::move(closure));
            });
        },
        [](JsonObjectText& o, std::string&, const OpeningHours& h, const auto& form) {
            if (!h.closures.empty()) append_objects(o.plain_key("closures"), h.closures, form, closure_fields);
        }),
    field(
        "timezone", [](auto& in, const auto& v, const Path& p, OpeningHours& h) { h.timezone = in.string(v, p); },
        [](JsonObjectText& o, std::string&, const OpeningHours& h, const auto&) { o.string("timezone", h.timezone); }),
    field(
        "weekly",
        [](auto& in, const auto& v, const Path& p, OpeningHours& h) {
            in.each(v, p, [&](const auto& item, const Path& at) { h.weekly.push_back(read_shift(in, item, at)); });
        },
        [](JsonObjectText& o, std::string&, const OpeningHours& h, const auto& form) {
            if (!h.weekly.empty()) append_objects(o.plain_key("weekly"), h.weekly, form, shift_fields);
        })};

/// A location as read, and as written (an exact site, or a public view's place).
struct LocationText {
    std::optional<double> lon, lat;
    LocationPrecision precision = LocationPrecision::exact;
    bool coarsened = false;
};
struct LocationView {
    GeoPoint point;
    LocationPrecision precision;
    bool coarsened;
};

inline const auto location_fields = std::tuple{
    field(
        "coarsened",
        [](auto& in, const auto& v, const Path& p, LocationText& l) { l.coarsened = in.boolean(v, p).value_or(false); },
        [](JsonObjectText& o, std::string&, const LocationView& l, const auto&) {
            if (l.coarsened) o.boolean("coarsened", true);
        }),
    field(
        "lat", [](auto& in, const auto& v, const Path& p, LocationText& l) { l.lat = in.number(v, p); },
        [](JsonObjectText& o, std::string&, const LocationView& l, const auto&) { o.number("lat", l.point.lat); }),
    field(
        "lon", [](auto& in, const auto& v, const Path& p, LocationText& l) { l.lon = in.number(v, p); },
        [](JsonObjectText& o, std::string&, const LocationView& l, const auto&) { o.number("lon", l.point.lon); }),
    field(
        "precision",
        [](auto& in, const auto& v, const Path& p, LocationText& l) {
            const std::string text = in.string(v, p);
            if (auto parsed = parse_location_precision(text))
                l.precision = *parsed;
            else if (!text.empty())
                in.issue(p, "unknown precision '" + text + "' (" + std::string(precision_values()) + ")");
        },
        [](JsonObjectText& o, std::string&, const LocationView& l, const auto&) {
            o.string("precision", to_string(l.precision));
        })};

template <class V> void read_location(Reader<V>& in, const std::optional<V>& v, const Path& p, Service& s) {
    const auto object = in.object(v, p);
    if (!object) return;
    LocationText text;
    read_object(in, *object, p, text, location_fields);
    if (text.coarsened) in.issue(p, "is a coarsened public view of a sensitive site; edit from an authorised export");
    if (!text.lon) in.issue(p.member("lon"), "is required");
    if (!text.lat) in.issue(p.member("lat"), "is required");
    s.site = Site{{text.lon.value_or(0), text.lat.value_or(0)}, text.precision};
}

/// The location member: the exact site of a whole record, the public site of a public view.
template <class Record> std::optional<LocationView> location_of(const Record& s) {
    if (!s.site) return std::nullopt;
    if constexpr (std::is_same_v<Record, Service>)
        return LocationView{s.site->point, s.site->precision, false};
    else
        return LocationView{s.site->point, s.site->precision, s.site->coarsened};
}

/// name or description: all its languages, or with a form's language the one text resolved to it.
inline void append_text(JsonObjectText& record, std::string_view key, const LocalizedText& text,
                        const std::string& language) {
    const auto resolved = language.empty() ? std::nullopt : resolve(text, language);
    if (resolved)
        record.string(key, resolved->text);
    else
        append_json(record.plain_key(key), text);
}

inline void append_resolved_language(JsonObjectText& record, std::string& out, const ServiceFields& s,
                                     const std::string& language) {
    record.plain_key("resolved_language");
    JsonObjectText used(out);
    for (const auto& [key, text] : {std::pair{"description", &s.description}, std::pair{"name", &s.name}}) {
        if (auto resolved = resolve(*text, language)) {
            used.plain_key(key);
            JsonObjectText which(out);
            which.boolean("fallback", resolved->fallback);
            which.string("language", resolved->language);
            which.close();
        }
    }
    used.close();
}

/// Whether an address has anything to write.
inline bool empty(const Address& a) {
    return a.street.empty() && a.locality.empty() && a.admin1_name.empty() && a.admin1_code.empty() &&
           a.admin2_name.empty() && a.admin2_code.empty() && a.postal_code.empty();
}

} // namespace service_detail

/// Every member of a service's JSON. Service fields are read into a Service; a whole record or a
/// public view (PublicService) is written, in the form a ServiceJsonForm asks.
inline const auto service_fields = [] {
    using namespace service_detail;
    using S = Service;
    using F = ServiceFields;
    return std::tuple{
        field(
            "actor",
            [](auto& in, const auto& v, const Path& p, S& s) {
                if (v) s.actor_key = read_key(in, *v, p);
            },
            write_nothing),
        field(
            "actor_id", [](auto& in, const auto& v, const Path& p, S& s) { s.actor_id = in.integer(v, p); },
            [](JsonObjectText& o, std::string&, const auto& s, const ServiceJsonForm&) {
                if (s.actor_id) o.integer("actor_id", *s.actor_id);
            }),
        object_field("address", &F::address, address_fields, [](const Address& a) { return !empty(a); }),
        object_field("age", &F::age, age_fields, [](const AgeRange& a) { return a.min || a.max; }),
        small_integer_field("capacity", &F::capacity),
        contacts_field(&F::contacts),
        text_field("cost", &F::cost),
        text_field("country", &F::country, true),
        timestamp_field("created_at", &F::created_at),
        field(
            "description", [](auto& in, const auto& v, const Path& p, S& s) { s.description = in.localized(v, p); },
            [](JsonObjectText& o, std::string&, const auto& s, const ServiceJsonForm& form) {
                if (!s.description.empty()) append_text(o, "description", s.description, form.language);
            }),
        field(
            "gender",
            [](auto& in, const auto& v, const Path& p, S& s) {
                s.gender = in.string(v, p);
                if (s.gender.empty()) s.gender = "any";
            },
            [](JsonObjectText& o, std::string&, const auto& s, const ServiceJsonForm&) {
                o.string("gender", s.gender);
            }),
        field(
            "hours",
            [](auto& in, const auto& v, const Path& p, S& s) {
                if (const auto object = in.object(v, p)) {
                    s.hours.emplace();
                    read_object(in, *object, p, *s.hours, hours_fields);
                }
            },
            [](JsonObjectText& o, std::string&, const auto& s, const ServiceJsonForm& form) {
                if (s.hours) write_object(o.plain_key("hours"), *s.hours, form, hours_fields);
            }),
        id_field(&F::id),
        flag_field("illustrative", &F::illustrative),
        strings_field("languages", &F::languages, true),
        text_field("last_verified", &F::last_verified),
        field(
            "location", [](auto& in, const auto& v, const Path& p, S& s) { read_location(in, v, p, s); },
            [](JsonObjectText& o, std::string&, const auto& s, const ServiceJsonForm& form) {
                if (!form.location) return;
                if (const auto location = location_of(s))
                    write_object(o.plain_key("location"), *location, form, location_fields);
                else
                    o.plain_key("location") += "null";
            }),
        field(
            "name", [](auto& in, const auto& v, const Path& p, S& s) { s.name = in.localized(v, p); },
            [](JsonObjectText& o, std::string&, const auto& s, const ServiceJsonForm& form) {
                append_text(o, "name", s.name, form.language);
            }),
        strings_field("populations", &F::populations, true),
        written_field("public_location",
                      [](JsonObjectText& o, std::string& out, const auto& s, const ServiceJsonForm& form) {
                          // A whole record of a sensitive site also says where the public sees it.
                          if constexpr (std::is_same_v<std::decay_t<decltype(s)>, Service>) {
                              if (form.stored || !s.site || !s.coarsened || !s.public_point) return;
                              o.plain_key("public_location");
                              JsonObjectText point(out);
                              point.number("lat", s.public_point->lat);
                              point.number("lon", s.public_point->lon);
                              point.close();
                          }
                      }),
        optional_flag_field("referral_required", &F::referral_required),
        field(
            "review_status",
            [](auto& in, const auto& v, const Path& p, S& s) {
                const std::string text = in.string(v, p);
                if (auto parsed = parse_review_status(text))
                    s.review_status = *parsed;
                else if (!text.empty())
                    in.issue(p, "unknown review status '" + text + "' (" + std::string(review_status_values()) + ")");
            },
            [](JsonObjectText& o, std::string&, const auto& s, const ServiceJsonForm& form) {
                // Kept in its own column; shown only where it is not the one state the public ever sees.
                if (!form.stored && s.review_status != ReviewStatus::published)
                    o.string("review_status", to_string(s.review_status));
            }),
        annotation("resolved_language",
                   [](JsonObjectText& o, std::string& out, const auto& s, const ServiceJsonForm& form) {
                       if (!form.language.empty()) append_resolved_language(o, out, s, form.language);
                   }),
        object_field("service_area", &F::area, area_fields, [](const ServiceArea& a) { return !a.empty(); }),
        text_field("source", &F::source, true),
        text_field("source_id", &F::source_id, true),
        enum_field("status", &F::status, parse_service_status, "status", service_status_values),
        strings_field("types", &F::types, true),
        timestamp_field("updated_at", &F::updated_at),
        enum_field("visibility", &F::visibility, parse_visibility, "visibility", visibility_values)};
}();

/// A service read through its table: every problem at once, as one validation_error.
template <class V> Service read_service(const V& doc, Unknown unknown) {
    return read_record<Service>(doc, unknown, service_fields, [](Service& s) {
        if (s.actor_key && s.actor_key->source.empty()) s.actor_key->source = s.source;
    });
}

} // namespace enlace::core::codec
