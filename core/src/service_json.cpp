// A service as JSON text, written directly: the stored document, `enlace show`, and every REST
// response use it, and the JSON tree (to_json) is read back from it. Members are written in
// alphabetical order, the order the stored documents have always had.
#include "enlace/core/json_text.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"

namespace enlace::core {
namespace {

/// A JSON array of `items`, each written by write_item(out, item).
template <class T, class Write> void append_array(std::string& out, const std::vector<T>& items, Write&& write_item) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        write_item(out, items[i]);
    }
    out += ']';
}

void append_strings(std::string& out, const std::vector<std::string>& values) {
    append_array(out, values, [](std::string& o, const std::string& value) { append_json_string(o, value); });
}

void append_point(std::string& out, const GeoPoint& point) {
    JsonObjectText object(out);
    object.number("lat", point.lat);
    object.number("lon", point.lon);
    object.close();
}

void append_address(JsonObjectText& record, std::string& out, const Address& a) {
    if (a.street.empty() && a.locality.empty() && a.admin1_name.empty() && a.admin1_code.empty() &&
        a.admin2_name.empty() && a.admin2_code.empty() && a.postal_code.empty())
        return;
    record.plain_key("address");
    JsonObjectText address(out);
    address.optional_string("admin1_code", a.admin1_code);
    address.optional_string("admin1_name", a.admin1_name);
    address.optional_string("admin2_code", a.admin2_code);
    address.optional_string("admin2_name", a.admin2_name);
    address.optional_string("locality", a.locality);
    address.optional_string("postal_code", a.postal_code);
    address.optional_string("street", a.street);
    address.close();
}

void append_contact(std::string& out, const Contact& c) {
    JsonObjectText contact(out);
    contact.string("kind", to_string(c.kind));
    if (!c.label.empty()) append_json(contact.plain_key("label"), c.label);
    if (c.personal) contact.boolean("personal", true);
    contact.string("value", c.value);
    contact.close();
}

void append_closure(std::string& out, const Closure& c) {
    JsonObjectText closure(out);
    closure.string("from", c.from);
    if (!c.note.empty()) append_json(closure.plain_key("note"), c.note);
    closure.string("to", c.to);
    closure.close();
}

void append_shift(std::string& out, const Shift& shift) {
    JsonObjectText item(out);
    item.string("closes", format_clock(shift.closes));
    auto& days = item.plain_key("days");
    days += '[';
    for (int d = 0, listed = 0; d < 7; ++d) {
        if (!(shift.days & (1u << d))) continue;
        if (listed++) days += ',';
        append_json_string(days, weekday_code(d));
    }
    days += ']';
    item.string("opens", format_clock(shift.opens));
    item.close();
}

void append_location(std::string& out, const GeoPoint& point, LocationPrecision precision, bool coarsened) {
    JsonObjectText location(out);
    if (coarsened) location.boolean("coarsened", true);
    location.number("lat", point.lat);
    location.number("lon", point.lon);
    location.string("precision", to_string(precision));
    location.close();
}

/// The location member: the exact site of a whole record, the public site of a public view.
void append_location_member(JsonObjectText& record, const Service& s) {
    if (s.site)
        append_location(record.plain_key("location"), s.site->point, s.site->precision, false);
    else
        record.plain_key("location") += "null";
}
void append_location_member(JsonObjectText& record, const PublicService& s) {
    if (s.site)
        append_location(record.plain_key("location"), s.site->point, s.site->precision, s.site->coarsened);
    else
        record.plain_key("location") += "null";
}

/// A whole record of a sensitive site also says where the public sees it.
void append_public_location(JsonObjectText& record, const Service& s, const ServiceJsonForm& form) {
    if (!form.stored && s.site && s.coarsened && s.public_point)
        append_point(record.plain_key("public_location"), *s.public_point);
}
void append_public_location(JsonObjectText&, const PublicService&, const ServiceJsonForm&) {}

/// name or description: all its languages, or with `language` the one text resolved to it.
void append_text(JsonObjectText& record, const char* field, const LocalizedText& text, const std::string& language) {
    const auto resolved = language.empty() ? std::nullopt : resolve(text, language);
    if (resolved)
        record.string(field, resolved->text);
    else
        append_json(record.plain_key(field), text);
}

void append_resolved_language(JsonObjectText& record, std::string& out, const ServiceFields& s,
                              const std::string& language) {
    record.plain_key("resolved_language");
    JsonObjectText used(out);
    for (const auto& [field, text] : {std::pair{"description", &s.description}, std::pair{"name", &s.name}}) {
        if (auto resolved = resolve(*text, language)) {
            used.plain_key(field);
            JsonObjectText which(out);
            which.boolean("fallback", resolved->fallback);
            which.string("language", resolved->language);
            which.close();
        }
    }
    used.close();
}

} // namespace

void append_json(std::string& out, const LocalizedText& text) {
    JsonObjectText object(out);
    for (const auto& [language, value] : text)
        append_json_string(object.key(language), value); // keys from data: escaped
    object.close();
}

void append_json(std::string& out, const OpeningHours& hours) {
    JsonObjectText object(out);
    if (hours.always_open) object.boolean("always_open", true);
    if (!hours.closures.empty()) append_array(object.plain_key("closures"), hours.closures, append_closure);
    object.string("timezone", hours.timezone);
    if (!hours.weekly.empty()) append_array(object.plain_key("weekly"), hours.weekly, append_shift);
    object.close();
}

namespace {

/// Members in alphabetical order, the order stored documents have always had.
template <class Record> void append_service(std::string& out, const Record& s, const ServiceJsonForm& form) {
    JsonObjectText record(out);
    if (s.actor_id) record.integer("actor_id", *s.actor_id);
    append_address(record, out, s.address);
    if (s.age.min || s.age.max) {
        record.plain_key("age");
        JsonObjectText age(out);
        if (s.age.max) age.integer("max", *s.age.max);
        if (s.age.min) age.integer("min", *s.age.min);
        age.close();
    }
    if (s.capacity) record.integer("capacity", *s.capacity);
    if (!s.contacts.empty()) append_array(record.plain_key("contacts"), s.contacts, append_contact);
    record.optional_string("cost", s.cost);
    record.string("country", s.country);
    if (!form.stored) record.optional_string("created_at", s.created_at);
    if (!s.description.empty()) append_text(record, "description", s.description, form.language);
    record.string("gender", s.gender);
    if (s.hours) append_json(record.plain_key("hours"), *s.hours);
    if (!form.stored) record.integer("id", s.id);
    if (s.illustrative) record.boolean("illustrative", true);
    append_strings(record.plain_key("languages"), s.languages);
    record.optional_string("last_verified", s.last_verified);
    if (form.location) append_location_member(record, s);
    append_text(record, "name", s.name, form.language);
    append_strings(record.plain_key("populations"), s.populations);
    append_public_location(record, s, form);
    if (s.referral_required) record.boolean("referral_required", *s.referral_required);
    // Kept in its own column; shown only where it is not the one state the public ever sees.
    if (!form.stored && s.review_status != ReviewStatus::published)
        record.string("review_status", to_string(s.review_status));
    if (!form.language.empty()) append_resolved_language(record, out, s, form.language);
    if (!s.area.empty()) {
        record.plain_key("service_area");
        JsonObjectText area(out);
        if (!s.area.admin1.empty()) append_strings(area.plain_key("admin1"), s.area.admin1);
        if (!s.area.countries.empty()) append_strings(area.plain_key("countries"), s.area.countries);
        area.close();
    }
    record.string("source", s.source);
    record.string("source_id", s.source_id);
    record.string("status", to_string(s.status));
    append_strings(record.plain_key("types"), s.types);
    if (!form.stored) record.optional_string("updated_at", s.updated_at);
    record.string("visibility", to_string(s.visibility));
    record.close();
}

} // namespace

void append_json(std::string& out, const Service& service, const ServiceJsonForm& form) {
    append_service(out, service, form);
}

void append_json(std::string& out, const PublicService& service, const ServiceJsonForm& form) {
    ServiceJsonForm public_form = form;
    public_form.stored = false; // a public view is never what the store keeps
    append_service(out, service, public_form);
}

void append_json(std::string& out, const ServiceView& view, const ServiceJsonForm& form) {
    if (const auto* record = view.record())
        append_json(out, *record, form);
    else
        append_json(out, *view.public_view(), form);
}

std::string to_json_text(const Service& service, const ServiceJsonForm& form) {
    std::string out;
    out.reserve(1024);
    append_json(out, service, form);
    return out;
}

std::string to_json_text(const PublicService& service, const ServiceJsonForm& form) {
    std::string out;
    out.reserve(1024);
    append_json(out, service, form);
    return out;
}

} // namespace enlace::core
