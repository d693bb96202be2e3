#include "enlace/geo/field_mapping.hpp"

#include "column_names.hpp"

#include "enlace/core/reference.hpp"
#include "enlace/geo/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace enlace::geo {
namespace {

using detail::column_names;
using detail::hxl_tag_names;
using detail::kind_fields;
using detail::normalise_column;

const std::vector<std::string> languages = {"es", "en", "fr", "pt"};

std::optional<std::string> recognise_hxl(const std::string& tag, RecordKind kind) {
    std::string t = core::fold(tag);
    t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == ' ' || c == '\t'; }), t.end());
    if (t.size() < 2 || t[0] != '#') return std::nullopt;
    std::vector<std::string> parts;
    std::stringstream in(t);
    for (std::string p; std::getline(in, p, '+');)
        parts.push_back(p);
    std::string language;
    std::vector<std::string> attributes;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (parts[i].rfind("i_", 0) == 0)
            language = parts[i].substr(2);
        else
            attributes.push_back(parts[i]);
    }
    std::sort(attributes.begin(), attributes.end());
    std::string key = parts[0];
    for (const auto& a : attributes)
        key += "+" + a;
    std::optional<std::string> field;
    if (key == "#org+name" || key == "#org")
        field = kind == RecordKind::service ? std::nullopt : std::optional<std::string>("name");
    else if (key == "#org+id")
        field = kind == RecordKind::actor ? std::optional<std::string>("id") : std::nullopt;
    else if (auto it = hxl_tag_names().find(key); it != hxl_tag_names().end())
        field = it->second;
    if (!field) return std::nullopt;
    if (kind == RecordKind::practice && *field == "name") field = "title";
    if (!language.empty() && (*field == "name" || *field == "description" || *field == "title"))
        return *field + "." + language;
    return field;
}

bool multilingual(const std::string& field) { return field == "name" || field == "description" || field == "title"; }

// DBF field names stop at 10 characters: ogr2ogr turns `edad_minima` into `edad_minim`. The known
// names (normalised) that a 10-character name begins, with their fields.
constexpr std::size_t dbf_name_length = 10;

std::map<std::string, std::string> names_begun_by(const std::string& n, RecordKind kind) {
    std::map<std::string, std::string> out;
    if (n.size() != dbf_name_length) return out;
    for (const auto& [name, field] : column_names()) {
        if (name.size() <= n.size() || name.compare(0, n.size(), n) != 0) continue;
        const std::string f = kind == RecordKind::practice && field == "name" ? "title" : field;
        if (is_logical_field(f, kind)) out.emplace(name, f);
    }
    return out;
}

// Fields the KML drivers add to every layer, whatever the data holds.
bool kml_driver_field(const std::string& driver, const std::string& column) {
    if (driver != "LIBKML" && driver != "KML") return false;
    static const std::set<std::string> names = {"name",       "description",  "timestamp",  "begin",
                                                "end",        "altitudemode", "tessellate", "extrude",
                                                "visibility", "draworder",    "icon",       "snippet"};
    return names.count(core::fold(column)) > 0;
}

// Why nothing reads a column that no field recognises.
UnmappedColumn unrecognised(const std::string& column, const std::string& driver, RecordKind kind) {
    const std::string n = normalise_column(column);
    if (kml_driver_field(driver, column)) return {column, "a field KML readers add to every placemark", true, 0};
    const auto& owned = detail::registry_owned_columns();
    if (auto it = owned.find(n); it != owned.end()) return {column, it->second, false, 0};
    if (n.rfind("org_", 0) == 0) return {column, owned.at("org_id"), false, 0};
    if (const auto begun = names_begun_by(n, kind); !begun.empty()) {
        std::string list;
        for (const auto& [name, field] : begun)
            list += (list.empty() ? "" : ", ") + name + " (" + field + ")";
        return {column,
                "a name cut to 10 characters (shapefile)? it begins the names of several fields: " + list +
                    "; map it with --field FIELD=" + column,
                false, 0};
    }
    return {column, "no field matches it (map it with --field FIELD=" + column + ", see docs/import.md)", false, 0};
}

} // namespace

bool is_logical_field(const std::string& field, RecordKind kind) {
    const auto dot = field.find('.');
    if (dot != std::string::npos) {
        const std::string base = field.substr(0, dot), lang = field.substr(dot + 1);
        return multilingual(base) && kind_fields(kind).count(base) && lang.size() >= 2 && lang.size() <= 8;
    }
    return kind_fields(kind).count(field) > 0;
}

std::optional<std::string> recognise_column(const std::string& column, const std::string& hxl_tag, RecordKind kind) {
    if (!hxl_tag.empty()) {
        if (auto f = recognise_hxl(hxl_tag, kind); f && is_logical_field(*f, kind)) return f;
    }
    if (!column.empty() && column[0] == '#') { // a hashtag used as the header itself
        if (auto f = recognise_hxl(column, kind); f && is_logical_field(*f, kind)) return f;
    }
    const std::string n = normalise_column(column);
    auto lookup = [&](const std::string& key) -> std::optional<std::string> {
        auto it = column_names().find(key);
        if (it == column_names().end()) return std::nullopt;
        std::string field = it->second;
        // A practice's "name" is its title; an actor's "organization" is its name.
        if (kind == RecordKind::practice && field == "name") field = "title";
        return field;
    };
    if (kind == RecordKind::actor && (n == "organization" || n == "organizacion" || n == "org" || n == "actor" ||
                                      n == "organization_name" || n == "nombre_organizacion"))
        return std::string("name");
    if (auto f = lookup(n); f && is_logical_field(*f, kind)) return f;
    // Language variants: nombre_es, name_en, descripcion_fr, title_pt.
    for (const auto& lang : languages) {
        const std::string suffix = "_" + lang;
        if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) {
            auto f = lookup(n.substr(0, n.size() - suffix.size()));
            if (f && multilingual(*f) && is_logical_field(*f, kind)) return *f + "." + lang;
        }
    }
    // A shapefile name cut to 10 characters: the field of the names it begins, when they are all
    // of one field, or when the shortest of them begins all the others (`area_servi` is
    // area_servicio; ogr2ogr would have named an area_servicio_admin1 beside it area_ser_1).
    const auto begun = names_begun_by(n, kind);
    if (begun.empty()) return std::nullopt;
    const auto shortest = std::min_element(
        begun.begin(), begun.end(), [](const auto& a, const auto& b) { return a.first.size() < b.first.size(); });
    for (const auto& [name, field] : begun)
        if (field != shortest->second && name.compare(0, shortest->first.size(), shortest->first) != 0)
            return std::nullopt;
    return shortest->second;
}

FieldMap load_mapping_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw geo_error("cannot read mapping file '" + path + "': check the path", path);
    nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded()) throw geo_error("mapping file '" + path + "' is not valid JSON", path);
    if (doc.is_object() && doc.contains("fields")) doc = doc["fields"];
    if (!doc.is_object())
        throw geo_error("mapping file '" + path + "' must be a JSON object {\"field\": \"COLUMN\"}", path);
    FieldMap out;
    for (const auto& [field, column] : doc.items()) {
        if (!column.is_string())
            throw geo_error("mapping file '" + path + "': the column for '" + field + "' must be a string", path, {},
                            field);
        out[field] = column.get<std::string>();
    }
    return out;
}

std::pair<std::string, std::string> parse_field_flag(const std::string& flag) {
    const auto eq = flag.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == flag.size())
        throw std::invalid_argument("--field '" + flag + "' must be FIELD=COLUMN (e.g. name=NOMBRE)");
    return {flag.substr(0, eq), flag.substr(eq + 1)};
}

FieldMap resolve_mapping(const std::vector<std::string>& columns, const std::vector<std::string>& hxl_tags,
                         const FieldMap& explicit_map, RecordKind kind) {
    return plan_mapping(columns, hxl_tags, explicit_map, kind, {}).fields;
}

MappingPlan plan_mapping(const std::vector<std::string>& columns, const std::vector<std::string>& hxl_tags,
                         const FieldMap& explicit_map, RecordKind kind, const std::string& driver) {
    std::set<std::string> explicit_columns;
    for (const auto& [field, column] : explicit_map) {
        if (!is_logical_field(field, kind))
            throw geo_error("unknown field '" + field + "' in the mapping (see docs/import.md for the fields)", {}, {},
                            field);
        if (!column.empty() && column[0] == '=') continue; // a constant
        if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
            std::string list;
            for (const auto& c : columns)
                list += (list.empty() ? "" : ", ") + c;
            throw geo_error("the mapping names column '" + column + "' for '" + field +
                                "', which the layer does not have (columns: " + list + ")",
                            {}, {}, column);
        }
        explicit_columns.insert(column);
    }
    MappingPlan plan;
    // Columns per field in the order they are read: the data's own columns first, then those that
    // only stand in for them (KML's own fields, a plain `visibility`).
    std::map<std::string, std::vector<std::string>> first, last;
    const bool kml = driver == "LIBKML" || driver == "KML";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const auto& column = columns[i];
        if (explicit_columns.count(column)) continue;
        auto field = recognise_column(column, i < hxl_tags.size() ? hxl_tags[i] : std::string(), kind);
        bool stand_in = kml_driver_field(driver, column);
        if (!field && !driver.empty() && !kml && kind == RecordKind::service &&
            normalise_column(column) == "visibility") {
            field = "visibility"; // KML readers' own visibility is 0/1; elsewhere it is the record's
            stand_in = true;
        }
        if (!field) {
            plan.unmapped.push_back(unrecognised(column, driver, kind));
        } else if (explicit_map.count(*field)) {
            plan.unmapped.push_back(
                {column, "'" + *field + "' is mapped to '" + explicit_map.at(*field) + "'", stand_in, 0});
        } else {
            (stand_in ? last : first)[*field].push_back(column);
        }
    }
    for (auto& [field, list] : last)
        first[field].insert(first[field].end(), list.begin(), list.end());
    for (auto& [field, list] : first) {
        plan.fields[field] = list.front();
        if (list.size() == 1) continue;
        const std::vector<std::string> rest(list.begin() + 1, list.end());
        if (field == "id") { // a record's key comes from one column
            for (const auto& c : rest)
                plan.unmapped.push_back({c, "rows are keyed by column '" + list.front() + "'", false, 0});
        } else {
            plan.fallbacks[field] = rest;
        }
    }
    for (const auto& [field, column] : explicit_map)
        plan.fields[field] = column;
    // In the layer's column order, as a reader scans them.
    std::sort(plan.unmapped.begin(), plan.unmapped.end(), [&](const UnmappedColumn& a, const UnmappedColumn& b) {
        return std::find(columns.begin(), columns.end(), a.column) <
               std::find(columns.begin(), columns.end(), b.column);
    });
    return plan;
}

} // namespace enlace::geo
