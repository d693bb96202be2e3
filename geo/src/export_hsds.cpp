// Open Referral HSDS 3.0 as a Tabular Data Package: one CSV per table plus datapackage.json, in a
// folder. Services stream page by page into every service-linked table at once; organizations
// (the actors the exported services name) and taxonomy terms are written at the end.
// Multilingual text: the HSDS column (name, description) holds the first language, and
// name_<lang> / description_<lang> extension columns hold each language.
#include "export_detail.hpp"

#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"
#include "enlace/geo/errors.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

namespace enlace::geo::detail {
namespace {

struct Field {
    std::string name, type = "string";
};

class Table {
  public:
    Table(const std::filesystem::path& folder, std::string name, std::vector<Field> fields,
          std::string description)
        : m_name(std::move(name)), m_description(std::move(description)), m_fields(std::move(fields)),
          m_path((folder / (m_name + ".csv")).string()), m_out(m_path, std::ios::binary) {
        if (!m_out) throw geo_error("cannot create '" + m_path + "'", m_path);
        std::vector<std::string> header;
        for (const auto& f : m_fields)
            header.push_back(f.name);
        write_csv_row(m_out, header);
    }

    void row(const std::vector<std::string>& values) { write_csv_row(m_out, values); }

    void close() {
        m_out.close();
        if (!m_out) throw geo_error("cannot write '" + m_path + "' (disk full?)", m_path);
    }

    const std::string& path() const { return m_path; }

    nlohmann::json resource() const {
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : m_fields)
            fields.push_back({{"name", f.name}, {"type", f.type}});
        return {{"name", m_name},
                {"path", m_name + ".csv"},
                {"profile", "tabular-data-resource"},
                {"description", m_description},
                {"format", "csv"},
                {"mediatype", "text/csv"},
                {"encoding", "utf-8"},
                {"schema", {{"fields", fields}, {"primaryKey", "id"}}}};
    }

  private:
    std::string m_name, m_description;
    std::vector<Field> m_fields;
    std::string m_path;
    std::ofstream m_out;
};

std::string first_language(const core::LocalizedText& text, const std::vector<std::string>& languages) {
    if (auto r = core::resolve(text, languages.front())) return r->text;
    return {};
}

std::string text_in(const core::LocalizedText& text, const std::string& lang) {
    const auto it = text.find(lang);
    return it == text.end() ? std::string() : it->second;
}

std::vector<Field> with_languages(std::vector<Field> fields, const std::vector<std::string>& bases,
                                  const std::vector<std::string>& languages) {
    for (const auto& base : bases)
        for (const auto& lang : languages)
            fields.push_back({base + "_" + lang});
    return fields;
}

std::string hsds_status(core::ServiceStatus status) {
    return status == core::ServiceStatus::temporarily_closed ? "temporarily closed"
                                                             : std::string(core::to_string(status));
}

std::string first_contact(const core::Service& s, core::ContactKind kind) {
    for (const auto& c : s.contacts)
        if (c.kind == kind) return c.value;
    return {};
}

std::string number(const std::optional<int>& v) {
    return v ? std::to_string(*v) : std::string();
}

} // namespace

ExportSummary write_hsds(const core::Registry& registry, const std::string& folder_text,
                         const ExportOptions& options) {
    const std::filesystem::path folder(folder_text);
    const auto& langs = options.languages;
    Table services(folder, "services",
                   with_languages({{"id"},
                                   {"organization_id"},
                                   {"name"},
                                   {"description"},
                                   {"url"},
                                   {"email"},
                                   {"status"},
                                   {"minimum_age", "integer"},
                                   {"maximum_age", "integer"},
                                   {"assured_date", "date"},
                                   {"last_modified"},
                                   {"x_types"},
                                   {"x_country"},
                                   {"x_populations"}},
                                  {"name", "description"}, langs),
                   "Services (name and description in the first export language; name_<lang>, "
                   "description_<lang> per language)");
    Table locations(folder, "locations",
                    {{"id"},
                     {"location_type"},
                     {"name"},
                     {"latitude", "number"},
                     {"longitude", "number"},
                     {"x_location_precision"}},
                    "Physical sites (public, coarsened point unless exported with restricted data)");
    Table service_at_location(folder, "service_at_location", {{"id"}, {"service_id"}, {"location_id"}},
                              "Services at locations");
    Table addresses(folder, "addresses",
                    {{"id"},
                     {"location_id"},
                     {"address_1"},
                     {"city"},
                     {"region"},
                     {"state_province"},
                     {"postal_code"},
                     {"country"},
                     {"address_type"}},
                    "Addresses of locations (no street for sensitive sites in public exports)");
    Table phones(folder, "phones", {{"id"}, {"service_id"}, {"number"}, {"type"}, {"description"}},
                 "Phone numbers");
    Table schedules(folder, "schedules",
                    {{"id"},
                     {"service_id"},
                     {"freq"},
                     {"byday"},
                     {"opens_at"},
                     {"closes_at"},
                     {"timezone"},
                     {"description"}},
                    "Weekly opening shifts (freq WEEKLY); 24/7 services have one row described as such");
    Table languages(folder, "languages", {{"id"}, {"service_id"}, {"code"}}, "Languages spoken (BCP 47)");
    Table service_areas(folder, "service_areas",
                        {{"id"}, {"service_id"}, {"name"}, {"extent"}, {"extent_type"}},
                        "Areas served by services without a site (countries, admin1 codes)");
    Table attributes(folder, "attributes",
                     {{"id"}, {"link_id"}, {"link_type"}, {"link_entity"}, {"taxonomy_term_id"}},
                     "Service types: links from services to taxonomy terms");

    std::set<std::int64_t> actor_ids; // bounded by the number of actors, not services
    ExportSummary summary;
    summary.records = for_each_service(registry, options.services, [&](const core::Service& s) {
        const auto id = std::to_string(s.id);
        if (s.actor_id) actor_ids.insert(*s.actor_id);
        std::vector<std::string> row{id,
                                     s.actor_id ? std::to_string(*s.actor_id) : "",
                                     first_language(s.name, langs),
                                     first_language(s.description, langs),
                                     first_contact(s, core::ContactKind::url),
                                     first_contact(s, core::ContactKind::email),
                                     hsds_status(s.status),
                                     number(s.age.min),
                                     number(s.age.max),
                                     s.last_verified,
                                     s.updated_at,
                                     joined(s.types),
                                     s.country,
                                     joined(s.populations)};
        for (const auto& lang : langs)
            row.push_back(text_in(s.name, lang));
        for (const auto& lang : langs)
            row.push_back(text_in(s.description, lang));
        services.row(row);

        if (s.site) {
            locations.row({id, "physical", s.address.locality, cell_text(Cell{s.site->point.lat}),
                           cell_text(Cell{s.site->point.lon}),
                           std::string(core::to_string(s.site->precision))});
            service_at_location.row({id, id, id});
            addresses.row({id, id, s.address.street, s.address.locality, s.address.admin2_name,
                           s.address.admin1_name, s.address.postal_code, s.country, "physical"});
        }
        int n = 0;
        for (const auto& c : s.contacts) {
            if (c.kind != core::ContactKind::phone && c.kind != core::ContactKind::hotline &&
                c.kind != core::ContactKind::whatsapp)
                continue;
            phones.row({id + "-" + std::to_string(++n), id, c.value,
                        c.kind == core::ContactKind::whatsapp ? "cell" : "voice",
                        std::string(core::to_string(c.kind))});
        }
        if (s.hours) {
            n = 0;
            if (s.hours->always_open)
                schedules.row({id + "-1", id, "WEEKLY", "MO,TU,WE,TH,FR,SA,SU", "00:00", "24:00",
                               s.hours->timezone, "24/7"});
            for (const auto& shift : s.hours->weekly) {
                std::vector<std::string> days;
                for (int d = 0; d < 7; ++d)
                    if (shift.days & (1u << d)) {
                        std::string code(core::weekday_code(d));
                        for (auto& ch : code)
                            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                        days.push_back(code);
                    }
                schedules.row({id + "-" + std::to_string(++n + (s.hours->always_open ? 1 : 0)), id, "WEEKLY",
                               joined(days), core::format_clock(shift.opens),
                               core::format_clock(shift.closes), s.hours->timezone, ""});
            }
        }
        n = 0;
        for (const auto& lang : s.languages)
            languages.row({id + "-" + std::to_string(++n), id, lang});
        n = 0;
        for (const auto& c : s.area.countries)
            service_areas.row({id + "-" + std::to_string(++n), id, c, c, "country"});
        for (const auto& a : s.area.admin1)
            service_areas.row({id + "-" + std::to_string(++n), id, a, a, "admin1"});
        n = 0;
        for (const auto& t : s.types)
            attributes.row({id + "-" + std::to_string(++n), id, "service", "service", t});
    });

    Table organizations(folder, "organizations",
                        with_languages({{"id"},
                                        {"name"},
                                        {"alternate_name"},
                                        {"description"},
                                        {"email"},
                                        {"website"},
                                        {"x_actor_type"},
                                        {"x_countries"}},
                                       {"name", "description"}, langs),
                        "Organizations (actors) offering the exported services");
    for (const auto actor_id : actor_ids) {
        const auto a = registry.actor(actor_id);
        if (!a) continue;
        std::vector<std::string> row{std::to_string(a->id),
                                     first_language(a->name, langs),
                                     a->acronym,
                                     first_language(a->description, langs),
                                     a->email,
                                     a->website,
                                     a->actor_type,
                                     joined(a->countries)};
        for (const auto& lang : langs)
            row.push_back(text_in(a->name, lang));
        for (const auto& lang : langs)
            row.push_back(text_in(a->description, lang));
        organizations.row(row);
    }
    Table taxonomy_terms(
        folder, "taxonomy_terms",
        with_languages({{"id"}, {"code"}, {"name"}, {"parent_id"}, {"taxonomy"}}, {"name"}, langs),
        "The Enlace service taxonomy (attributes.taxonomy_term_id refers to id)");
    for (const auto& term : registry.reference().terms()) {
        std::vector<std::string> row{term.code, term.code, first_language(term.labels, langs), term.parent,
                                     "enlace"};
        for (const auto& lang : langs)
            row.push_back(text_in(term.labels, lang));
        taxonomy_terms.row(row);
    }

    std::vector<Table*> tables{&organizations, &services,       &locations, &service_at_location,
                               &addresses,     &phones,         &schedules, &languages,
                               &service_areas, &taxonomy_terms, &attributes};
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
                           {"resources", resources}};
    const auto package_path = (folder / "datapackage.json").string();
    std::ofstream out(package_path, std::ios::binary);
    out << package.dump(2) << '\n';
    out.close();
    if (!out) throw geo_error("cannot write '" + package_path + "'", package_path);
    summary.files.insert(summary.files.begin(), package_path);
    return summary;
}

} // namespace enlace::geo::detail
