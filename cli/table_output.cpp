#include "table_output.hpp"

#include "enlace/core/vocabulary.hpp"

#include <array>
#include <cstdio>
#include <string_view>

namespace enlace::cli {
namespace {

/// The table's own words in es, en and fr; other languages get English.
struct Words {
    std::string_view none, approximate, status, verified, illustrative, available_here, more, id;
    std::array<std::string_view, 5> contact_kinds; // in core::ContactKind order
    std::array<std::string_view, 4> statuses;      // in core::ServiceStatus order
};
constexpr std::array<std::pair<std::string_view, Words>, 3> catalogue{{
    {"es",
     {"Ningún servicio coincide.",
      "ubicación aproximada",
      "estado",
      "verificado el",
      "registro ilustrativo: no es un servicio real",
      "También disponible aquí (sin sede: teléfono, línea de ayuda o móvil):",
      "Más resultados: añada --cursor",
      "id",
      {"teléfono", "correo", "web", "línea de ayuda", "WhatsApp"},
      {"activo", "cerrado temporalmente", "inactivo", "ya no existe"}}},
    {"en",
     {"No services match.",
      "approximate location",
      "status",
      "last verified",
      "illustrative record: not a real listing",
      "Also available here (no site: phone, hotline or mobile):",
      "More results: add --cursor",
      "id",
      {"phone", "e-mail", "web", "hotline", "WhatsApp"},
      {"active", "temporarily closed", "inactive", "defunct"}}},
    {"fr",
     {"Aucun service ne correspond.",
      "emplacement approximatif",
      "statut",
      "vérifié le",
      "fiche illustrative : ce n'est pas un vrai service",
      "Aussi disponible ici (sans site : téléphone, ligne d'écoute ou mobile) :",
      "Plus de résultats : ajoutez --cursor",
      "id",
      {"téléphone", "courriel", "web", "ligne d'écoute", "WhatsApp"},
      {"actif", "fermé temporairement", "inactif", "n'existe plus"}}},
}};

const Words& words_for(const std::string& language) {
    const std::string_view primary = std::string_view(language).substr(0, language.find('-'));
    for (const auto& [code, words] : catalogue)
        if (code == primary) return words;
    return catalogue[1].second;
}

std::string text_of(const core::LocalizedText& text, const std::string& language) {
    auto resolved = core::resolve(text, language);
    return resolved ? resolved->text : std::string();
}

std::string kilometres(double metres) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, metres < 10000 ? "%.1f km" : "%.0f km", metres / 1000.0);
    return buffer;
}

void print_service(std::ostream& out, const core::ServiceView& view, const core::ReferenceData& ref,
                   const std::string& language, const std::string& lead) {
    const core::ServiceFields& s = view.fields();
    const auto site = view.site();
    const Words& w = words_for(language);
    out << lead << text_of(s.name, language) << "  [" << s.country << ", " << w.id << " " << s.id << "]\n";
    std::string types;
    for (const auto& code : s.types) {
        const auto* term = ref.term(code);
        types += (types.empty() ? "" : "; ") + (term ? text_of(term->labels, language) : code);
    }
    out << "      " << types << '\n';
    const bool approximate = site && site->precision != core::LocationPrecision::exact;
    if (!s.address.locality.empty()) out << "      " << s.address.locality;
    if (approximate) out << (s.address.locality.empty() ? "      " : " ") << "(" << w.approximate << ")";
    if (!s.address.locality.empty() || approximate) out << '\n';
    for (const auto& c : s.contacts)
        out << "      " << w.contact_kinds[static_cast<std::size_t>(c.kind)] << ": " << c.value << '\n';
    if (s.status != core::ServiceStatus::active)
        out << "      " << w.status << ": " << w.statuses[static_cast<std::size_t>(s.status)] << '\n';
    if (!s.last_verified.empty()) out << "      " << w.verified << " " << s.last_verified << '\n';
    if (s.illustrative) out << "      " << w.illustrative << '\n';
}

} // namespace

void print_table(std::ostream& out, const core::ServicePage& page, const core::ReferenceData& ref,
                 const std::string& language) {
    const Words& w = words_for(language);
    if (page.items.empty()) out << w.none << '\n';
    for (const auto& hit : page.items)
        print_service(out, hit.service, ref, language, hit.distance_m ? kilometres(*hit.distance_m) + "  " : "- ");
    if (!page.available_here.empty()) {
        out << '\n' << w.available_here << '\n';
        for (const auto& s : page.available_here)
            print_service(out, s, ref, language, "- ");
    }
    if (!page.next_cursor.empty()) out << '\n' << w.more << ' ' << page.next_cursor << '\n';
}

} // namespace enlace::cli
