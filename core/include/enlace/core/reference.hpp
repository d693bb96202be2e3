#pragma once
// The controlled vocabularies every record is checked against: taxonomy, countries, actor types,
// populations and RCM axes. Loaded by `enlace init` from data/, kept in the registry file.
#include "enlace/core/model.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace enlace::core {

class ReferenceData {
  public:
    /// Parses data/taxonomy.json, data/countries.json and (optionally) data/boundaries.geojson,
    /// the countries' outlines; throws validation_error naming the entry.
    static ReferenceData from_json(std::string_view taxonomy_json, std::string_view countries_json,
                                   std::string_view boundaries_geojson = {});

    ReferenceData() = default;
    ReferenceData(std::vector<TaxonomyTerm> terms, std::vector<Country> countries, std::vector<Label> actor_types,
                  std::vector<Label> populations, std::vector<Label> axes);

    const std::vector<TaxonomyTerm>& terms() const { return m_terms; }
    const std::vector<Country>& countries() const { return m_countries; }
    const std::vector<Label>& actor_types() const { return m_actor_types; }
    const std::vector<Label>& populations() const { return m_populations; }
    const std::vector<Label>& axes() const { return m_axes; }

    const TaxonomyTerm* term(std::string_view code) const;
    /// A term given as its code or as its label in any language (case- and accent-insensitive).
    const TaxonomyTerm* find_term(std::string_view code_or_label) const;
    /// The codes with all their descendants; throws query_error(parameter) on an unknown code.
    std::vector<std::string> expand(const std::vector<std::string>& codes, const std::string& parameter) const;
    bool any_sensitive(const std::vector<std::string>& codes) const;

    const Country* country(std::string_view alpha2) const;
    /// A country given as alpha-2, alpha-3 or its name in any language (case- and accent-insensitive).
    const Country* find_country(std::string_view any) const;
    /// Member countries that hold the point: by outline where loaded, else by box (boxes overlap
    /// near borders, so then several may).
    std::vector<const Country*> countries_at(const GeoPoint& p) const;

    /// Whether the point lies in the country: inside its outline or within border_tolerance_m of
    /// it (the outlines are simplified), or inside its box when no outline is loaded.
    bool in_country(const Country& country, const GeoPoint& p) const;
    static constexpr double border_tolerance_m = 10000;

    bool has_population(std::string_view code) const;
    bool has_actor_type(std::string_view code) const;

  private:
    std::vector<TaxonomyTerm> m_terms;
    std::vector<Country> m_countries;
    std::vector<Label> m_actor_types, m_populations, m_axes;
};

/// Lower-cases ASCII and folds Latin accents (ñ -> n, É -> e) for forgiving name matching.
std::string fold(std::string_view text);

} // namespace enlace::core
