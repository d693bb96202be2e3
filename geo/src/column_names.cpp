#include "column_names.hpp"

#include "enlace/core/reference.hpp"

namespace enlace::geo::detail {

std::string normalise_column(const std::string& name) {
    const std::string folded = core::fold(name);
    std::string out;
    for (char c : folded) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum)
            out += c;
        else if (!out.empty() && out.back() != '_')
            out += '_';
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    return out;
}

const std::unordered_map<std::string, std::string>& column_names() {
    static const std::unordered_map<std::string, std::string> names = [] {
        std::unordered_map<std::string, std::string> m;
        auto add = [&m](const std::string& field, std::initializer_list<const char*> list) {
            for (const char* n : list)
                m.emplace(n, field);
        };
        add("id", {"id", "source_id", "codigo", "cod", "identificador", "uid", "record_id", "id_servicio", "service_id",
                   "id_registro", "clave"});
        add("name", {"name", "nombre", "nombre_servicio", "service_name", "servicio", "nombre_del_servicio"});
        add("description", {"description", "descripcion", "desc", "detalle", "descripcion_servicio"});
        add("type", {"type", "tipo", "service_type", "tipo_servicio", "tipo_de_servicio", "category", "categoria",
                     "taxonomy", "taxonomy_term", "taxonomy_code", "codigo_tipo", "types", "tipos"});
        add("country", {"country", "countries", "paises", "pais", "country_code", "iso2", "iso3", "iso_a2", "iso_a3",
                        "cod_pais", "codigo_pais", "iso_pais", "adm0", "adm0_name", "adm0_pcode"});
        add("lat", {"lat", "latitude", "latitud", "y", "lat_dd", "coord_y", "y_coord", "latitud_y", "ycoord"});
        add("lon", {"lon", "lng", "long", "longitude", "longitud", "x", "lon_dd", "coord_x", "x_coord", "longitud_x",
                    "xcoord"});
        add("location_precision",
            {"location_precision", "loc_prec", "precision_ubicacion", "precision_de_la_ubicacion"});
        add("street", {"address", "address_1", "direccion", "street", "calle", "domicilio", "direccion_1"});
        add("locality", {"city", "ciudad", "locality", "localidad", "poblado", "comunidad", "town", "lugar"});
        add("admin1", {"admin1", "admin1_name", "departamento", "estado", "provincia", "state", "state_province",
                       "region", "adm1", "adm1_name", "entidad", "entidad_federativa"});
        add("admin1_code", {"admin1_code", "adm1_pcode", "adm1_code", "cod_departamento", "cod_estado"});
        add("admin2", {"admin2", "admin2_name", "municipio", "municipality", "adm2", "adm2_name", "canton", "distrito",
                       "county", "condado"});
        add("admin2_code", {"admin2_code", "adm2_pcode", "adm2_code", "cod_municipio"});
        add("postal_code", {"postal_code", "codigo_postal", "zip", "zip_code", "cp", "postcode"});
        add("phone", {"phone", "telefono", "tel", "telephone", "phone_number", "numero_telefono", "celular"});
        add("hotline", {"hotline", "helpline", "linea_gratuita", "linea_de_ayuda", "linea_directa",
                        "linea_de_emergencia", "numero_gratuito"});
        add("whatsapp", {"whatsapp", "whats_app", "numero_whatsapp"});
        add("email", {"email", "correo", "e_mail", "correo_electronico", "mail"});
        add("url", {"url", "website", "web", "sitio_web", "pagina_web", "website_url"});
        // Contacts of people rather than desks (the export's personal_contacts, shapefile pers_cont):
        // "phone: +502 5500 0456; email: ..." (docs/import.md). Never public.
        add("personal_contacts", {"personal_contacts", "pers_cont", "contactos_personales"});
        add("hours", {"hours", "opening_hours", "horario", "horarios", "horario_de_atencion", "horario_atencion",
                      "horas_de_atencion", "heures_d_ouverture"});
        add("timezone", {"timezone", "time_zone", "zona_horaria", "tz"});
        add("status", {"status", "estatus", "situacion", "estado_servicio"});
        add("languages", {"languages", "language", "idiomas", "idioma", "lenguas"});
        add("populations",
            {"populations", "population", "poblacion", "poblaciones", "poblacion_meta", "target_population"});
        add("age_min", {"age_min", "edad_min", "edad_minima", "minimum_age", "min_age"});
        add("age_max", {"age_max", "edad_max", "edad_maxima", "maximum_age", "max_age"});
        add("last_verified",
            {"last_verified", "verificado", "fecha_verificacion", "assured_date", "verified", "ultima_verificacion"});
        add("gender", {"gender", "genero", "sexo"});
        add("cost", {"cost", "costo", "fees", "coste"});
        add("referral_required", {"referral_required", "referral", "requires_referral", "requiere_referencia",
                                  "requiere_derivacion", "requiere_referido"});
        add("capacity", {"capacity", "capacidad", "cupo", "cupos", "plazas"});
        // Plain "visibility" is not recognised here: KML's own "visibility" column means something
        // else (shown / hidden). The export writes the record's as record_visibility in KML; the
        // mapping takes a plain one outside KML (field_mapping.cpp).
        add("visibility", {"record_visibility", "visibilidad_registro"});
        add("illustrative", {"illustrative", "illustr", "ilustrativo", "ilustrativa"});
        // Service area of a service without a site (export: area_countries / area_admin1, shapefile
        // area_ctry / area_adm1), comma-separated codes.
        add("area_countries",
            {"area_countries", "area_ctry", "service_area", "service_area_countries", "area_servicio", "area_paises"});
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

const std::unordered_map<std::string, std::string>& hxl_tag_names() {
    static const std::unordered_map<std::string, std::string> names = {
        {"#geo+lat", "lat"},
        {"#geo+lon", "lon"},
        {"#service+name", "name"},
        {"#activity+name", "type"},
        {"#service+code", "type"},
        {"#service+type", "type"},
        {"#sector+code", "type"},
        {"#activity+code", "type"},
        {"#sector", "type"},
        {"#description", "description"},
        {"#status", "status"},
        {"#country", "country"},
        {"#country+code", "country"},
        {"#country+code+v_iso2", "country"},
        {"#country+code+v_iso3", "country"},
        {"#country+name", "country"},
        {"#country+v_iso2", "country"},
        {"#country+v_iso3", "country"},
        {"#adm1+name", "admin1"},
        {"#adm1", "admin1"},
        {"#adm1+code", "admin1_code"},
        {"#adm2+name", "admin2"},
        {"#adm2", "admin2"},
        {"#adm2+code", "admin2_code"},
        {"#loc+name", "locality"},
        {"#loc", "locality"},
        {"#loc+address", "street"},
        {"#loc+postcode", "postal_code"},
        {"#loc+type", "location_precision"},
        {"#contact+email", "email"},
        {"#contact+phone", "phone"},
        {"#contact+url", "url"},
        {"#contact+hotline+phone", "hotline"},
        {"#contact+phone+whatsapp", "whatsapp"},
        {"#contact+personal", "personal_contacts"},
        {"#description+hours", "hours"},
        {"#meta+timezone", "timezone"},
        {"#beneficiary+children", "populations"},
        {"#beneficiary+age+min", "age_min"},
        {"#beneficiary+age+max", "age_max"},
        {"#beneficiary+gender", "gender"},
        {"#service+languages", "languages"},
        {"#service+cost", "cost"},
        {"#service+referral", "referral_required"},
        {"#capacity", "capacity"},
        {"#meta+visibility", "visibility"},
        {"#meta+illustrative", "illustrative"},
        {"#date+reported", "last_verified"},
        {"#date+start", "year_start"},
        {"#date+end", "year_end"},
        {"#meta+id", "id"},
        {"#org+acronym", "acronym"},
        {"#org+type", "actor_type"},
        // A service's area (the HXL export's +service_area columns): codes or names of countries,
        // admin1 codes.
        {"#country+service_area", "area_countries"},
        {"#country+code+service_area", "area_countries"},
        {"#country+code+service_area+v_iso2", "area_countries"},
        {"#country+code+service_area+v_iso3", "area_countries"},
        {"#country+name+service_area", "area_countries"},
        {"#adm1+service_area", "area_admin1"},
        {"#adm1+code+service_area", "area_admin1"},
    };
    return names;
}

const std::set<std::string>& kind_fields(RecordKind kind) {
    static const std::set<std::string> service = {"id",
                                                  "name",
                                                  "description",
                                                  "type",
                                                  "country",
                                                  "lat",
                                                  "lon",
                                                  "location_precision",
                                                  "street",
                                                  "locality",
                                                  "admin1",
                                                  "admin1_code",
                                                  "admin2",
                                                  "admin2_code",
                                                  "postal_code",
                                                  "phone",
                                                  "hotline",
                                                  "whatsapp",
                                                  "email",
                                                  "url",
                                                  "personal_contacts",
                                                  "hours",
                                                  "timezone",
                                                  "status",
                                                  "languages",
                                                  "populations",
                                                  "age_min",
                                                  "age_max",
                                                  "last_verified",
                                                  "gender",
                                                  "cost",
                                                  "referral_required",
                                                  "capacity",
                                                  "visibility",
                                                  "illustrative",
                                                  "area_countries",
                                                  "area_admin1"};
    static const std::set<std::string> actor = {"id",      "name", "description", "acronym", "actor_type",
                                                "country", "url",  "email",       "phone",   "illustrative"};
    static const std::set<std::string> practice = {"id",         "title",    "description", "country",
                                                   "year_start", "year_end", "axes",        "type",
                                                   "scope",      "email",    "populations", "illustrative"};
    return kind == RecordKind::service ? service : kind == RecordKind::actor ? actor : practice;
}

const std::unordered_map<std::string, std::string>& registry_owned_columns() {
    static const std::unordered_map<std::string, std::string> names = [] {
        const std::string timestamp = "the registry sets it at every write";
        const std::string organisation = "the service's organisation in the exporting registry "
                                         "(organisations are imported with --kind actor)";
        return std::unordered_map<std::string, std::string>{
            {"actor_id", organisation},
            {"org_id", organisation},
            {"created_at", timestamp},
            {"created", timestamp},
            {"updated_at", timestamp},
            {"updated", timestamp},
            {"source", "the record's source in the exporting registry: this import keys its rows under its own "
                       "source (--source) by the id column"},
            {"sector", "the type families, which the types column already gives"},
        };
    }();
    return names;
}

} // namespace enlace::geo::detail
