#include "enlace/geo/field_mapping.hpp"

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

// Folded, with every run of non-alphanumerics turned into one '_': "Teléfono 1" -> "telefono_1".
std::string normalise(const std::string& name) {
    const std::string folded = core::fold(name);
    std::string out;
    for (char c : folded) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum) out += c;
        else if (!out.empty() && out.back() != '_') out += '_';
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out;
}

const std::vector<std::string> languages = {"es", "en", "fr", "pt"};

// Column names (normalised) per logical field, shared by all kinds unless noted.
const std::unordered_map<std::string, std::string>& common_names() {
    static const std::unordered_map<std::string, std::string> names = [] {
        std::unordered_map<std::string, std::string> m;
        auto add = [&m](const std::string& field, std::initializer_list<const char*> list) {
            for (const char* n : list) m.emplace(n, field);
        };
        add("id", {"id", "source_id", "codigo", "cod", "identificador", "uid", "record_id", "id_servicio",
                   "service_id", "id_registro", "clave"});
        add("name", {"name", "nombre", "nombre_servicio", "service_name", "servicio", "nombre_del_servicio"});
        add("description", {"description", "descripcion", "desc", "detalle", "descripcion_servicio"});
        add("type", {"type", "tipo", "service_type", "tipo_servicio", "tipo_de_servicio", "category", "categoria",
                     "taxonomy", "taxonomy_term", "taxonomy_code", "codigo_tipo", "types", "tipos"});
        add("country", {"country", "pais", "country_code", "iso2", "iso3", "iso_a2", "iso_a3", "cod_pais",
                        "codigo_pais", "iso_pais", "adm0", "adm0_name", "adm0_pcode"});
        add("lat", {"lat", "latitude", "latitud", "y", "lat_dd", "coord_y", "y_coord", "latitud_y", "ycoord"});
        add("lon", {"lon", "lng", "long", "longitude", "longitud", "x", "lon_dd", "coord_x", "x_coord",
                    "longitud_x", "xcoord"});
        add("street", {"address", "address_1", "direccion", "street", "calle", "domicilio", "direccion_1"});
        add("locality", {"city", "ciudad", "locality", "localidad", "poblado", "comunidad", "town", "lugar"});
        add("admin1", {"admin1", "departamento", "estado", "provincia", "state", "state_province", "region",
                       "adm1", "adm1_name", "entidad", "entidad_federativa"});
        add("admin1_code", {"admin1_code", "adm1_pcode", "adm1_code", "cod_departamento", "cod_estado"});
        add("admin2", {"admin2", "municipio", "municipality", "adm2", "adm2_name", "canton", "distrito",
                       "county", "condado"});
        add("admin2_code", {"admin2_code", "adm2_pcode", "adm2_code", "cod_municipio"});
        add("postal_code", {"postal_code", "codigo_postal", "zip", "zip_code", "cp", "postcode"});
        add("phone", {"phone", "telefono", "tel", "telephone", "phone_number", "numero_telefono", "celular"});
        add("email", {"email", "correo", "e_mail", "correo_electronico", "mail"});
        add("url", {"url", "website", "web", "sitio_web", "pagina_web", "website_url"});
        add("status", {"status", "estatus", "situacion", "estado_servicio"});
        add("languages", {"languages", "language", "idiomas", "idioma", "lenguas"});
        add("populations", {"populations", "population", "poblacion", "poblaciones", "poblacion_meta",
                            "target_population"});
        add("age_min", {"age_min", "edad_min", "edad_minima", "minimum_age", "min_age"});
        add("age_max", {"age_max", "edad_max", "edad_maxima", "maximum_age", "max_age"});
        add("last_verified", {"last_verified", "verificado", "fecha_verificacion", "assured_date", "verified",
                              "ultima_verificacion"});
        add("gender", {"gender", "genero", "sexo"});
        add("cost", {"cost", "costo", "fees", "coste"});
        // Plain "visibility" is not recognised: KML's own "visibility" column means something else
        // (shown / hidden). The export writes the record's as record_visibility in KML.
        add("visibility", {"record_visibility", "visibilidad_registro"});
        // Service area of a service without a site (export: area_countries / area_admin1, shapefile
        // area_ctry / area_adm1), comma-separated codes.
        add("area_countries", {"area_countries", "area_ctry", "service_area", "service_area_countries",
                               "area_servicio", "area_paises"});
        add("area_admin1", {"area_admin1", "area_adm1", "service_area_admin1", "area_servicio_admin1"});
        add("acronym", {"acronym", "sigla", "siglas", "acronimo"});
        add("actor_type", {"actor_type", "tipo_actor", "tipo_de_actor", "organization_type", "tipo_organizacion"});
        add("title", {"title", "titulo", "practica", "nombre_practica"});
        add("year_start", {"year_start", "anio_inicio", "ano_inicio", "inicio", "start_year", "desde"});
        add("year_end", {"year_end", "anio_fin", "ano_fin", "fin", "end_year", "hasta"});
        add("axes", {"axes", "axis", "eje", "ejes", "eje_rcm", "ejes_crm"});
        add("scope", {"scope", "alcance", "ambito"});
        return m;
    }();
    return names;
}

// HXL: base tag and sorted attributes (language attributes removed) -> logical field.
const std::unordered_map<std::string, std::string>& hxl_names() {
    static const std::unordered_map<std::string, std::string> names = {
        {"#geo+lat", "lat"}, {"#geo+lon", "lon"},
        {"#service+name", "name"}, {"#activity+name", "type"}, {"#service+code", "type"},
        {"#service+type", "type"}, {"#sector+code", "type"}, {"#activity+code", "type"}, {"#sector", "type"},
        {"#description", "description"},
        {"#status", "status"},
        {"#country", "country"}, {"#country+code", "country"}, {"#country+code+v_iso2", "country"},
        {"#country+code+v_iso3", "country"}, {"#country+name", "country"}, {"#country+v_iso2", "country"},
        {"#country+v_iso3", "country"},
        {"#adm1+name", "admin1"}, {"#adm1", "admin1"}, {"#adm1+code", "admin1_code"},
        {"#adm2+name", "admin2"}, {"#adm2", "admin2"}, {"#adm2+code", "admin2_code"},
        {"#loc+name", "locality"}, {"#loc", "locality"},
        {"#contact+email", "email"}, {"#contact+phone", "phone"}, {"#contact+url", "url"},
        {"#date+reported", "last_verified"}, {"#date+start", "year_start"}, {"#date+end", "year_end"},
        {"#meta+id", "id"}, {"#org+acronym", "acronym"}, {"#org+type", "actor_type"},
        // A service's area (the HXL export's +service_area columns): codes or names of countries,
        // admin1 codes.
        {"#country+service_area", "area_countries"}, {"#country+code+service_area", "area_countries"},
        {"#country+code+service_area+v_iso2", "area_countries"},
        {"#country+code+service_area+v_iso3", "area_countries"},
        {"#country+name+service_area", "area_countries"},
        {"#adm1+service_area", "area_admin1"}, {"#adm1+code+service_area", "area_admin1"},
    };
    return names;
}

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
    else if (auto it = hxl_names().find(key); it != hxl_names().end()) field = it->second;
    if (!field) return std::nullopt;
    if (kind == RecordKind::practice && *field == "name") field = "title";
    if (!language.empty() && (*field == "name" || *field == "description" || *field == "title"))
        return *field + "." + language;
    return field;
}

// Fields that make sense for each kind.
const std::set<std::string>& kind_fields(RecordKind kind) {
    static const std::set<std::string> service = {
        "id", "name", "description", "type", "country", "lat", "lon", "street", "locality", "admin1",
        "admin1_code", "admin2", "admin2_code", "postal_code", "phone", "email", "url", "status", "languages",
        "populations", "age_min", "age_max", "last_verified", "gender", "cost", "visibility", "area_countries",
        "area_admin1"};
    static const std::set<std::string> actor = {"id", "name", "description", "acronym", "actor_type", "country",
                                                "url", "email", "phone"};
    static const std::set<std::string> practice = {"id", "title", "description", "country", "year_start",
                                                   "year_end", "axes", "type", "scope", "email", "populations"};
    return kind == RecordKind::service ? service : kind == RecordKind::actor ? actor : practice;
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
    const std::string n = normalise(column);
    auto lookup = [&](const std::string& key) -> std::optional<std::string> {
        auto it = common_names().find(key);
        if (it == common_names().end()) return std::nullopt;
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
