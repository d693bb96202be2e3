#include "table_output.hpp"

#include "enlace/core/vocabulary.hpp"

#include <cstdio>

namespace enlace::cli {
namespace {

std::string text_of(const core::LocalizedText& text, const std::string& language) {
    auto resolved = core::resolve(text, language);
    return resolved ? resolved->text : std::string();
}

std::string kilometres(double metres) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, metres < 10000 ? "%.1f km" : "%.0f km", metres / 1000.0);
    return buffer;
}

void print_service(std::ostream& out, const core::Service& s, const core::ReferenceData& ref,
                   const std::string& language, const std::string& lead) {
    out << lead << text_of(s.name, language) << "  [" << s.country << ", id " << s.id << "]\n";
    std::string types;
    for (const auto& code : s.types) {
        const auto* term = ref.term(code);
        types += (types.empty() ? "" : "; ") + (term ? text_of(term->labels, language) : code);
    }
    out << "      " << types << '\n';
    if (!s.address.locality.empty()) out << "      " << s.address.locality;
    if (s.site && s.site->precision != core::LocationPrecision::exact)
        out << (s.address.locality.empty() ? "      " : " ") << "(approximate location: " << core::to_string(s.site->precision) << ")";
    if (!s.address.locality.empty() || (s.site && s.site->precision != core::LocationPrecision::exact)) out << '\n';
    for (const auto& c : s.contacts) out << "      " << core::to_string(c.kind) << ": " << c.value << '\n';
    if (s.status != core::ServiceStatus::active) out << "      status: " << core::to_string(s.status) << '\n';
    if (!s.last_verified.empty()) out << "      last verified " << s.last_verified << '\n';
    if (s.illustrative) out << "      illustrative record: not a real listing\n";
}

} // namespace

void print_table(std::ostream& out, const core::ServicePage& page, const core::ReferenceData& ref,
                 const std::string& language) {
    if (page.items.empty()) out << "No services match.\n";
    for (const auto& hit : page.items)
        print_service(out, *hit.service, ref, language, hit.distance_m ? kilometres(*hit.distance_m) + "  " : "- ");
    if (!page.available_here.empty()) {
        out << "\nAlso available here (no site: phone, hotline or mobile):\n";
        for (const auto& s : page.available_here) print_service(out, *s, ref, language, "- ");
    }
    if (!page.next_cursor.empty()) out << "\nMore results: add --cursor " << page.next_cursor << '\n';
}

} // namespace enlace::cli
