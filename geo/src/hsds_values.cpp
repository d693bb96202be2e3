// Values as HSDS writes them: texts in the export's languages, the formats its schema checks
// (email, uri), and the texts the export writes itself.
#include "hsds_values.hpp"

#include "hsds_uuid.hpp"

#include "enlace/core/vocabulary.hpp"

#include <algorithm>
#include <cctype>

namespace enlace::geo::detail::hsds {
namespace {

bool ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

} // namespace

std::string first_language(const core::LocalizedText& text, const std::vector<std::string>& languages) {
    if (auto r = core::resolve(text, languages.front())) return r->text;
    return {};
}

std::string text_in(const core::LocalizedText& text, const std::string& lang) {
    const auto it = text.find(lang);
    return it == text.end() ? std::string() : it->second;
}

std::string hsds_status(core::ServiceStatus status) {
    return status == core::ServiceStatus::temporarily_closed ? "temporarily closed"
                                                             : std::string(core::to_string(status));
}

std::string first_contact(const core::ServiceFields& s, core::ContactKind kind) {
    for (const auto& c : s.contacts)
        if (c.kind == kind) return c.value;
    return {};
}

std::string number(const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); }

std::string joined_non_empty(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (const auto& p : parts)
        if (!p.empty()) out += (out.empty() ? "" : separator) + p;
    return out;
}

// Texts the export writes itself (es, en, fr; English for any other language).
const core::LocalizedText placeholder_name{
    {"es", "Organización no registrada"}, {"en", "Organization not recorded"}, {"fr", "Organisation non enregistrée"}};
const core::LocalizedText placeholder_description{
    {"es", "El registro no indica qué organización ofrece estos servicios."},
    {"en", "The registry does not record which organization offers these services."},
    {"fr", "Le registre n'indique pas quelle organisation offre ces services."}};
const core::LocalizedText taxonomy_description{
    {"es", "Taxonomía de servicios de Enlace: tipos de servicios de protección para niñas, niños y adolescentes "
           "migrantes, en dos niveles de códigos estables."},
    {"en", "Enlace service taxonomy: the types of protection services for migrant children, in two levels of "
           "stable codes."},
    {"fr", "Taxonomie des services d'Enlace : les types de services de protection pour les enfants migrants, sur "
           "deux niveaux de codes stables."}};

std::string own_text(const core::LocalizedText& text, const std::string& language) {
    if (auto it = text.find(language); it != text.end()) return it->second;
    return text.at("en");
}

/// An addr-spec: dot-atom local part (UTF-8 allowed, RFC 6531) @ a domain of two or more labels.
bool valid_email(std::string_view s) {
    const auto at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 >= s.size()) return false;
    const auto local = s.substr(0, at), domain = s.substr(at + 1);
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    for (char c : local)
        if (!ascii_alnum(c) && static_cast<unsigned char>(c) < 0x80 &&
            std::string_view(".!#$%&'*+-/=?^_`{|}~").find(c) == std::string_view::npos)
            return false;
    int labels = 0;
    std::size_t start = 0;
    for (;;) {
        const auto dot = domain.find('.', start);
        const auto label = domain.substr(start, dot == std::string_view::npos ? domain.npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!ascii_alnum(c) && c != '-' && static_cast<unsigned char>(c) < 0x80) return false;
        ++labels;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return labels >= 2;
}

/// The URI of an IRI (RFC 3987 3.1: UTF-8 bytes percent-encoded) when it is a URI with a scheme
/// (RFC 3986; http and https with a host); empty otherwise.
std::string as_uri(std::string_view s) {
    std::string out;
    static const char hex[] = "0123456789ABCDEF";
    for (char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x80) {
            out += '%';
            out += hex[b >> 4];
            out += hex[b & 0x0f];
        } else {
            out += c;
        }
    }
    const auto colon = out.find(':');
    if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(out[0]))) return {};
    for (std::size_t i = 1; i < colon; ++i)
        if (!ascii_alnum(out[i]) && out[i] != '+' && out[i] != '-' && out[i] != '.') return {};
    const std::string_view rest = std::string_view(out).substr(colon + 1);
    if (rest.empty()) return {};
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '%') {
            if (i + 2 >= rest.size() || !hex_digit(rest[i + 1]) || !hex_digit(rest[i + 2])) return {};
            i += 2;
        } else if (!ascii_alnum(rest[i]) && std::string_view("-._~:/?#[]@!$&'()*+,;=").find(rest[i]) == rest.npos) {
            return {};
        }
    }
    std::string scheme = out.substr(0, colon);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if ((scheme == "http" || scheme == "https") &&
        (rest.size() < 3 || rest.substr(0, 2) != "//" || std::string_view("/?#").find(rest[2]) != rest.npos))
        return {};
    return out;
}

/// The primary language subtag of a BCP 47 tag ("es-MX" -> "es"): an ISO 639-1 or 639-3 code.
std::string language_code(const std::string& tag) {
    auto code = tag.substr(0, tag.find('-'));
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return code;
}

std::string ChildIds::operator()(const std::string& name) {
    const int n = ++m_seen[name];
    return hsds_id(n == 1 ? name : name + "#" + std::to_string(n));
}

} // namespace enlace::geo::detail::hsds
