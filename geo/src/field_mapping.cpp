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
    for (std::string p; std::getline(in, p, '+');) parts.push_back(p);
    std::string language;
    std::vector<std::string> attributes;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (parts[i].rfind("i_", 0) == 0) language = parts[i].substr(2);
        else attributes.push_back(parts[i]);
    }
    std::sort(attributes.begin(), attributes.end());
    std::string key = parts[0];
    for (const auto& a : attributes) key += "+" + a;
    std::optional<std::string> field;
    if (key == "#org+name" || key == "#org") field = kind == RecordKind::service ? std::nullopt
                                                                                : std::optional<std::string>("name");
    else if (key == "#org+id") field = kind == RecordKind::actor ? std::optional<std::string>("id") : std::nullopt;
    else if (auto it = hxl_tag_names().find(key); it != hxl_tag_names().end()) field = it->second;
    if (!field) return std::nullopt;
    if (kind == RecordKind::practice && *field == "name") field = "title";
    if (!language.empty() && (*field == "name" || *field == "description" || *field == "title"))
        return *field + "." + language;
    return field;
}

bool multilingual(const std::string& field) { return field == "name" || field == "description" || field == "title"; }

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
    if (!column.empty() && column[0] == '#') {  // a hashtag used as the header itself
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
    return std::nullopt;
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
    std::set<std::string> explicit_columns;
    for (const auto& [field, column] : explicit_map) {
        if (!is_logical_field(field, kind))
            throw geo_error("unknown field '" + field + "' in the mapping (see docs/import.md for the fields)", {}, {},
                            field);
        if (!column.empty() && column[0] == '=') continue;  // a constant
        if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
            std::string list;
            for (const auto& c : columns) list += (list.empty() ? "" : ", ") + c;
            throw geo_error("the mapping names column '" + column + "' for '" + field +
                                "', which the layer does not have (columns: " + list + ")",
                            {}, {}, column);
        }
        explicit_columns.insert(column);
    }
    FieldMap out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (explicit_columns.count(columns[i])) continue;
        auto field = recognise_column(columns[i], i < hxl_tags.size() ? hxl_tags[i] : std::string(), kind);
        if (field && !out.count(*field) && !explicit_map.count(*field)) out[*field] = columns[i];
    }
    for (const auto& [field, column] : explicit_map) out[field] = column;
    return out;
}

} // namespace enlace::geo
