// The Strategic Plan's table in the compiled report: what the network confirmed, by action, and
// where the column is still open. Only confirmed entities are named (the report is the public
// view); a proposal shows as its country's name, without its entities.
#include "html_parts.hpp"
#include "report_words.hpp"

#include <map>

namespace enlace::report::detail {
namespace {

std::string country_list(const Report::Data& data, const std::vector<std::string>& countries) {
    if (countries.empty()) return escape(words_for(data.options.language).gap_mark);
    std::vector<std::string> names;
    for (const auto& c : countries)
        names.push_back(country_name(data.reference, c, data.options.language));
    return escape(joined(names, data.options.language));
}

} // namespace

std::string plan_section(const Report::Data& data) {
    const auto& lang = data.options.language;
    const auto& w = words_for(lang);
    std::map<std::pair<std::string, std::string>, const core::PlanEntry*> cells;
    for (const auto& cell : data.plan_cells)
        cells[{cell.action, cell.country}] = &cell;
    std::string html = "<section class=\"plan\"><h2 id=\"plan\">" + escape(fill(w.plan_title, {data.plan->period})) +
                       "</h2><p>" + escape(w.plan_intro) + "</p>";
    if (data.plan->illustrative) html += "<p class=\"notice\">" + escape(w.plan_illustrative) + "</p>";
    html += "<table class=\"plan-table\"><thead><tr><th scope=\"col\">" + escape(w.plan_action) +
            "</th><th scope=\"col\">" + escape(w.plan_confirmed) + "</th><th scope=\"col\">" + escape(w.plan_proposed) +
            "</th><th scope=\"col\">" + escape(w.plan_missing) + "</th></tr></thead><tbody>";
    std::int64_t confirmed = 0, missing = 0;
    for (const auto& axis : data.plan->axes) {
        html += "<tr class=\"plan-axis\"><th scope=\"rowgroup\" colspan=\"4\">" + escape(axis.code) + ". " +
                escape(text_in(axis.text, lang).text) + "</th></tr>";
        for (const auto& objective : axis.objectives)
            for (const auto& action : objective.actions) {
                std::string entities;
                std::vector<std::string> proposed, none;
                for (const auto& country : data.options.countries) {
                    const auto found = cells.find({action.code, country});
                    const core::PlanEntry* cell = found == cells.end() ? nullptr : found->second;
                    if (cell && cell->status == core::PlanStatus::confirmed) {
                        ++confirmed;
                        std::vector<std::string> names;
                        for (const auto& name : cell->actor_names)
                            if (!name.empty()) names.push_back(name);
                        entities += "<p><strong>" + escape(country_name(data.reference, country, lang)) +
                                    "</strong>: " + escape(joined(names, lang)) + "</p>";
                    } else if (cell && cell->status == core::PlanStatus::proposed) {
                        proposed.push_back(country);
                    } else {
                        ++missing;
                        none.push_back(country);
                    }
                }
                html += "<tr><th scope=\"row\">" + escape(action.code) + " " + escape(text_in(action.text, lang).text) +
                        "</th><td>" + (entities.empty() ? escape(w.gap_mark) : entities) + "</td><td>" +
                        country_list(data, proposed) + "</td><td class=\"gap\">" + country_list(data, none) +
                        "</td></tr>";
            }
    }
    const auto cells_total = static_cast<std::int64_t>(data.plan->actions().size() * data.options.countries.size());
    html += "</tbody></table><p class=\"note\">" +
            escape(fill(w.plan_counts, {format_count(confirmed, lang), format_count(cells_total, lang),
                                        format_count(missing, lang)})) +
            "</p>";
    return html + "</section>";
}

} // namespace enlace::report::detail
