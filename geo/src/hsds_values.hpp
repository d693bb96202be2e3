#pragma once
// Values as the HSDS export writes them: texts in the export's languages, the formats HSDS's
// schema checks (email, uri), the ids of child rows, and the texts the export writes itself.
#include "enlace/core/model.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::geo::detail::hsds {

/// The text in the first export language, or the nearest the registry has.
std::string first_language(const core::LocalizedText& text, const std::vector<std::string>& languages);
/// The text in exactly `lang`; empty when it has none.
std::string text_in(const core::LocalizedText& text, const std::string& lang);
std::string hsds_status(core::ServiceStatus status);
std::string first_contact(const core::ServiceFields& s, core::ContactKind kind);
std::string number(const std::optional<int>& v);
std::string joined_non_empty(const std::vector<std::string>& parts, const char* separator);
/// The primary language subtag of a BCP 47 tag ("es-MX" -> "es"): an ISO 639-1 or 639-3 code.
std::string language_code(const std::string& tag);

/// Texts the export writes itself (es, en, fr), read with own_text (English for any other).
extern const core::LocalizedText placeholder_name, placeholder_description, taxonomy_description;
std::string own_text(const core::LocalizedText& text, const std::string& language);

/// An addr-spec: dot-atom local part (UTF-8 allowed, RFC 6531) @ a domain of two or more labels.
bool valid_email(std::string_view s);
/// The URI of an IRI (RFC 3987 3.1: UTF-8 bytes percent-encoded) when it is a URI with a scheme
/// (RFC 3986; http and https with a host); empty otherwise.
std::string as_uri(std::string_view s);

/// Ids of child rows named by their content: the same phone keeps its id when others are added,
/// removed (personal ones in public exports) or reordered. A repeated name gets "#2", "#3".
class ChildIds {
  public:
    std::string operator()(const std::string& name);
    void clear() { m_seen.clear(); }

  private:
    std::map<std::string, int> m_seen;
};

} // namespace enlace::geo::detail::hsds
