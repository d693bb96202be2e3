#pragma once
// The report's own words in es, en and fr, and the reference labels (taxonomy, countries, axes,
// populations, actor types) in the report's language, as the web page and `--lang` tables take
// them from the reference data.
#include "enlace/core/model.hpp"
#include "enlace/core/reference.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::report {

struct Words {
    std::string_view title, subtitle, prepared_for, generated, contents, introduction;
    std::string_view intro_scope, intro_axes, intro_counts, intro_period, intro_public, intro_illustrative,
        intro_grouping;
    std::string_view country_chapter, axis, no_axis, see_entry, on_page, page, practices_none;
    std::string_view f_countries, f_scope, f_actors, f_partners, f_period, f_axes, f_types, f_gcm, f_population,
        f_problem, f_description, f_resources, f_results, f_evidence, f_lessons, f_replicability, f_sustainability,
        f_institutionalised, f_budget, f_principles, f_contact, f_sources, f_validation, f_language, f_licence,
        f_services;
    std::string_view not_stated, yes, no, ongoing, since, submitted_by, reviewed_by, reviewed_on, accessed,
        illustrative_mark, fallback_from;
    std::string_view actors_index, actor_type, actor_countries, actor_practices;
    std::string_view annex, annex_note, family, total, gap_mark;
    std::string_view plan_title, plan_intro, plan_illustrative, plan_action, plan_confirmed, plan_proposed,
        plan_missing, plan_counts;
    std::string_view map_title, map_exact, map_approximate, map_unsited, map_none, chart_title, chart_note;
    std::string_view scope_national, scope_admin1, scope_admin2, scope_cross_border, scope_regional;
    std::string_view ev_anecdotal, ev_monitoring, ev_external;
    std::string_view pr_best_interests, pr_non_detention, pr_family_unity, pr_participation;
    std::string_view st_published;
};

bool is_report_language(const std::string& language);
const Words& words_for(const std::string& language);

/// A text in the report's language (then es, en, any); empty when there is none.
core::ResolvedText text_in(const core::LocalizedText& text, const std::string& language);

std::string country_name(const core::ReferenceData& reference, const std::string& alpha2, const std::string& language);
std::string term_label(const core::ReferenceData& reference, const std::string& code, const std::string& language);
std::string axis_label(const core::ReferenceData& reference, int axis, const std::string& language);
std::string population_label(const core::ReferenceData& reference, const std::string& code,
                             const std::string& language);
std::string actor_type_label(const core::ReferenceData& reference, const std::string& code,
                             const std::string& language);
/// The words of a practice's scope, evidence level and principle codes (the code when unknown).
std::string scope_label(const std::string& code, const std::string& language);
std::string evidence_label(const std::string& code, const std::string& language);
std::string principle_label(const std::string& code, const std::string& language);
/// The name of a language tag in the report's language ("es" -> "español").
std::string language_name(const std::string& tag, const std::string& language);

/// A count as the language writes it: 12 345 (es, thin space; four digits stay together),
/// 12 345 (fr, narrow no-break space), 12,345 (en).
std::string format_count(std::int64_t n, const std::string& language);
/// A YYYY-MM-DD date in words: "2 de diciembre de 2026", "December 2, 2026", "2 décembre 2026".
std::string format_date(const std::string& iso_date, const std::string& language);
/// A list in words: "Guatemala y El Salvador", "A, B and C", "A, B et C".
std::string joined(const std::vector<std::string>& items, const std::string& language);
/// Text in the language's quotation marks: «...» (es), « ... » (fr), “...” (en).
std::string quoted(const std::string& text, const std::string& language);
/// "{1}"-style placeholders filled in order.
std::string fill(std::string_view pattern, const std::vector<std::string>& values);

} // namespace enlace::report
