#pragma once
// Contacts of several kinds in one cell, as the `personal_contacts` column carries them:
// "phone: +502 5500 0456; email: coordinacion@example.org" (docs/export.md).
#include "enlace/core/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace enlace::geo::detail {

/// "kind: value" items joined with "; ": the personal contacts (or the others), in their order.
std::string contacts_text(const std::vector<core::Contact>& contacts, bool personal);

/// One item: "kind: value" (phone, hotline, whatsapp, email, url, or teléfono, línea, correo,
/// web), or a value alone whose kind is guessed (an email address, a web address, else a phone).
/// Nothing for an empty value.
std::optional<core::Contact> parse_contact(const std::string& item);

} // namespace enlace::geo::detail
