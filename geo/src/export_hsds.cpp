// Open Referral HSDS 3.0 as a Tabular Data Package: one CSV per table plus datapackage.json, in a
// folder. Tables are named and placed as HSDS names them (resource `service`, file services.csv),
// every id is a version-5 UUID derived from the registry's own id ("service/12"), so re-exports
// keep their ids, and the registry's id stays in x_id. Services stream page by page into every
// service-linked table at once; organizations (the actors the exported services name), the
// taxonomy and the taxonomy terms the services use are written at the end.
// Multilingual text: the HSDS column (name, description) holds the first language, and
// name_<lang> / description_<lang> extension columns hold each language. docs/export.md has every
// decision (schedules, service areas, addresses, required fields the registry lacks).
#include "export_detail.hpp"
#include "hsds_schedules.hpp"
#include "hsds_tables.hpp"
#include "hsds_uuid.hpp"
#include "hsds_values.hpp"

#include "enlace/core/hours.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"
#include "enlace/geo/errors.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace enlace::geo::detail {
namespace {

using namespace hsds;

/// The tables each exported service writes rows into, in HSDS's order.
struct ServiceTables {
    ServiceTables(const std::filesystem::path& folder, const std::vector<std::string>& langs);
    Table services, attributes, service_at_location, locations, phones, addresses, schedules, service_areas, languages;
};

ServiceTables::ServiceTables(const std::filesystem::path& folder, const std::vector<std::string>& langs)
    : services(folder, "service", "services.csv",
               with_languages({id_field(), formatted("organization_id", "uuid", true), text("name", true),
                               text("description"), formatted("url", "uri"), formatted("email", "email"),
                               one_of("status", {"active", "inactive", "defunct", "temporarily closed"}, true),
                               typed("minimum_age", "number"), typed("maximum_age", "number"),
                               typed("assured_date", "date"), typed("last_modified", "datetime"),
                               typed("x_id", "integer"), text("x_source"), text("x_source_id"), text("x_types"),
                               text("x_country"), text("x_populations"), text("x_url_text"), text("x_email_text")},
                              {"name", "description"}, langs),
               {{"organization_id", "organization"}},
               "Services (name and description in the first export language; name_<lang>, "
               "description_<lang> per language; x_id is the registry's id)"),
      attributes(folder, "attribute", "attributes.csv",
                 {id_field(), formatted("link_id", "uuid", true), formatted("taxonomy_term_id", "uuid", true),
                  text("link_type"), text("link_entity", true)},
                 {{"taxonomy_term_id", "taxonomy_term"}}, "Service types: links from services to taxonomy terms"),
      service_at_location(folder, "service_at_location", "service_at_location.csv",
                          {id_field(), formatted("service_id", "uuid", true), formatted("location_id", "uuid", true)},
                          {{"service_id", "service"}, {"location_id", "location"}}, "Services at locations"),
      locations(folder, "location", "locations.csv",
                {id_field(), one_of("location_type", {"physical", "postal", "virtual"}, true),
                 formatted("organization_id", "uuid"), text("name"), text("description"), typed("latitude", "number"),
                 typed("longitude", "number"), text("x_location_precision"), text("x_address_1"), text("x_city"),
                 text("x_region"), text("x_admin2_code"), text("x_state_province"), text("x_admin1_code"),
                 text("x_postal_code"), text("x_country")},
                {{"organization_id", "organization"}},
                "Sites of services (the public, coarsened point of sensitive sites unless exported with "
                "restricted data); the known parts of the address in description and x_ columns"),
      phones(folder, "phone", "phones.csv",
             {id_field(), formatted("service_id", "uuid"), text("number", true), text("type"), text("description"),
              text("x_kind")},
             {{"service_id", "service"}}, "Phone numbers, hotlines and WhatsApp numbers of services"),
      addresses(folder, "address", "addresses.csv",
                {id_field(), formatted("location_id", "uuid"), text("address_1", true), text("city", true),
                 text("region"), text("state_province", true), text("postal_code", true), text("country", true),
                 one_of("address_type", {"physical", "postal", "virtual"}, true)},
                {{"location_id", "location"}},
                "Complete addresses of locations (street, city, state or province, postal code, country); "
                "never the street of a sensitive site in a public export"),
      schedules(folder, "schedule", "schedules.csv",
                {id_field(), formatted("service_id", "uuid"), typed("valid_to", "date"), typed("timezone", "number"),
                 one_of("freq", {"WEEKLY", "MONTHLY"}), text("byday"), text("description"), typed("opens_at", "time"),
                 typed("closes_at", "time"), text("notes"), text("x_timezone"), text("x_closures")},
                {{"service_id", "service"}},
                "Weekly opening hours in local time; timezone is the UTC offset (hours) on the export date, "
                "x_timezone the IANA zone"),
      service_areas(folder, "service_area", "service_areas.csv",
                    with_languages({id_field(), formatted("service_id", "uuid"), text("name"), text("extent"),
                                    text("extent_type"), text("x_area_type"), text("x_area_code")},
                                   {"name"}, langs),
                    {{"service_id", "service"}},
                    "Areas served: countries with their outline (GeoJSON), admin1 areas by code"),
      languages(folder, "language", "languages.csv",
                {id_field(), formatted("service_id", "uuid"), text("code"), text("x_language_tag")},
                {{"service_id", "service"}}, "Languages spoken (ISO 639 code; x_language_tag the BCP 47 tag)") {}

/// Writes each exported service's rows into the service tables, and keeps what the tables written
/// at the end need: the actors the services name and the taxonomy terms they use.
class ServiceRows {
  public:
    ServiceRows(const core::Registry& registry, ServiceTables& tables, const ExportOptions& options)
        : m_registry(registry), m_reference(registry.reference()), m_tables(tables), m_langs(options.languages),
          m_as_of(options.as_of ? *options.as_of
                                : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())) {}

    void write(const core::ServiceView& view);

    /// Actors named by the exported services, looked up once each (null: not readable).
    std::map<std::int64_t, std::optional<core::Actor>> actors;
    /// Whether a service names no actor, so that the placeholder organization is written.
    bool placeholder_needed = false;
    std::set<std::string> used_terms;

    static const std::string& placeholder_id() {
        static const std::string id = hsds_id("organization/none");
        return id;
    }

  private:
    /// The organization a service names; empty when it names none the reader may see.
    std::string organization_of(const core::ServiceFields& s);
    void write_site(const core::ServiceFields& s, const core::PublicSite& site, const std::string& organization_id);
    void write_phones(const core::ServiceFields& s);
    void write_schedules(const core::ServiceFields& s);
    void write_languages(const core::ServiceFields& s);
    void write_areas(const core::ServiceFields& s);
    void write_types(const core::ServiceFields& s);

    const core::Registry& m_registry;
    const core::ReferenceData& m_reference;
    ServiceTables& m_tables;
    const std::vector<std::string>& m_langs;
    core::instant m_as_of;
    std::map<std::string, ZoneInfo> m_zones;
    std::map<std::string, std::string> m_outlines; // country -> its outline as GeoJSON text
    ChildIds m_child;
    std::string m_id, m_service_id; // of the service being written
};

std::string ServiceRows::organization_of(const core::ServiceFields& s) {
    if (!s.actor_id) return {};
    auto it = actors.find(*s.actor_id);
    if (it == actors.end()) it = actors.emplace(*s.actor_id, m_registry.actor(*s.actor_id)).first;
    return it->second ? hsds_id("organization/" + std::to_string(*s.actor_id)) : std::string();
}

void ServiceRows::write(const core::ServiceView& view) {
    const core::ServiceFields& s = view.fields();
    m_id = std::to_string(s.id);
    m_service_id = hsds_id("service/" + m_id);
    m_child.clear();

    const auto organization_id = organization_of(s);
    if (organization_id.empty()) placeholder_needed = true; // HSDS requires every service to name one

    Row service(m_tables.services);
    service.set("id", m_service_id)
        .set("organization_id", organization_id.empty() ? placeholder_id() : organization_id)
        .set("name", first_language(s.name, m_langs))
        .set("description", first_language(s.description, m_langs))
        .set("status", hsds_status(s.status))
        .set("minimum_age", number(s.age.min))
        .set("maximum_age", number(s.age.max))
        .set("assured_date", core::valid_date(s.last_verified) ? s.last_verified : "")
        .set("last_modified", core::parse_rfc3339(s.updated_at) ? s.updated_at : "")
        .set("x_id", m_id)
        .set("x_source", s.source)
        .set("x_source_id", s.source_id)
        .set("x_types", join_list(s.types))
        .set("x_country", s.country)
        .set("x_populations", join_list(s.populations));
    set_checked(service, "url", first_contact(s, core::ContactKind::url), false);
    set_checked(service, "email", first_contact(s, core::ContactKind::email), true);
    set_languages(service, "name", s.name, m_langs);
    set_languages(service, "description", s.description, m_langs);
    service.write();

    if (const auto site = view.site()) write_site(s, *site, organization_id);
    write_phones(s);
    write_schedules(s);
    write_languages(s);
    write_areas(s);
    write_types(s);
}

void ServiceRows::write_site(const core::ServiceFields& s, const core::PublicSite& site,
                             const std::string& organization_id) {
    const auto location_id = hsds_id("location/" + m_id);
    const auto* country = m_reference.country(s.country);
    const auto country_name = country ? first_language(country->names, m_langs) : s.country;
    const auto& a = s.address;
    Row(m_tables.locations)
        .set("id", location_id)
        .set("location_type", "physical")
        .set("organization_id", organization_id)
        .set("name", a.locality)
        .set("description",
             joined_non_empty({a.street, a.locality, a.admin2_name, a.admin1_name, a.postal_code, country_name}, ", "))
        .set("latitude", cell_text(Cell{site.point.lat}))
        .set("longitude", cell_text(Cell{site.point.lon}))
        .set("x_location_precision", std::string(core::to_string(site.precision)))
        .set("x_address_1", a.street)
        .set("x_city", a.locality)
        .set("x_region", a.admin2_name)
        .set("x_admin2_code", a.admin2_code)
        .set("x_state_province", a.admin1_name)
        .set("x_admin1_code", a.admin1_code)
        .set("x_postal_code", a.postal_code)
        .set("x_country", s.country)
        .write();
    Row(m_tables.service_at_location)
        .set("id", hsds_id("service_at_location/" + m_id))
        .set("service_id", m_service_id)
        .set("location_id", location_id)
        .write();
    // HSDS requires every part of an address: a site lacking one (or a sensitive site in a
    // public export, which carries no street) has none, and its known parts stay above.
    if (a.street.empty() || a.locality.empty() || a.admin1_name.empty() || a.postal_code.empty() || s.country.empty())
        return;
    Row(m_tables.addresses)
        .set("id", hsds_id("address/" + m_id))
        .set("location_id", location_id)
        .set("address_1", a.street)
        .set("city", a.locality)
        .set("region", a.admin2_name)
        .set("state_province", a.admin1_name)
        .set("postal_code", a.postal_code)
        .set("country", s.country)
        .set("address_type", "physical")
        .write();
}

void ServiceRows::write_phones(const core::ServiceFields& s) {
    for (const auto& c : s.contacts) {
        if (c.kind != core::ContactKind::phone && c.kind != core::ContactKind::hotline &&
            c.kind != core::ContactKind::whatsapp)
            continue;
        const std::string kind(core::to_string(c.kind));
        Row(m_tables.phones)
            .set("id", m_child("phone/" + m_id + "/" + kind + "/" + c.value))
            .set("service_id", m_service_id)
            .set("number", c.value)
            .set("type", c.kind == core::ContactKind::whatsapp ? "cell" : "voice")
            .set("description", first_language(c.label, m_langs))
            .set("x_kind", kind)
            .write();
    }
}

void ServiceRows::write_schedules(const core::ServiceFields& s) {
    if (!s.hours) return;
    auto zone = m_zones.find(s.hours->timezone);
    if (zone == m_zones.end()) zone = m_zones.emplace(s.hours->timezone, zone_info(s.hours->timezone, m_as_of)).first;
    const auto [notes, intervals] = closures(*s.hours, m_langs);
    std::vector<ScheduleRow> rows;
    if (s.hours->always_open) rows.push_back({0x7f, 0, day_minutes, "24/7"});
    for (const auto& shift : s.hours->weekly)
        for (auto& r : schedule_rows(shift))
            rows.push_back(std::move(r));
    for (const auto& r : rows) {
        const auto days = byday(r.days), opens = hsds_time(r.opens), closes = hsds_time(r.closes);
        Row(m_tables.schedules)
            .set("id", m_child("schedule/" + m_id + "/" + days + "/" + opens + "-" + closes))
            .set("service_id", m_service_id)
            .set("valid_to", zone->second.valid_to)
            .set("timezone", zone->second.offset)
            .set("freq", "WEEKLY")
            .set("byday", days)
            .set("description", r.description)
            .set("opens_at", opens)
            .set("closes_at", closes)
            .set("notes", notes)
            .set("x_timezone", s.hours->timezone)
            .set("x_closures", intervals)
            .write();
    }
}

void ServiceRows::write_languages(const core::ServiceFields& s) {
    for (const auto& tag : s.languages)
        Row(m_tables.languages)
            .set("id", m_child("language/" + m_id + "/" + tag))
            .set("service_id", m_service_id)
            .set("code", language_code(tag))
            .set("x_language_tag", tag)
            .write();
}

void ServiceRows::write_areas(const core::ServiceFields& s) {
    for (const auto& code : s.area.countries) {
        Row area(m_tables.service_areas);
        area.set("id", m_child("service_area/" + m_id + "/country/" + code))
            .set("service_id", m_service_id)
            .set("x_area_type", "country")
            .set("x_area_code", code);
        if (const auto* country = m_reference.country(code)) {
            area.set("name", first_language(country->names, m_langs));
            set_languages(area, "name", country->names, m_langs);
            if (!country->outline.empty()) {
                auto it = m_outlines.find(code);
                if (it == m_outlines.end())
                    it = m_outlines.emplace(code, core::to_geojson(country->outline).dump()).first;
                area.set("extent", it->second).set("extent_type", "geojson");
            }
        } else {
            area.set("name", code);
        }
        area.write();
    }
    for (const auto& code : s.area.admin1)
        Row(m_tables.service_areas)
            .set("id", m_child("service_area/" + m_id + "/admin1/" + code))
            .set("service_id", m_service_id)
            .set("name", code)
            .set("x_area_type", "admin1")
            .set("x_area_code", code)
            .write();
}

void ServiceRows::write_types(const core::ServiceFields& s) {
    for (const auto& t : s.types) {
        if (!m_reference.term(t)) continue; // the core refuses unknown types; never a dangling link
        used_terms.insert(t);
        Row(m_tables.attributes)
            .set("id", m_child("attribute/" + m_id + "/" + t))
            .set("link_id", m_service_id)
            .set("taxonomy_term_id", hsds_id("taxonomy_term/enlace/" + t))
            .set("link_type", "service_type")
            .set("link_entity", "service")
            .write();
    }
}

/// HSDS requires an organization's description: where the actor has none, what the registry
/// knows of it, its type and countries.
std::string organization_description(const core::Actor& a, const core::ReferenceData& reference,
                                     const std::vector<std::string>& langs) {
    auto description = first_language(a.description, langs);
    if (!description.empty()) return description;
    std::string type = a.actor_type;
    for (const auto& label : reference.actor_types())
        if (label.code == a.actor_type) type = first_language(label.labels, langs);
    std::vector<std::string> countries;
    for (const auto& c : a.countries) {
        const auto* country = reference.country(c);
        countries.push_back(country ? first_language(country->names, langs) : c);
    }
    description = joined_non_empty({type, join_list(countries, ", ")}, " – ");
    return description.empty() ? first_language(a.name, langs) : description;
}

/// The organizations the exported services name, and the placeholder for services naming none.
void write_organizations(Table& organizations, const ServiceRows& rows, const core::ReferenceData& reference,
                         const std::vector<std::string>& langs) {
    for (const auto& [actor_id, actor] : rows.actors) {
        if (!actor) continue;
        const auto& a = *actor;
        Row row(organizations);
        row.set("id", hsds_id("organization/" + std::to_string(actor_id)))
            .set("name", first_language(a.name, langs))
            .set("alternate_name", a.acronym)
            .set("description", organization_description(a, reference, langs))
            .set("x_id", std::to_string(actor_id))
            .set("x_actor_type", a.actor_type)
            .set("x_countries", join_list(a.countries));
        set_checked(row, "email", a.email, true);
        set_checked(row, "website", a.website, false);
        set_languages(row, "name", a.name, langs);
        set_languages(row, "description", a.description, langs);
        row.write();
    }
    if (!rows.placeholder_needed) return;
    Row row(organizations);
    row.set("id", ServiceRows::placeholder_id())
        .set("name", own_text(placeholder_name, langs.front()))
        .set("description", own_text(placeholder_description, langs.front()));
    for (const auto& lang : langs)
        if (placeholder_name.contains(lang))
            row.set("name_" + lang, placeholder_name.at(lang))
                .set("description_" + lang, placeholder_description.at(lang));
    row.write();
}

void write_taxonomy(Table& taxonomies, const std::string& taxonomy_id, const std::vector<std::string>& langs) {
    Row row(taxonomies);
    row.set("id", taxonomy_id).set("name", "Enlace").set("description", own_text(taxonomy_description, langs.front()));
    for (const auto& lang : langs)
        if (taxonomy_description.contains(lang)) row.set("description_" + lang, taxonomy_description.at(lang));
    row.write();
}

/// A term's description, from the taxonomy's labels in one language: a family lists its types,
/// a type names its family. `exact`: in that language only (empty when it has no label in it).
std::string term_description(const core::TaxonomyTerm& term, const core::ReferenceData& reference,
                             const std::string& lang, bool exact) {
    const auto label = [&](const core::LocalizedText& labels) {
        return exact ? text_in(labels, lang) : first_language(labels, {lang});
    };
    const auto own = label(term.labels);
    if (own.empty()) return {};
    if (!term.parent.empty()) {
        const auto* parent = reference.term(term.parent);
        const auto family = parent ? label(parent->labels) : std::string();
        return family.empty() ? own : own + " (" + family + ")";
    }
    std::vector<std::string> children;
    for (const auto& t : reference.terms())
        if (t.parent == term.code) children.push_back(label(t.labels));
    return children.empty() ? own : own + ": " + joined_non_empty(children, "; ");
}

/// The terms the services use and their families (HSDS: no unused terms in a package).
void write_taxonomy_terms(Table& taxonomy_terms, const std::set<std::string>& used_terms,
                          const std::string& taxonomy_id, const core::ReferenceData& reference,
                          const std::vector<std::string>& langs) {
    std::set<std::string> terms = used_terms;
    for (const auto& code : used_terms)
        if (const auto* term = reference.term(code); term && !term->parent.empty()) terms.insert(term->parent);
    for (const auto& term : reference.terms()) {
        if (!terms.contains(term.code)) continue;
        const auto name = core::resolve(term.labels, langs.front());
        Row row(taxonomy_terms);
        row.set("id", hsds_id("taxonomy_term/enlace/" + term.code))
            .set("code", term.code)
            .set("name", name ? name->text : term.code)
            .set("description", term_description(term, reference, langs.front(), false))
            .set("parent_id", term.parent.empty() ? "" : hsds_id("taxonomy_term/enlace/" + term.parent))
            .set("taxonomy", "Enlace")
            .set("language", name ? name->language : "")
            .set("taxonomy_id", taxonomy_id)
            .set("x_sensitive", term.sensitive ? "true" : "false");
        set_languages(row, "name", term.labels, langs);
        for (const auto& lang : langs)
            row.set("description_" + lang, term_description(term, reference, lang, true));
        row.write();
    }
}

/// Closes the tables and writes datapackage.json, which describes them; the files go into the
/// summary, the package first.
void write_package(const std::filesystem::path& folder, const std::vector<Table*>& tables, const ExportOptions& options,
                   ExportSummary& summary) {
    nlohmann::json resources = nlohmann::json::array();
    for (auto* t : tables) {
        t->close();
        resources.push_back(t->resource());
        summary.files.push_back(t->path());
    }
    nlohmann::json package{{"name", "enlace-hsds"},
                           {"title", "Enlace services as Open Referral HSDS 3.0 tables"},
                           {"profile", "tabular-data-package"},
                           {"x_hsds_version", "3.0"},
                           {"x_audience", options.services.audience == core::Audience::authorised
                                              ? "authorised (restricted data: not for publication)"
                                              : "public"},
                           {"resources", resources}};
    const auto package_path = (folder / "datapackage.json").string();
    std::ofstream out(package_path, std::ios::binary);
    out << package.dump(2) << '\n';
    out.close();
    if (!out) throw geo_error("cannot write '" + package_path + "'", package_path);
    summary.files.insert(summary.files.begin(), package_path);
}

} // namespace

ExportSummary write_hsds(const core::Registry& registry, const std::string& folder_text, const ExportOptions& options) {
    const std::filesystem::path folder(folder_text);
    const auto& langs = options.languages;
    const auto& reference = registry.reference();

    ServiceTables tables(folder, langs);
    ServiceRows rows(registry, tables, options);
    ExportSummary summary;
    summary.records =
        for_each_service(registry, options.services, [&](const core::ServiceView& view) { rows.write(view); });

    Table organizations(
        folder, "organization", "organizations.csv",
        with_languages({id_field(), text("name", true), text("alternate_name"), text("description", true),
                        formatted("email", "email"), formatted("website", "uri"), typed("x_id", "integer"),
                        text("x_actor_type"), text("x_countries"), text("x_email_text"), text("x_website_text")},
                       {"name", "description"}, langs),
        {}, "Organizations (actors) offering the exported services; x_id is the registry's id");
    write_organizations(organizations, rows, reference, langs);

    const auto taxonomy_id = hsds_id("taxonomy/enlace");
    Table taxonomies(
        folder, "taxonomy", "taxonomies.csv",
        with_languages({id_field(), text("name", true), text("description", true)}, {"description"}, langs), {},
        "The Enlace service taxonomy");
    write_taxonomy(taxonomies, taxonomy_id, langs);

    Table taxonomy_terms(folder, "taxonomy_term", "taxonomy_terms.csv",
                         with_languages({id_field(),
                                         {"code", "string", {}, false, true, {}},
                                         text("name", true),
                                         text("description", true),
                                         formatted("parent_id", "uuid"),
                                         text("taxonomy"),
                                         text("language"),
                                         formatted("taxonomy_id", "uuid"),
                                         typed("x_sensitive", "boolean")},
                                        {"name", "description"}, langs),
                         {{"taxonomy_id", "taxonomy"}},
                         "The terms of the Enlace taxonomy the exported services use, with their families "
                         "(attribute.taxonomy_term_id refers to id)");
    write_taxonomy_terms(taxonomy_terms, rows.used_terms, taxonomy_id, reference, langs);

    // In HSDS's order of tables.
    write_package(folder,
                  {&organizations, &tables.services, &tables.attributes, &tables.service_at_location, &tables.locations,
                   &tables.phones, &tables.addresses, &tables.schedules, &tables.service_areas, &tables.languages,
                   &taxonomy_terms, &taxonomies},
                  options, summary);
    return summary;
}

} // namespace enlace::geo::detail
