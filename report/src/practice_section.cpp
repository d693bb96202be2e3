// One good practice with every field of the RCM template, its actors and its public linked
// services; and the line that refers to it where it appears again.
#include "html_parts.hpp"
#include "report_words.hpp"

#include "enlace/core/vocabulary.hpp"

namespace enlace::report::detail {
namespace {

struct Entry {
    const Report::Data& data;
    const std::string& lang;
    const Words& w;
    std::string html;

    std::string missing() const { return "<span class=\"missing\">" + escape(w.not_stated) + "</span>"; }

    /// One field of the template: its label and its value (already HTML), "not stated" when empty.
    void field(std::string_view label, const std::string& value_html) {
        html += "<dt>" + escape(label) + "</dt><dd>" + (value_html.empty() ? missing() : value_html) + "</dd>";
    }

    std::string list(const std::vector<std::string>& items) const {
        std::string out;
        for (const auto& item : items)
            out += (out.empty() ? "" : ", ") + escape(item);
        return out;
    }

    /// A narrative text in the report's language, saying which language it is in when it had to
    /// fall back.
    std::string narrative(const core::Practice& p, const std::string& key) const {
        const auto found = p.narrative.find(key);
        if (found == p.narrative.end()) return {};
        const auto text = text_in(found->second, lang);
        if (text.text.empty()) return {};
        std::string out = "<p lang=\"" + escape(text.language) + "\">" + escape(text.text) + "</p>";
        if (text.language.substr(0, 2) != lang)
            out += "<p class=\"fallback\">(" + escape(fill(w.fallback_from, {language_name(text.language, lang)})) +
                   ")</p>";
        return out;
    }

    std::string yes_no(const std::optional<bool>& value) const {
        return value ? escape(*value ? w.yes : w.no) : std::string();
    }

    std::string actor_name(std::int64_t id) const {
        const auto found = data.actors.find(id);
        if (found == data.actors.end()) return {};
        const auto& a = found->second;
        std::string out = escape(text_in(a.name, lang).text);
        if (!a.acronym.empty()) out += " (" + escape(a.acronym) + ")";
        if (!a.actor_type.empty())
            out += " <span class=\"kind\">" + escape(actor_type_label(data.reference, a.actor_type, lang)) + "</span>";
        if (a.illustrative) out += " <span class=\"illus\">" + escape(w.illustrative_mark) + "</span>";
        return out;
    }

    std::string period(const core::Practice& p) const {
        if (!p.year_start && !p.year_end) return {};
        if (!p.year_start) return std::to_string(*p.year_end);
        if (!p.year_end) return escape(fill(w.since, {std::to_string(*p.year_start)})) + " (" + escape(w.ongoing) + ")";
        if (*p.year_end == *p.year_start) return std::to_string(*p.year_start);
        return std::to_string(*p.year_start) + "–" + std::to_string(*p.year_end);
    }
};

} // namespace

std::string practice_entry(const Report::Data& data, std::size_t index) {
    const auto& p = data.practices[index];
    const auto& lang = data.options.language;
    Entry e{data, lang, words_for(lang), {}};
    const auto& w = e.w;
    const auto title = text_in(p.title, lang);
    e.html = "<article class=\"practice\"><h4 id=\"" + data.practice_anchors[index] + "\" lang=\"" +
             escape(title.language) + "\">" + escape(title.text) +
             (p.illustrative ? " <span class=\"illus\">" + escape(w.illustrative_mark) + "</span>" : "") + "</h4><dl>";

    std::vector<std::string> names;
    for (const auto& c : p.countries)
        names.push_back(country_name(data.reference, c, lang));
    e.field(w.f_countries, e.list(names));
    std::string scope = p.scope.empty() ? std::string() : escape(scope_label(p.scope, lang));
    if (!p.admin_codes.empty()) scope += (scope.empty() ? "" : ": ") + e.list(p.admin_codes);
    e.field(w.f_scope, scope);

    std::string actors;
    for (auto id : p.actor_ids)
        if (auto name = e.actor_name(id); !name.empty()) actors += "<li>" + name + "</li>";
    e.field(w.f_actors, actors.empty() ? "" : "<ul>" + actors + "</ul>");
    std::string partners;
    for (const auto& partner : p.partners) {
        std::string name = partner.actor_id ? e.actor_name(*partner.actor_id) : std::string();
        if (name.empty()) name = escape(partner.name);
        const auto role = text_in(partner.role, lang).text;
        if (!name.empty()) partners += "<li>" + name + (role.empty() ? "" : ": " + escape(role)) + "</li>";
    }
    e.field(w.f_partners, partners.empty() ? "" : "<ul>" + partners + "</ul>");
    e.field(w.f_period, e.period(p));

    std::string axes;
    for (int axis : p.axes)
        axes += "<li>" + escape(fill(w.axis, {std::to_string(axis)})) + ". " +
                escape(axis_label(data.reference, axis, lang)) + "</li>";
    e.field(w.f_axes, axes.empty() ? "" : "<ul>" + axes + "</ul>");
    std::vector<std::string> types;
    for (const auto& t : p.service_types)
        types.push_back(term_label(data.reference, t, lang));
    e.field(w.f_types, e.list(types));
    std::vector<std::string> gcm;
    for (int o : p.gcm_objectives)
        gcm.push_back(std::to_string(o));
    e.field(w.f_gcm, e.list(gcm));
    std::vector<std::string> populations;
    for (const auto& code : p.target_population)
        populations.push_back(population_label(data.reference, code, lang));
    e.field(w.f_population, e.list(populations));

    e.field(w.f_problem, e.narrative(p, "problem"));
    e.field(w.f_description, e.narrative(p, "description"));
    e.field(w.f_resources, e.narrative(p, "resources"));
    e.field(w.f_results, e.narrative(p, "results"));
    std::string evidence = p.evidence_level.empty() ? std::string() : escape(evidence_label(p.evidence_level, lang));
    for (const auto& link : p.evidence_links)
        evidence += (evidence.empty() ? "" : "<br>") + link_or_text(link, link);
    e.field(w.f_evidence, evidence);
    e.field(w.f_lessons, e.narrative(p, "lessons"));
    e.field(w.f_replicability, e.narrative(p, "replicability"));
    e.field(w.f_sustainability, e.narrative(p, "sustainability"));
    e.field(w.f_institutionalised, e.yes_no(p.institutionalised));
    e.field(w.f_budget, e.yes_no(p.budget_line));
    std::vector<std::string> principles;
    for (const auto& code : p.principles)
        principles.push_back(principle_label(code, lang));
    e.field(w.f_principles, e.list(principles));
    e.field(w.f_contact, escape(p.contact_email));

    std::string sources;
    for (const auto& s : p.sources) {
        std::string item = s.url.empty() ? escape(s.title) : link_or_text(s.url, s.title.empty() ? s.url : s.title);
        if (!s.accessed.empty()) item += " (" + escape(fill(w.accessed, {format_date(s.accessed, lang)})) + ")";
        sources += "<li>" + item + "</li>";
    }
    e.field(w.f_sources, sources.empty() ? "" : "<ul>" + sources + "</ul>");
    std::string validation = escape(w.st_published);
    if (!p.submitted_by.empty()) validation += "; " + escape(fill(w.submitted_by, {p.submitted_by}));
    if (!p.reviewed_by.empty()) validation += "; " + escape(fill(w.reviewed_by, {p.reviewed_by}));
    if (!p.reviewed_on.empty()) validation += " " + escape(fill(w.reviewed_on, {format_date(p.reviewed_on, lang)}));
    e.field(w.f_validation, validation);
    e.field(w.f_language, p.original_language.empty() ? "" : escape(language_name(p.original_language, lang)));
    e.field(w.f_licence, escape(p.licence));

    std::string services;
    for (auto id : p.service_ids) {
        const auto found = data.linked.find(id);
        if (found == data.linked.end()) continue; // not public: never named
        const auto& s = found->second;
        std::vector<std::string> labels;
        for (const auto& t : s.types)
            labels.push_back(term_label(data.reference, t, lang));
        services += "<li>" + escape(text_in(s.name, lang).text) + " <span class=\"kind\">" +
                    escape(country_name(data.reference, s.country, lang)) +
                    (s.locality.empty() ? "" : ", " + escape(s.locality)) + "; " + e.list(labels) + "</span>" +
                    (s.illustrative ? " <span class=\"illus\">" + escape(w.illustrative_mark) + "</span>" : "") +
                    "</li>";
    }
    e.field(w.f_services, services.empty() ? "" : "<ul>" + services + "</ul>");
    return e.html + "</dl></article>";
}

std::string practice_reference(const Report::Data& data, std::size_t index, Form form) {
    const auto& lang = data.options.language;
    const auto& w = words_for(lang);
    const auto& anchor = data.practice_anchors[index];
    const auto title = escape(text_in(data.practices[index].title, lang).text);
    // In print the page number is the link, and the title stays text (as in the contents).
    if (form == Form::print)
        return "<p class=\"see\">" + title + ". " + escape(w.see_entry) + " " + escape(w.on_page) + " " +
               page_number_box(anchor) + "</p>";
    return "<p class=\"see\"><a href=\"#" + anchor + "\">" + title + "</a>. " + escape(w.see_entry) + ".</p>";
}

} // namespace enlace::report::detail
