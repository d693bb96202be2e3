#include "search_text.hpp"

namespace enlace::core::detail {
namespace {

std::string joined(const LocalizedText& text) {
    std::string out;
    for (const auto& [language, value] : text)
        out += value + "\n";
    return out;
}

} // namespace

std::array<std::string, 3> search_text(const Service& s) {
    return {joined(s.name), joined(s.description),
            s.address.locality + "\n" + s.address.admin1_name + "\n" + s.address.admin2_name};
}

std::array<std::string, 2> search_text(const Actor& a) { return {joined(a.name) + a.acronym, joined(a.description)}; }

std::array<std::string, 2> search_text(const Practice& p) {
    std::string body;
    for (const auto& [field, text] : p.narrative)
        body += joined(text);
    return {joined(p.title), body};
}

} // namespace enlace::core::detail
