#include "contact_text.hpp"

#include "enlace/core/name_key.hpp"
#include "import_values.hpp"

#include "enlace/core/vocabulary.hpp"

#include <map>

namespace enlace::geo::detail {
namespace {

std::optional<core::ContactKind> kind_named(const std::string& word) {
    static const std::map<std::string, core::ContactKind> names = {
        {"phone", core::ContactKind::phone},       {"telefono", core::ContactKind::phone},
        {"tel", core::ContactKind::phone},         {"celular", core::ContactKind::phone},
        {"hotline", core::ContactKind::hotline},   {"linea", core::ContactKind::hotline},
        {"whatsapp", core::ContactKind::whatsapp}, {"email", core::ContactKind::email},
        {"correo", core::ContactKind::email},      {"e mail", core::ContactKind::email},
        {"url", core::ContactKind::url},           {"web", core::ContactKind::url}};
    const auto it = names.find(core::normalised_name(word));
    return it == names.end() ? std::nullopt : std::optional(it->second);
}

} // namespace

std::string contacts_text(const std::vector<core::Contact>& contacts, bool personal) {
    std::string out;
    for (const auto& c : contacts) {
        if (c.personal != personal) continue;
        if (!out.empty()) out += "; ";
        out += std::string(core::to_string(c.kind)) + ": " + c.value;
    }
    return out;
}

std::optional<core::Contact> parse_contact(const std::string& item) {
    core::Contact contact;
    contact.value = trim(item);
    if (const auto colon = contact.value.find(':'); colon != std::string::npos) {
        if (auto kind = kind_named(contact.value.substr(0, colon))) {
            contact.kind = *kind;
            contact.value = trim(contact.value.substr(colon + 1));
            return contact.value.empty() ? std::nullopt : std::optional(contact);
        }
    }
    if (contact.value.empty()) return std::nullopt;
    if (contact.value.find('@') != std::string::npos && contact.value.find("://") == std::string::npos)
        contact.kind = core::ContactKind::email;
    else if (contact.value.rfind("http://", 0) == 0 || contact.value.rfind("https://", 0) == 0 ||
             contact.value.rfind("www.", 0) == 0)
        contact.kind = core::ContactKind::url;
    return contact;
}

} // namespace enlace::geo::detail
