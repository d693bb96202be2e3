// The coverage chart: service families (rows) x countries (columns), a circle whose area is the
// number of services, a dash where there is none (a gap).
#include "html_parts.hpp"
#include "report_words.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace enlace::report::detail {
namespace {

constexpr double label_width = 250, column_width = 44, row_height = 34, header_height = 30, max_radius = 13;

std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
}

} // namespace

std::string coverage_chart(const Report::Data& data, const Coverage& coverage) {
    const auto& lang = data.options.language;
    const auto& w = words_for(lang);
    const auto families = data.families();
    std::int64_t most = 1;
    for (const auto& [country, row] : coverage.cells)
        for (const auto& [family, n] : row)
            most = std::max(most, n);

    const double width = label_width + column_width * static_cast<double>(data.countries.size());
    const double height = header_height + row_height * static_cast<double>(families.size());
    std::string svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + number(width) + " " +
                      number(height) + "\" role=\"img\" aria-label=\"" + escape(w.chart_title) + "\">";
    for (std::size_t c = 0; c < data.countries.size(); ++c) {
        const double cx = label_width + column_width * (static_cast<double>(c) + 0.5);
        svg += "<text class=\"col\" x=\"" + number(cx) + "\" y=\"18\">" + escape(data.countries[c].country) + "</text>";
    }
    for (std::size_t f = 0; f < families.size(); ++f) {
        const double y = header_height + row_height * static_cast<double>(f);
        if (f % 2 == 0)
            svg += "<rect class=\"band\" x=\"0\" y=\"" + number(y) + "\" width=\"" + number(width) + "\" height=\"" +
                   number(row_height) + "\"/>";
        svg += "<text class=\"row\" x=\"4\" y=\"" + number(y + row_height / 2 + 4) + "\">" +
               escape(term_label(data.reference, families[f], lang)) + "</text>";
        for (std::size_t c = 0; c < data.countries.size(); ++c) {
            const auto n = coverage.cells.at(data.countries[c].country).at(families[f]);
            const double cx = label_width + column_width * (static_cast<double>(c) + 0.5);
            const double cy = y + row_height / 2;
            if (n == 0) {
                svg += "<text class=\"gap\" x=\"" + number(cx) + "\" y=\"" + number(cy + 4) + "\">" +
                       escape(w.gap_mark) + "</text>";
                continue;
            }
            const double r = std::max(2.0, max_radius * std::sqrt(static_cast<double>(n) / static_cast<double>(most)));
            svg += "<circle class=\"cov\" cx=\"" + number(cx) + "\" cy=\"" + number(cy) + "\" r=\"" + number(r) +
                   "\"><title>" + escape(format_count(n, lang)) + "</title></circle>";
            svg += "<text class=\"count\" x=\"" + number(cx) + "\" y=\"" + number(cy + 3) + "\">" +
                   escape(format_count(n, lang)) + "</text>";
        }
    }
    svg += "</svg>";
    return "<figure class=\"chart-figure\">" + svg + "<figcaption>" + escape(w.chart_title) + ". " +
           escape(w.chart_note) + "</figcaption></figure>";
}

} // namespace enlace::report::detail
