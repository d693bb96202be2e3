#pragma once
// Writing each section's page number into the printed PDF. Chromium does not compute
// target-counter(), and a second print to carry the numbers would double the time, so the print
// form leaves a box wherever a number goes (html_parts.hpp, page_number_box): a link to the
// section, which chromium writes as a link annotation with the box's rectangle, to a named
// destination on the section's page. The number is drawn into that rectangle afterwards.
#include <set>
#include <string>

namespace enlace::report::detail {

/// The PDF `pdf` with the page of its destination written into every link to one of `sections`
/// (right-aligned in the link's box, as large as the box's digits would be). Throws
/// std::runtime_error when the PDF cannot be read or extended, or a section has no destination
/// or no link (the print lacks it).
std::string write_page_numbers(const std::string& pdf, const std::set<std::string>& sections);

} // namespace enlace::report::detail
