// The document skeleton: cover, table of contents, introduction, one chapter per country (its
// map, then its practices by RCM axis), the index of actors and the annex.
#include "html_parts.hpp"
#include "report_words.hpp"

#include <algorithm>

namespace enlace::report {
namespace detail {

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string link_or_text(const std::string& url, const std::string& text) {
    if (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0)
        return "<a href=\"" + escape(url) + "\">" + escape(text) + "</a>";
    return escape(text);
}

std::string page_number_box(const std::string& anchor) {
    return "<a class=\"pn\" href=\"#" + anchor + "\"><span>888</span></a>";
}

} // namespace detail

namespace {

using detail::escape;

struct Document {
    const Report::Data& data;
    Form form;
    const std::string& lang;
    const Words& w;

    std::vector<std::string> country_names() const {
        std::vector<std::string> out;
        for (const auto& c : data.countries)
            out.push_back(country_name(data.reference, c.country, lang));
        return out;
    }

    std::string country_heading(std::size_t i) const {
        return std::to_string(i + 1) + ". " + country_name(data.reference, data.countries[i].country, lang);
    }
    std::string axis_heading(std::size_t i, std::size_t j) const {
        const int axis = data.countries[i].axes[j].axis;
        return std::to_string(i + 1) + "." + std::to_string(j + 1) + " " +
               (axis == 0 ? std::string(w.no_axis)
                          : fill(w.axis, {std::to_string(axis)}) + ". " + axis_label(data.reference, axis, lang));
    }

    std::string cover() const {
        std::string html = "<section class=\"cover\"><h1>" + escape(w.title) + "</h1><p class=\"subtitle\">" +
                           escape(w.subtitle) + "</p><p class=\"countries\">" + escape(joined(country_names(), lang)) +
                           "</p><p>" + escape(w.prepared_for) + "</p><p class=\"note\">" +
                           escape(fill(w.generated, {format_date(data.generated_on, lang)})) + "</p>";
        if (data.illustrative) html += "<p class=\"notice\">" + escape(w.intro_illustrative) + "</p>";
        return html + "</section>";
    }

    // On screen the title is the link; in print the page number is (page_numbers.hpp numbers the
    // links to sections, so a title there stays text).
    std::string toc_line(const std::string& level, const std::string& anchor, const std::string& text) const {
        if (form == Form::screen)
            return "<li class=\"" + level + "\"><a class=\"t\" href=\"#" + anchor + "\">" + escape(text) + "</a></li>";
        return "<li class=\"" + level + "\"><span class=\"t\">" + escape(text) + "</span>" +
               detail::page_number_box(anchor) + "</li>";
    }

    std::string toc() const {
        std::string html = "<nav class=\"toc\"><h2>" + escape(w.contents) + "</h2><ol>";
        html += toc_line("l1", "intro", std::string(w.introduction));
        for (std::size_t i = 0; i < data.countries.size(); ++i) {
            const auto& c = data.countries[i];
            html += toc_line("l1", c.anchor, country_heading(i));
            for (std::size_t j = 0; j < c.axes.size(); ++j) {
                html += toc_line("l2", c.axes[j].anchor, axis_heading(i, j));
                for (const auto& placement : c.axes[j].placements)
                    if (placement.full)
                        html += toc_line("l3", data.practice_anchors[placement.practice],
                                         text_in(data.practices[placement.practice].title, lang).text);
            }
        }
        html += toc_line("l1", "actors", std::string(w.actors_index));
        if (data.plan) html += toc_line("l1", "plan", fill(w.plan_title, {data.plan->period}));
        html += toc_line("l1", "annex", std::string(w.annex));
        return html + "</ol></nav>";
    }

    std::string intro() const {
        std::string axes;
        if (!data.options.axes.empty()) {
            std::vector<std::string> numbers;
            for (int axis : data.options.axes)
                numbers.push_back(std::to_string(axis));
            axes = fill(w.intro_axes, {joined(numbers, lang)});
        }
        std::string html =
            "<section class=\"intro\"><h2 id=\"intro\">" + escape(w.introduction) + "</h2><p>" +
            escape(fill(w.intro_scope, {joined(country_names(), lang), axes})) + "</p><p>" +
            escape(fill(w.intro_counts, {format_count(static_cast<std::int64_t>(data.practices.size()), lang),
                                         format_count(static_cast<std::int64_t>(data.actors.size()), lang),
                                         format_count(static_cast<std::int64_t>(data.services.size()), lang)})) +
            "</p>";
        if (data.first_year) {
            const std::string period =
                data.ongoing ? fill(w.since, {std::to_string(*data.first_year)}) + " (" + std::string(w.ongoing) + ")"
                : *data.last_year == *data.first_year
                    ? std::to_string(*data.first_year)
                    : std::to_string(*data.first_year) + "–" + std::to_string(*data.last_year);
            html += "<p>" + escape(fill(w.intro_period, {period})) + "</p>";
        }
        html += "<p>" + escape(w.intro_grouping) + "</p><p>" + escape(w.intro_public) + "</p>";
        if (data.illustrative) html += "<p class=\"notice\">" + escape(w.intro_illustrative) + "</p>";
        return html + "</section>";
    }

    std::string country(std::size_t i) const {
        const auto& c = data.countries[i];
        std::string html = "<section class=\"country\"><h2 id=\"" + c.anchor + "\">" + escape(country_heading(i)) +
                           "</h2>" + detail::country_map(data, c);
        if (c.axes.empty()) html += "<p class=\"note\">" + escape(w.practices_none) + "</p>";
        for (std::size_t j = 0; j < c.axes.size(); ++j) {
            html +=
                "<section class=\"axis\"><h3 id=\"" + c.axes[j].anchor + "\">" + escape(axis_heading(i, j)) + "</h3>";
            for (const auto& placement : c.axes[j].placements)
                html += placement.full ? detail::practice_entry(data, placement.practice)
                                       : detail::practice_reference(data, placement.practice, form);
            html += "</section>";
        }
        return html + "</section>";
    }

    std::string actors() const {
        std::vector<const core::Actor*> sorted;
        for (const auto& [id, actor] : data.actors)
            sorted.push_back(&actor);
        std::sort(sorted.begin(), sorted.end(), [&](const core::Actor* a, const core::Actor* b) {
            return core::fold(text_in(a->name, lang).text) < core::fold(text_in(b->name, lang).text);
        });
        std::string html = "<section class=\"actors\"><h2 id=\"actors\">" + escape(w.actors_index) +
                           "</h2><table><thead><tr><th scope=\"col\"></th><th scope=\"col\">" + escape(w.actor_type) +
                           "</th><th scope=\"col\">" + escape(w.actor_countries) + "</th><th scope=\"col\">" +
                           escape(w.actor_practices) + "</th></tr></thead><tbody>";
        for (const auto* a : sorted) {
            std::vector<std::string> countries;
            for (const auto& c : a->countries)
                countries.push_back(country_name(data.reference, c, lang));
            std::string refs;
            const bool screen = form == Form::screen;
            for (std::size_t i = 0; i < data.practices.size(); ++i) {
                const auto& p = data.practices[i];
                const bool named = std::find(p.actor_ids.begin(), p.actor_ids.end(), a->id) != p.actor_ids.end() ||
                                   std::any_of(p.partners.begin(), p.partners.end(),
                                               [&](const core::Partner& partner) { return partner.actor_id == a->id; });
                if (!named) continue;
                const auto& anchor = data.practice_anchors[i];
                if (!refs.empty()) refs += screen ? "; " : " ";
                refs += screen ? "<a href=\"#" + anchor + "\">" + escape(text_in(p.title, lang).text) + "</a>"
                               : detail::page_number_box(anchor);
            }
            html += "<tr><td>" + escape(text_in(a->name, lang).text) +
                    (a->acronym.empty() ? "" : " (" + escape(a->acronym) + ")") +
                    (a->illustrative ? " <span class=\"illus\">" + escape(w.illustrative_mark) + "</span>" : "") +
                    "</td><td>" + escape(actor_type_label(data.reference, a->actor_type, lang)) + "</td><td>" +
                    escape(joined(countries, lang)) + "</td><td class=\"pages\">" + refs + "</td></tr>";
        }
        return html + "</tbody></table></section>";
    }

    std::string annex() const {
        const auto coverage = detail::coverage_of(data);
        return "<section class=\"annex-section\"><h2 id=\"annex\">" + escape(w.annex) + "</h2>" +
               detail::coverage_chart(data, coverage) + detail::annex_table(data, coverage) + "</section>";
    }
};

} // namespace

std::string content_security_policy() {
    return "default-src 'none'; style-src " + detail::style_hash(detail::style_sheet(Paper::a4)) + " " +
           detail::style_hash(detail::style_sheet(Paper::letter)) + "; base-uri 'none'; form-action 'none'";
}

std::string Report::html(Form form) const {
    const auto& lang = m_data->options.language;
    const Document doc{*m_data, form, lang, words_for(lang)};
    std::string html = "<!doctype html><html lang=\"" + escape(lang) +
                       "\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"" +
                       escape(content_security_policy()) +
                       "\"><meta name=\"viewport\" content=\"width=device-width\"><title>" + escape(doc.w.title) +
                       " – " + escape(joined(doc.country_names(), lang)) + "</title><style>" +
                       detail::style_sheet(m_data->options.paper) + "</style></head><body>";
    html += doc.cover() + doc.toc() + doc.intro();
    for (std::size_t i = 0; i < m_data->countries.size(); ++i)
        html += doc.country(i);
    html += doc.actors();
    if (m_data->plan) html += detail::plan_section(*m_data);
    html += doc.annex();
    return html + "</body></html>";
}

} // namespace enlace::report
