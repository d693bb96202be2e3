#include "enlace/core/reference.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/record_json.hpp"
#include "json_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <utility>

namespace enlace::core {
namespace {

using nlohmann::json;

/// fold() of the character starting at text[i], and how many bytes it takes there.
std::pair<char, std::size_t> fold_at(std::string_view text, std::size_t i) {
    // Latin-1 supplement letters (U+00C0..U+00FF, UTF-8 lead byte 0xC3) to their base letter.
    static constexpr std::string_view base = "aaaaaaaceeeeiiiidnooooo*ouuuuyts"  // U+00C0..U+00DF
                                             "aaaaaaaceeeeiiiidnooooo/ouuuuyty"; // U+00E0..U+00FF
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
        const auto next = static_cast<unsigned char>(text[i + 1]);
        if (next >= 0x80 && next <= 0xBF) return {base[next - 0x80], 2};
    }
    return {(c < 0x80) ? static_cast<char>(std::tolower(c)) : static_cast<char>(c), 1};
}

/// fold(text) == folded, without building fold(text): imports look a name up on every row.
bool folds_to(std::string_view text, std::string_view folded) {
    std::size_t j = 0;
    for (std::size_t i = 0; i < text.size(); ++j) {
        const auto [c, length] = fold_at(text, i);
        if (j == folded.size() || folded[j] != c) return false;
        i += length;
    }
    return j == folded.size();
}

std::vector<Label> read_labels(detail::JsonReader& in, const json& doc, const std::string& key) {
    std::vector<Label> out;
    const auto* list = in.array(doc, key, key);
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& entry = (*list)[i];
        const std::string path = key + "[" + std::to_string(i) + "]";
        Label label;
        if (entry.contains("number"))
            label.code = std::to_string(in.integer(entry, "number", path + ".number").value_or(0));
        else
            label.code = in.string(entry, "code", path + ".code", true);
        label.labels = in.localized(entry, "labels", path + ".labels");
        out.push_back(std::move(label));
    }
    return out;
}

} // namespace

ReferenceData::ReferenceData(std::vector<TaxonomyTerm> terms, std::vector<Country> countries,
                             std::vector<Label> actor_types, std::vector<Label> populations, std::vector<Label> axes)
    : m_terms(std::move(terms)), m_countries(std::move(countries)), m_actor_types(std::move(actor_types)),
      m_populations(std::move(populations)), m_axes(std::move(axes)) {}

ReferenceData ReferenceData::from_json(std::string_view taxonomy_json, std::string_view countries_json,
                                       std::string_view boundaries_geojson) {
    detail::JsonReader in;
    const json taxonomy = detail::parse_json(taxonomy_json, "taxonomy.json");
    const json countries = detail::parse_json(countries_json, "countries.json");

    std::vector<TaxonomyTerm> terms;
    if (const auto* list = in.array(taxonomy, "terms", "terms")) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& entry = (*list)[i];
            const std::string path = "terms[" + std::to_string(i) + "]";
            TaxonomyTerm term;
            term.code = in.string(entry, "code", path + ".code", true);
            term.parent = in.string(entry, "parent", path + ".parent");
            term.labels = in.localized(entry, "labels", path + ".labels");
            term.sensitive = in.boolean(entry, "sensitive", path + ".sensitive").value_or(false);
            terms.push_back(std::move(term));
        }
    }
    std::vector<Country> member_countries;
    if (const auto* list = in.array(countries, "countries", "countries")) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& entry = (*list)[i];
            const std::string path = "countries[" + std::to_string(i) + "]";
            Country c;
            c.alpha2 = in.string(entry, "alpha2", path + ".alpha2", true);
            c.alpha3 = in.string(entry, "alpha3", path + ".alpha3", true);
            c.names = in.localized(entry, "names", path + ".names");
            c.timezone = in.string(entry, "timezone", path + ".timezone", true);
            const auto box = in.numbers(entry, "bbox", path + ".bbox");
            if (box.size() == 4)
                c.bbox = BBox{box[0], box[1], box[2], box[3]};
            else
                in.issue(path + ".bbox", "must be [west, south, east, north]");
            member_countries.push_back(std::move(c));
        }
    }
    if (!boundaries_geojson.empty()) {
        const json boundaries = detail::parse_json(boundaries_geojson, "boundaries.geojson");
        if (const auto* features = in.array(boundaries, "features", "features")) {
            for (std::size_t i = 0; i < features->size(); ++i) {
                const json& feature = (*features)[i];
                const std::string path = "features[" + std::to_string(i) + "]";
                const std::string alpha2 =
                    feature.contains("properties") ? feature["properties"].value("alpha2", std::string()) : "";
                auto it = std::find_if(member_countries.begin(), member_countries.end(),
                                       [&](const Country& c) { return c.alpha2 == alpha2; });
                if (it == member_countries.end()) {
                    in.issue(path + ".properties.alpha2", "unknown country '" + alpha2 + "'");
                    continue;
                }
                try {
                    it->outline = outline_from_geojson(feature.value("geometry", json::object()));
                } catch (const validation_error& e) {
                    for (const auto& issue : e.issues())
                        in.issue(path + "." + issue.field, issue.reason);
                }
            }
        }
    }
    ReferenceData data(std::move(terms), std::move(member_countries), read_labels(in, taxonomy, "actor_types"),
                       read_labels(in, taxonomy, "populations"), read_labels(in, taxonomy, "axes"));
    for (const auto& term : data.m_terms)
        if (!term.parent.empty() && !data.term(term.parent))
            in.issue("terms." + term.code + ".parent", "unknown parent '" + term.parent + "'");
    in.throw_if_any();
    return data;
}

const TaxonomyTerm* ReferenceData::term(std::string_view code) const {
    auto it = std::find_if(m_terms.begin(), m_terms.end(), [&](const auto& t) { return t.code == code; });
    return it == m_terms.end() ? nullptr : &*it;
}

const TaxonomyTerm* ReferenceData::find_term(std::string_view code_or_label) const {
    if (const auto* exact = term(code_or_label)) return exact;
    const std::string wanted = fold(code_or_label);
    for (const auto& t : m_terms) {
        if (folds_to(t.code, wanted)) return &t;
        for (const auto& [language, label] : t.labels)
            if (folds_to(label, wanted)) return &t;
    }
    return nullptr;
}

std::vector<std::string> ReferenceData::expand(const std::vector<std::string>& codes,
                                               const std::string& parameter) const {
    std::vector<std::string> out;
    for (const auto& code : codes) {
        if (!term(code)) throw query_error(parameter, "unknown service type '" + code + "'");
        for (const auto& t : m_terms)
            if (t.code == code || t.parent == code) out.push_back(t.code);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool ReferenceData::any_sensitive(const std::vector<std::string>& codes) const {
    return std::any_of(codes.begin(), codes.end(), [&](const auto& code) {
        const auto* t = term(code);
        return t && t->sensitive;
    });
}

const Country* ReferenceData::country(std::string_view alpha2) const {
    auto it = std::find_if(m_countries.begin(), m_countries.end(), [&](const auto& c) { return c.alpha2 == alpha2; });
    return it == m_countries.end() ? nullptr : &*it;
}

const Country* ReferenceData::find_country(std::string_view any) const {
    const std::string wanted = fold(any);
    for (const auto& c : m_countries) {
        if (folds_to(c.alpha2, wanted) || folds_to(c.alpha3, wanted)) return &c;
        for (const auto& [language, name] : c.names)
            if (folds_to(name, wanted)) return &c;
    }
    return nullptr;
}

std::vector<const Country*> ReferenceData::countries_at(const GeoPoint& p) const {
    std::vector<const Country*> out;
    for (const auto& c : m_countries)
        if (c.outline.empty() ? c.bbox.contains(p) : geodesy::contains(c.outline, p)) out.push_back(&c);
    return out;
}

bool ReferenceData::in_country(const Country& c, const GeoPoint& p) const {
    if (c.outline.empty()) return c.bbox.contains(p);
    return geodesy::contains(c.outline, p) ||
           geodesy::distance_to_outline_m(c.outline, p, border_tolerance_m) <= border_tolerance_m;
}

bool ReferenceData::has_population(std::string_view code) const {
    return std::any_of(m_populations.begin(), m_populations.end(), [&](const auto& l) { return l.code == code; });
}

bool ReferenceData::has_actor_type(std::string_view code) const {
    return std::any_of(m_actor_types.begin(), m_actor_types.end(), [&](const auto& l) { return l.code == code; });
}

std::string fold(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto [c, length] = fold_at(text, i);
        out += c;
        i += length;
    }
    return out;
}

} // namespace enlace::core
