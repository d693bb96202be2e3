#pragma once
// Opening hours as one line of text, for the `hours` column of flat files (docs/export.md): a
// form a focal point can read and type in a spreadsheet, in the style of OpenStreetMap's
// opening_hours. The IANA zone is not part of it (the `timezone` column carries it).
//
//   24/7
//   Mo-Fr 08:00-12:30,14:00-17:00; Sa 09:00-12:00
//   Mo-Su 22:00-06:00; 2026-12-24/2026-12-26 off "es: Cierre de fin de año" "en: Year-end closure"
#include "enlace/core/model.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace enlace::geo::detail {

/// A text that is not opening hours; what() says where and what was expected.
class HoursTextError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

/// The text of `hours` (without its zone). Rules keep the order of the shifts, so reading the
/// text back gives the same shifts in the same order. When the text would be longer than
/// `max_bytes`, closures lose their notes, and then the closures themselves are left out.
std::string format_hours(const core::OpeningHours& hours, std::size_t max_bytes = std::string::npos);

/// Reads format_hours' text, day names in English, Spanish or French (Mo/lu/lu, ...), or the JSON
/// of the core's hours object (`{"weekly": [...]}`). Closure notes without a language prefix are in
/// `note_language`. The zone is left empty (but for the JSON's own). Throws HoursTextError naming
/// the part it cannot read.
core::OpeningHours parse_hours(std::string_view text, const std::string& note_language);

} // namespace enlace::geo::detail
