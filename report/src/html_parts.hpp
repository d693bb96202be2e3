#pragma once
// The pieces the report's HTML is assembled from (document.cpp puts them together).
#include "report_data.hpp"

#include <map>
#include <string>
#include <string_view>

namespace enlace::report::detail {

/// Text as HTML (element content and quoted attribute values): & < > " ' escaped. Every stored
/// text goes through it.
std::string escape(std::string_view text);
/// An external link for a stored URL: only http(s) URLs become links, anything else stays text.
std::string link_or_text(const std::string& url, const std::string& text);

/// In the print form, the box a section's page number is written into once the PDF is printed
/// (page_numbers.hpp): a link to the section, of fixed size, holding hidden digits as wide as
/// the widest number so that it lays out as the filled box would.
std::string page_number_box(const std::string& anchor);

/// The document's style sheet for a paper size, and its CSP hash source ('sha256-...').
std::string style_sheet(Paper paper);
std::string style_hash(const std::string& css);

/// A practice's whole entry (every template field), and the line that refers to it elsewhere.
std::string practice_entry(const Report::Data& data, std::size_t practice);
std::string practice_reference(const Report::Data& data, std::size_t practice, Form form);

/// Services per country and family (each service once per family) and per country in all.
struct Coverage {
    std::map<std::string, std::map<std::string, std::int64_t>> cells; // country -> family -> services
    std::map<std::string, std::int64_t> totals;                       // country -> services
};
Coverage coverage_of(const Report::Data& data);

/// The annex table: countries x service families, gaps marked.
std::string annex_table(const Report::Data& data, const Coverage& coverage);
/// The Strategic Plan's responsible column as published (plan_table.cpp): by axis, each action
/// with the confirmed entities by country, the countries whose proposal waits and those with none.
std::string plan_section(const Report::Data& data);
/// The coverage chart (service families x countries) as inline SVG.
std::string coverage_chart(const Report::Data& data, const Coverage& coverage);
/// A country's map as inline SVG: its outline (and neighbouring members'), its public services at
/// their public points. The svg element carries its projection (data-west, data-north,
/// data-scale, data-coslat): x = (lon - west) * scale * coslat, y = (north - lat) * scale.
std::string country_map(const Report::Data& data, const CountrySection& section);

} // namespace enlace::report::detail
