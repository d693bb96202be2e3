#include "report_words.hpp"

#include <array>
#include <cstdio>

namespace enlace::report {
namespace {

// "{1}" placeholders are filled by fill(). French keeps a narrow no-break space (U+202F) before
// ; : ! ? and inside « », as its typography wants; Spanish uses « » without spaces.
const Words spanish{
    .title = "Compilación de buenas prácticas",
    .subtitle = "Protección y asistencia de niñas, niños y adolescentes migrantes",
    .prepared_for = "Red de Funcionarios de Enlace para la Protección de Niñas, Niños y Adolescentes Migrantes "
                    "de la Conferencia Regional sobre Migración (CRM), con el apoyo de la OIM",
    .generated = "Generado por Enlace el {1}",
    .contents = "Índice",
    .introduction = "Introducción",
    .intro_scope = "Esta compilación reúne las buenas prácticas publicadas en el registro Enlace para {1}{2}.",
    .intro_axes = ", eje del Plan Estratégico: {1}",
    .intro_counts = "Contiene {1} prácticas, {2} actores que las implementan o apoyan y {3} servicios "
                    "especializados de los países seleccionados.",
    .intro_period = "Las prácticas abarcan el período {1}.",
    .intro_public = "Es la vista pública del registro: los sitios sensibles (albergues, cuidado alternativo, "
                    "servicios de VBG y trata) aparecen solo en su ubicación pública aproximada, y no figuran "
                    "registros restringidos ni contactos personales.",
    .intro_illustrative = "Los registros marcados como ilustrativos provienen del conjunto de demostración: son "
                          "ejemplos, con ubicaciones aproximadas, y no deben usarse para referir a ninguna persona.",
    .intro_grouping = "Las prácticas se agrupan por país y por eje del Plan Estratégico de la Red. Una práctica de "
                      "varios países o ejes se describe una sola vez; en los demás lugares se remite a su ficha.",
    .country_chapter = "País",
    .axis = "Eje {1}",
    .no_axis = "Sin eje del Plan",
    .see_entry = "Véase la ficha completa",
    .on_page = "en la página",
    .page = "pág.",
    .practices_none = "No hay buenas prácticas publicadas para este país con los criterios seleccionados.",
    .f_countries = "Países",
    .f_scope = "Ámbito geográfico",
    .f_actors = "Actores que la implementan",
    .f_partners = "Socios y su papel",
    .f_period = "Período",
    .f_axes = "Ejes de la CRM",
    .f_types = "Tipos de servicio",
    .f_gcm = "Objetivos del Pacto Mundial para la Migración",
    .f_population = "Población destinataria",
    .f_problem = "Problema que aborda",
    .f_description = "Descripción",
    .f_resources = "Recursos",
    .f_results = "Resultados",
    .f_evidence = "Nivel de evidencia",
    .f_lessons = "Lecciones aprendidas",
    .f_replicability = "Replicabilidad",
    .f_sustainability = "Sostenibilidad",
    .f_institutionalised = "Institucionalizada en ley o protocolo",
    .f_budget = "Con partida presupuestaria",
    .f_principles = "Principios de protección aplicados",
    .f_contact = "Contacto institucional",
    .f_sources = "Fuentes",
    .f_validation = "Validación",
    .f_language = "Idioma original",
    .f_licence = "Licencia",
    .f_services = "Servicios vinculados",
    .not_stated = "No consta",
    .yes = "Sí",
    .no = "No",
    .ongoing = "en curso",
    .since = "desde {1}",
    .submitted_by = "presentada por {1}",
    .reviewed_by = "revisada por {1}",
    .reviewed_on = "el {1}",
    .accessed = "consultada el {1}",
    .illustrative_mark = "ilustrativo",
    .fallback_from = "texto en {1}",
    .actors_index = "Índice de actores",
    .actor_type = "Tipo",
    .actor_countries = "Países",
    .actor_practices = "Prácticas (página)",
    .annex = "Anexo: servicios por país y familia de servicio",
    .annex_note = "Número de servicios públicos activos o cerrados temporalmente. Un servicio con tipos de "
                  "varias familias cuenta en cada una. Las casillas marcadas con «—» señalan una brecha: "
                  "ningún servicio registrado.",
    .family = "Familia de servicio",
    .total = "Total",
    .gap_mark = "—",
    .plan_title = "Plan Estratégico {1}: entidades responsables",
    .plan_intro = "Cada País Miembro propone, tras su consulta interna, las entidades responsables de cada acción del "
                  "Plan; la reunión virtual de la CRM las confirma. Esta tabla publica solo las entidades confirmadas.",
    .plan_illustrative = "La estructura del Plan que se muestra es ilustrativa: sus ejes, objetivos y acciones no son "
                         "el texto aprobado.",
    .plan_action = "Acción",
    .plan_confirmed = "Entidades responsables confirmadas",
    .plan_proposed = "Propuesta por confirmar",
    .plan_missing = "Sin entidad propuesta",
    .plan_counts = "{1} de {2} casillas confirmadas; {3} sin entidad propuesta.",
    .map_title = "Servicios en {1}",
    .map_exact = "servicio",
    .map_approximate = "sitio sensible, ubicación aproximada",
    .map_unsited = "{1} servicios sin sede (líneas de ayuda, atención telefónica o móvil) no aparecen en el mapa.",
    .map_none = "No hay servicios públicos con sede registrados.",
    .chart_title = "Cobertura: servicios por familia y país",
    .chart_note = "El área de cada círculo es proporcional al número de servicios; una casilla vacía "
                  "marcada con «—» es una brecha.",
    .scope_national = "nacional",
    .scope_admin1 = "subnacional (primer nivel)",
    .scope_admin2 = "local (segundo nivel)",
    .scope_cross_border = "transfronterizo",
    .scope_regional = "regional",
    .ev_anecdotal = "anecdótica",
    .ev_monitoring = "datos de monitoreo",
    .ev_external = "evaluación externa",
    .pr_best_interests = "interés superior de la niñez",
    .pr_non_detention = "no detención",
    .pr_family_unity = "unidad familiar",
    .pr_participation = "participación",
    .st_published = "publicada",
};

const Words english{
    .title = "Compilation of good practices",
    .subtitle = "Protection of and assistance to migrant children and adolescents",
    .prepared_for = "Network of Liaison Officers for the Protection of Migrant Children and Adolescents of the "
                    "Regional Conference on Migration (RCM), with the support of IOM",
    .generated = "Generated by Enlace on {1}",
    .contents = "Contents",
    .introduction = "Introduction",
    .intro_scope = "This compilation brings together the good practices published in the Enlace registry for "
                   "{1}{2}.",
    .intro_axes = ", Strategic Plan axis: {1}",
    .intro_counts = "It holds {1} practices, {2} actors that implement or support them, and {3} specialised "
                    "services of the selected countries.",
    .intro_period = "The practices span the period {1}.",
    .intro_public = "It is the registry's public view: sensitive sites (shelters, alternative care, GBV and "
                    "trafficking services) appear only at their approximate public location, and no restricted "
                    "record or personal contact is included.",
    .intro_illustrative = "Records marked as illustrative come from the demo dataset: they are examples, with "
                          "approximate locations, and must not be used to refer anyone.",
    .intro_grouping = "Practices are grouped by country and by axis of the Network's Strategic Plan. A practice "
                      "of several countries or axes is described once; elsewhere the report refers to its entry.",
    .country_chapter = "Country",
    .axis = "Axis {1}",
    .no_axis = "No Plan axis",
    .see_entry = "See the full entry",
    .on_page = "on page",
    .page = "p.",
    .practices_none = "No good practices are published for this country with the selected criteria.",
    .f_countries = "Countries",
    .f_scope = "Geographic scope",
    .f_actors = "Implementing actors",
    .f_partners = "Partners and their role",
    .f_period = "Period",
    .f_axes = "RCM axes",
    .f_types = "Service types",
    .f_gcm = "Global Compact for Migration objectives",
    .f_population = "Target population",
    .f_problem = "Problem addressed",
    .f_description = "Description",
    .f_resources = "Resources",
    .f_results = "Results",
    .f_evidence = "Evidence level",
    .f_lessons = "Lessons learned",
    .f_replicability = "Replicability",
    .f_sustainability = "Sustainability",
    .f_institutionalised = "Institutionalised in law or protocol",
    .f_budget = "Has a budget line",
    .f_principles = "Protection principles applied",
    .f_contact = "Institutional contact",
    .f_sources = "Sources",
    .f_validation = "Validation",
    .f_language = "Original language",
    .f_licence = "Licence",
    .f_services = "Linked services",
    .not_stated = "Not stated",
    .yes = "Yes",
    .no = "No",
    .ongoing = "ongoing",
    .since = "since {1}",
    .submitted_by = "submitted by {1}",
    .reviewed_by = "reviewed by {1}",
    .reviewed_on = "on {1}",
    .accessed = "accessed {1}",
    .illustrative_mark = "illustrative",
    .fallback_from = "text in {1}",
    .actors_index = "Index of actors",
    .actor_type = "Type",
    .actor_countries = "Countries",
    .actor_practices = "Practices (page)",
    .annex = "Annex: services by country and service family",
    .annex_note = "Number of public services that are active or temporarily closed. A service with types of "
                  "several families counts in each. Cells marked “—” are gaps: no service registered.",
    .family = "Service family",
    .total = "Total",
    .gap_mark = "—",
    .plan_title = "Strategic Plan {1}: responsible entities",
    .plan_intro =
        "Each Member Country proposes, after its internal consultation, the entities responsible for each action of "
        "the Plan; the RCM's virtual meeting confirms them. This table publishes the confirmed entities only.",
    .plan_illustrative =
        "The Plan's structure shown is illustrative: its axes, objectives and actions are not the approved text.",
    .plan_action = "Action",
    .plan_confirmed = "Confirmed responsible entities",
    .plan_proposed = "Proposed, to be confirmed",
    .plan_missing = "No entity proposed",
    .plan_counts = "{1} of {2} cells confirmed; {3} with no entity proposed.",
    .map_title = "Services in {1}",
    .map_exact = "service",
    .map_approximate = "sensitive site, approximate location",
    .map_unsited = "{1} services without a site (helplines, phone or mobile services) are not on the map.",
    .map_none = "No public services with a site are registered.",
    .chart_title = "Coverage: services by family and country",
    .chart_note = "Each circle's area is proportional to the number of services; an empty cell marked “—” is a "
                  "gap.",
    .scope_national = "national",
    .scope_admin1 = "subnational (first level)",
    .scope_admin2 = "local (second level)",
    .scope_cross_border = "cross-border",
    .scope_regional = "regional",
    .ev_anecdotal = "anecdotal",
    .ev_monitoring = "monitoring data",
    .ev_external = "external evaluation",
    .pr_best_interests = "best interests of the child",
    .pr_non_detention = "non-detention",
    .pr_family_unity = "family unity",
    .pr_participation = "participation",
    .st_published = "published",
};

const Words french{
    .title = "Compilation de bonnes pratiques",
    .subtitle = "Protection et assistance des enfants et adolescents migrants",
    .prepared_for = "Réseau des fonctionnaires de liaison pour la protection des enfants et adolescents migrants "
                    "de la Conférence régionale sur la migration (CRM), avec l’appui de l’OIM",
    .generated = "Produit par Enlace le {1}",
    .contents = "Table des matières",
    .introduction = "Introduction",
    .intro_scope = "Cette compilation rassemble les bonnes pratiques publiées dans le registre Enlace pour {1}{2}.",
    .intro_axes = ", axe du Plan stratégique\u202f: {1}",
    .intro_counts = "Elle comprend {1} pratiques, {2} acteurs qui les mettent en œuvre ou les soutiennent et {3} "
                    "services spécialisés des pays retenus.",
    .intro_period = "Les pratiques couvrent la période {1}.",
    .intro_public = "C’est la vue publique du registre\u202f: les sites sensibles (hébergement, prise en charge "
                    "alternative, services VBG et traite) n’apparaissent qu’à leur emplacement public approximatif, "
                    "et aucune fiche restreinte ni aucun contact personnel n’y figure.",
    .intro_illustrative = "Les fiches marquées comme illustratives proviennent du jeu de démonstration\u202f: ce "
                          "sont des exemples, aux emplacements approximatifs, à ne jamais utiliser pour orienter "
                          "qui que ce soit.",
    .intro_grouping = "Les pratiques sont regroupées par pays et par axe du Plan stratégique du Réseau. Une "
                      "pratique de plusieurs pays ou axes est décrite une seule fois\u202f; ailleurs, le rapport "
                      "renvoie à sa fiche.",
    .country_chapter = "Pays",
    .axis = "Axe {1}",
    .no_axis = "Sans axe du Plan",
    .see_entry = "Voir la fiche complète",
    .on_page = "page",
    .page = "p.",
    .practices_none = "Aucune bonne pratique n’est publiée pour ce pays selon les critères retenus.",
    .f_countries = "Pays",
    .f_scope = "Portée géographique",
    .f_actors = "Acteurs de mise en œuvre",
    .f_partners = "Partenaires et leur rôle",
    .f_period = "Période",
    .f_axes = "Axes de la CRM",
    .f_types = "Types de service",
    .f_gcm = "Objectifs du Pacte mondial sur les migrations",
    .f_population = "Population cible",
    .f_problem = "Problème traité",
    .f_description = "Description",
    .f_resources = "Ressources",
    .f_results = "Résultats",
    .f_evidence = "Niveau de preuve",
    .f_lessons = "Enseignements",
    .f_replicability = "Reproductibilité",
    .f_sustainability = "Durabilité",
    .f_institutionalised = "Inscrite dans une loi ou un protocole",
    .f_budget = "Dotée d’une ligne budgétaire",
    .f_principles = "Principes de protection appliqués",
    .f_contact = "Contact institutionnel",
    .f_sources = "Sources",
    .f_validation = "Validation",
    .f_language = "Langue d’origine",
    .f_licence = "Licence",
    .f_services = "Services liés",
    .not_stated = "Non renseigné",
    .yes = "Oui",
    .no = "Non",
    .ongoing = "en cours",
    .since = "depuis {1}",
    .submitted_by = "soumise par {1}",
    .reviewed_by = "revue par {1}",
    .reviewed_on = "le {1}",
    .accessed = "consultée le {1}",
    .illustrative_mark = "illustratif",
    .fallback_from = "texte en {1}",
    .actors_index = "Index des acteurs",
    .actor_type = "Type",
    .actor_countries = "Pays",
    .actor_practices = "Pratiques (page)",
    .annex = "Annexe\u202f: services par pays et famille de services",
    .annex_note = "Nombre de services publics actifs ou fermés temporairement. Un service dont les types "
                  "relèvent de plusieurs familles compte dans chacune. Les cases marquées «\u202f—\u202f» "
                  "signalent une lacune\u202f: aucun service enregistré.",
    .family = "Famille de services",
    .total = "Total",
    .gap_mark = "—",
    .plan_title = "Plan stratégique {1} : entités responsables",
    .plan_intro =
        "Chaque pays membre propose, après sa consultation interne, les entités responsables de chaque action du Plan "
        "; la réunion virtuelle de la CRM les confirme. Ce tableau ne publie que les entités confirmées.",
    .plan_illustrative = "La structure du Plan présentée est illustrative : ses axes, objectifs et actions ne sont pas "
                         "le texte approuvé.",
    .plan_action = "Action",
    .plan_confirmed = "Entités responsables confirmées",
    .plan_proposed = "Proposées, à confirmer",
    .plan_missing = "Aucune entité proposée",
    .plan_counts = "{1} cases confirmées sur {2} ; {3} sans entité proposée.",
    .map_title = "Services – {1}",
    .map_exact = "service",
    .map_approximate = "site sensible, emplacement approximatif",
    .map_unsited = "{1} services sans site (lignes d’écoute, services par téléphone ou mobiles) ne figurent pas "
                   "sur la carte.",
    .map_none = "Aucun service public doté d’un site n’est enregistré.",
    .chart_title = "Couverture\u202f: services par famille et par pays",
    .chart_note = "L’aire de chaque cercle est proportionnelle au nombre de services\u202f; une case vide marquée "
                  "«\u202f—\u202f» est une lacune.",
    .scope_national = "nationale",
    .scope_admin1 = "infranationale (premier niveau)",
    .scope_admin2 = "locale (second niveau)",
    .scope_cross_border = "transfrontalière",
    .scope_regional = "régionale",
    .ev_anecdotal = "anecdotique",
    .ev_monitoring = "données de suivi",
    .ev_external = "évaluation externe",
    .pr_best_interests = "intérêt supérieur de l’enfant",
    .pr_non_detention = "non-détention",
    .pr_family_unity = "unité familiale",
    .pr_participation = "participation",
    .st_published = "publiée",
};

std::string label_in(const core::LocalizedText& labels, const std::string& language, const std::string& fallback) {
    const auto text = core::resolve(labels, language);
    return text ? text->text : fallback;
}

std::string grouped(std::int64_t n, std::string_view separator, bool keep_four_digits) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    if (keep_four_digits && digits.size() <= 4) return (n < 0 ? "-" : "") + digits;
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
        out += digits[i];
    }
    return (n < 0 ? "-" : "") + out;
}

} // namespace

bool is_report_language(const std::string& language) {
    return language == "es" || language == "en" || language == "fr";
}

const Words& words_for(const std::string& language) {
    if (language == "en") return english;
    if (language == "fr") return french;
    return spanish;
}

core::ResolvedText text_in(const core::LocalizedText& text, const std::string& language) {
    auto resolved = core::resolve(text, language);
    return resolved ? *resolved : core::ResolvedText{};
}

std::string country_name(const core::ReferenceData& reference, const std::string& alpha2, const std::string& language) {
    const auto* country = reference.country(alpha2);
    return country ? label_in(country->names, language, alpha2) : alpha2;
}

std::string term_label(const core::ReferenceData& reference, const std::string& code, const std::string& language) {
    const auto* term = reference.term(code);
    return term ? label_in(term->labels, language, code) : code;
}

std::string axis_label(const core::ReferenceData& reference, int axis, const std::string& language) {
    for (const auto& label : reference.axes())
        if (label.code == std::to_string(axis)) return label_in(label.labels, language, label.code);
    return words_for(language).no_axis.data();
}

std::string population_label(const core::ReferenceData& reference, const std::string& code,
                             const std::string& language) {
    for (const auto& label : reference.populations())
        if (label.code == code) return label_in(label.labels, language, code);
    return code;
}

std::string actor_type_label(const core::ReferenceData& reference, const std::string& code,
                             const std::string& language) {
    for (const auto& label : reference.actor_types())
        if (label.code == code) return label_in(label.labels, language, code);
    return code;
}

std::string scope_label(const std::string& code, const std::string& language) {
    const auto& w = words_for(language);
    if (code == "national") return std::string(w.scope_national);
    if (code == "admin1") return std::string(w.scope_admin1);
    if (code == "admin2") return std::string(w.scope_admin2);
    if (code == "cross_border") return std::string(w.scope_cross_border);
    if (code == "regional") return std::string(w.scope_regional);
    return code;
}

std::string evidence_label(const std::string& code, const std::string& language) {
    const auto& w = words_for(language);
    if (code == "anecdotal") return std::string(w.ev_anecdotal);
    if (code == "monitoring_data") return std::string(w.ev_monitoring);
    if (code == "external_evaluation") return std::string(w.ev_external);
    return code;
}

std::string principle_label(const std::string& code, const std::string& language) {
    const auto& w = words_for(language);
    if (code == "best_interests") return std::string(w.pr_best_interests);
    if (code == "non_detention") return std::string(w.pr_non_detention);
    if (code == "family_unity") return std::string(w.pr_family_unity);
    if (code == "participation") return std::string(w.pr_participation);
    return code;
}

std::string language_name(const std::string& tag, const std::string& language) {
    struct Name {
        std::string_view tag, es, en, fr;
    };
    static constexpr std::array<Name, 4> names{{{"es", "español", "Spanish", "espagnol"},
                                                {"en", "inglés", "English", "anglais"},
                                                {"fr", "francés", "French", "français"},
                                                {"ht", "criollo haitiano", "Haitian Creole", "créole haïtien"}}};
    const auto primary = tag.substr(0, tag.find('-'));
    for (const auto& n : names)
        if (n.tag == primary) return std::string(language == "en" ? n.en : language == "fr" ? n.fr : n.es);
    return tag;
}

std::string format_count(std::int64_t n, const std::string& language) {
    if (language == "en") return grouped(n, ",", false);
    if (language == "fr") return grouped(n, "\u202f", false);
    return grouped(n, "\u2009", true); // RAE: a (thin) space from five digits on
}

std::string format_date(const std::string& iso_date, const std::string& language) {
    static constexpr std::array<std::string_view, 12> es{"enero",      "febrero", "marzo",     "abril",
                                                         "mayo",       "junio",   "julio",     "agosto",
                                                         "septiembre", "octubre", "noviembre", "diciembre"};
    static constexpr std::array<std::string_view, 12> en{"January",   "February", "March",    "April",
                                                         "May",       "June",     "July",     "August",
                                                         "September", "October",  "November", "December"};
    static constexpr std::array<std::string_view, 12> fr{"janvier",   "février", "mars",     "avril",
                                                         "mai",       "juin",    "juillet",  "août",
                                                         "septembre", "octobre", "novembre", "décembre"};
    int year = 0, month = 0, day = 0;
    if (std::sscanf(iso_date.c_str(), "%d-%d-%d", &year, &month, &day) != 3 || month < 1 || month > 12) return iso_date;
    const auto m = static_cast<std::size_t>(month - 1);
    if (language == "en") return std::string(en[m]) + " " + std::to_string(day) + ", " + std::to_string(year);
    if (language == "fr")
        return (day == 1 ? std::string("1er") : std::to_string(day)) + " " + std::string(fr[m]) + " " +
               std::to_string(year);
    return std::to_string(day) + " de " + std::string(es[m]) + " de " + std::to_string(year);
}

std::string quoted(const std::string& text, const std::string& language) {
    if (language == "en") return "\u201c" + text + "\u201d";
    if (language == "fr") return "«\u202f" + text + "\u202f»";
    return "«" + text + "»";
}

std::string joined(const std::vector<std::string>& items, const std::string& language) {
    const std::string last = language == "en" ? " and " : language == "fr" ? " et " : " y ";
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : i + 1 == items.size() ? last : ", ") + items[i];
    return out;
}

std::string fill(std::string_view pattern, const std::vector<std::string>& values) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '1' &&
            pattern[i + 1] <= '9') {
            const auto index = static_cast<std::size_t>(pattern[i + 1] - '1');
            if (index < values.size()) out += values[index];
            i += 2;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

} // namespace enlace::report
