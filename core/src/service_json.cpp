// A service as JSON text, written through its field table (codec/service_fields.hpp): the stored
// document, `enlace show`, and every REST response use it, and the JSON tree (to_json) is read
// back from it.
#include "codec/service_fields.hpp"
#include "enlace/core/json_text.hpp"
#include "enlace/core/record_json.hpp"

namespace enlace::core {

void append_json(std::string& out, const LocalizedText& text) {
    JsonObjectText object(out);
    for (const auto& [language, value] : text)
        append_json_string(object.key(language), value); // keys from data: escaped
    object.close();
}

void append_json(std::string& out, const OpeningHours& hours) {
    codec::write_object(out, hours, ServiceJsonForm{}, codec::service_detail::hours_fields);
}

void append_json(std::string& out, const Service& service, const ServiceJsonForm& form) {
    codec::write_object(out, service, form, codec::service_fields);
}

void append_json(std::string& out, const PublicService& service, const ServiceJsonForm& form) {
    ServiceJsonForm public_form = form;
    public_form.stored = false; // a public view is never what the store keeps
    codec::write_object(out, service, public_form, codec::service_fields);
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
