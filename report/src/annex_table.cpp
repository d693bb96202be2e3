// The annex: public services by country x service family, each service counted once per family,
// with the empty cells (gaps) marked.
#include "html_parts.hpp"
#include "report_words.hpp"

#include <set>

namespace enlace::report::detail {

Coverage coverage_of(const Report::Data& data) {
    Coverage coverage;
    for (const auto& section : data.countries) {
        auto& row = coverage.cells[section.country];
        for (const auto& family : data.families())
            row[family] = 0;
        for (auto index : section.services) {
            std::set<std::string> families;
            for (const auto& type : data.services[index].types)
                families.insert(data.family_of(type));
            for (const auto& family : families)
                ++row[family];
        }
        coverage.totals[section.country] = static_cast<std::int64_t>(section.services.size());
    }
    return coverage;
}

std::string annex_table(const Report::Data& data, const Coverage& coverage) {
    const auto& lang = data.options.language;
    const auto& w = words_for(lang);
    const auto families = data.families();
    std::string html = "<table class=\"annex\"><thead><tr><th scope=\"col\">" + escape(w.actor_countries) + "</th>";
    for (const auto& family : families)
        html += "<th scope=\"col\">" + escape(term_label(data.reference, family, lang)) + "</th>";
    html += "<th scope=\"col\">" + escape(w.total) + "</th></tr></thead><tbody>";
    std::map<std::string, std::int64_t> column_totals;
    std::int64_t all = 0;
    for (const auto& section : data.countries) {
        html += "<tr><th scope=\"row\">" + escape(country_name(data.reference, section.country, lang)) + "</th>";
        const auto& row = coverage.cells.at(section.country);
        for (const auto& family : families) {
            const auto n = row.at(family);
            column_totals[family] += n;
            html += n == 0 ? "<td class=\"gap\">" + escape(w.gap_mark) + "</td>"
                           : "<td>" + escape(format_count(n, lang)) + "</td>";
        }
        const auto total = coverage.totals.at(section.country);
        all += total;
        html += "<td class=\"total\">" + escape(format_count(total, lang)) + "</td></tr>";
    }
    html += "</tbody><tfoot><tr><th scope=\"row\">" + escape(w.total) + "</th>";
    for (const auto& family : families)
        html += "<td>" + escape(format_count(column_totals[family], lang)) + "</td>";
    html += "<td class=\"total\">" + escape(format_count(all, lang)) + "</td></tr></tfoot></table>";
    return html + "<p class=\"note\">" + escape(w.annex_note) + "</p>";
}

} // namespace enlace::report::detail
