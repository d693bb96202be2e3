// Writing and reading services: the record as JSON plus the columns, link tables, R*Trees and
// full-text rows that queries use, all in the caller's transaction.
#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/validation.hpp"
#include "enlace/core/vocabulary.hpp"
#include "registry_impl.hpp"
#include "stored_service.hpp"
#include "text_search.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <utility>

namespace enlace::core {
namespace {

/// The stored document: the record without what the store owns (id, timestamps, public point).
std::string stored_doc(const Service& s) {
    ServiceJsonForm form;
    form.stored = true;
    return to_json_text(s, form);
}

std::string joined(const LocalizedText& text) {
    std::string out;
    for (const auto& [language, value] : text) out += value + "\n";
    return out;
}

/// What the public may see of a service: the coarsened place instead of the site, no street
/// address for a sensitive site, no personal contacts.
void redact_for_public(Service& s) {
    s.public_view = true;
    if (s.site && s.public_point) {
        if (s.coarsened) {
            s.site = Site{*s.public_point, LocationPrecision::approximate};
            s.address.street.clear();
            s.address.postal_code.clear();
        }
    }
    std::erase_if(s.contacts, [](const Contact& c) { return c.personal; });
}

void resolve_actor(Registry::Impl& impl, Service& s, std::vector<validation_issue>& issues) {
    if (!s.actor_id && s.actor_key) {
        s.actor_id = impl.find_id("actors", *s.actor_key);
        if (!s.actor_id)
            issues.push_back({"actor", "unknown actor '" + s.actor_key->source + ":" + s.actor_key->source_id + "'"});
    } else if (s.actor_id) {
        auto& stmt = impl.prepare("SELECT 1 FROM actors WHERE id = ?");
        stmt.bind(1, *s.actor_id);
        if (!stmt.step()) issues.push_back({"actor_id", "no actor with id " + std::to_string(*s.actor_id)});
    }
    s.actor_key.reset();
}

/// Exact and public point of a service with a site: what its R*Tree rows hold.
using SitePoints = std::optional<std::pair<GeoPoint, GeoPoint>>;

void run_with_id(Registry::Impl& impl, const char* sql, std::int64_t id) {
    auto& stmt = impl.prepare(sql);
    stmt.bind(1, id);
    stmt.run();
}

void clear_sites(Registry::Impl& impl, std::int64_t id) {
    run_with_id(impl, "DELETE FROM service_public_sites WHERE id = ?", id);
    run_with_id(impl, "DELETE FROM service_exact_sites WHERE id = ?", id);
}

/// The stored version a write replaces: its document, creation time and R*Tree points.
struct Previous {
    bool exists = false;
    std::string doc, created_at, country;
    std::optional<std::int64_t> actor_id;
    SitePoints sites;  // exact and public point, or none
};

Previous read_previous(Registry::Impl& impl, std::int64_t id) {
    auto& stmt = impl.prepare(
        "SELECT doc, created_at, lon, lat, public_lon, public_lat, country, actor_id FROM services WHERE id = ?");
    stmt.bind(1, id);
    stmt.step();
    Previous previous{true, stmt.column_text(0), stmt.column_text(1), stmt.column_text(6), stmt.column_optional_int(7),
                      std::nullopt};
    if (!stmt.is_null(2))
        previous.sites = std::pair{GeoPoint{stmt.column_double(2), stmt.column_double(3)},
                                   GeoPoint{stmt.column_double(4), stmt.column_double(5)}};
    stmt.reset();
    return previous;
}

/// The R*Tree rows of a service: its exact and public points, when it has a site.
SitePoints sites_of(const Service& s) {
    if (!s.site || !s.public_point) return std::nullopt;
    return std::pair{s.site->point, *s.public_point};
}

void insert_values(Registry::Impl& impl, const char* sql, std::int64_t id, const std::vector<std::string>& values) {
    for (const auto& value : values) {
        auto& stmt = impl.prepare(sql);
        stmt.bind(1, id).bind(2, value);
        stmt.run();
    }
}

void insert_sites(Registry::Impl& impl, std::int64_t id, const SitePoints& sites) {
    if (!sites) return;
    // In a batch the rows wait for its end (or its next read), to be written in bulk.
    if (impl.in_batch) {
        impl.pending_sites.add(id);
        return;
    }
    auto site = [&](const char* sql, const GeoPoint& p) {
        auto& stmt = impl.prepare(sql);
        stmt.bind(1, id).bind(2, p.lon).bind(3, p.lon).bind(4, p.lat).bind(5, p.lat);
        stmt.run();
    };
    site("INSERT INTO service_public_sites (id, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)",
         sites->second);
    site("INSERT INTO service_exact_sites (id, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)",
         sites->first);
}

/// What the full-text index holds for a service: its names, descriptions and place (street
/// addresses are left out: a sensitive site's street must not be findable). The index keeps no
/// copy of it, so replacing a row means handing back exactly what was inserted, computed again
/// from the stored record it replaces: keep this a function of the record alone, and rebuild
/// service_text in a migration whenever it changes.
std::array<std::string, 3> search_text(const Service& s) {
    return {joined(s.name), joined(s.description),
            s.address.locality + "\n" + s.address.admin1_name + "\n" + s.address.admin2_name};
}

void write_text_row(Registry::Impl& impl, std::int64_t id, const std::array<std::string, 3>& text, bool remove) {
    auto& stmt = impl.prepare(remove ? "INSERT INTO service_text (service_text, rowid, name, description, place) "
                                       "VALUES ('delete', ?, ?, ?, ?)"
                                     : "INSERT INTO service_text (rowid, name, description, place) VALUES (?, ?, ?, ?)");
    stmt.bind(1, id).bind_view(2, text[0]).bind_view(3, text[1]).bind_view(4, text[2]);
    stmt.run();
}

/// The link tables, R*Trees and full text of a service. A created service has a new id, which
/// nothing refers to yet (services are never deleted): nothing to clear. An update rewrites only
/// what changed: each list's link rows, the R*Tree rows when a point moved, the text row when its
/// text changed (a re-import mostly changes none of them).
void write_links(Registry::Impl& impl, const Service& s, const Previous& previous) {
    const std::int64_t id = s.id;
    const std::optional<Service> before =
        previous.exists ? std::optional{detail::decode_stored_service(previous.doc)} : std::nullopt;
    auto replace = [&](const char* clear, const char* insert, const std::vector<std::string>& values,
                       const std::vector<std::string>* old_values) {
        if (old_values && *old_values == values) return;
        if (old_values) run_with_id(impl, clear, id);
        insert_values(impl, insert, id, values);
    };
    replace("DELETE FROM service_types WHERE service_id = ?", "INSERT INTO service_types (service_id, code) VALUES (?, ?)",
            s.types, before ? &before->types : nullptr);
    replace("DELETE FROM service_populations WHERE service_id = ?",
            "INSERT INTO service_populations (service_id, population) VALUES (?, ?)", s.populations,
            before ? &before->populations : nullptr);
    replace("DELETE FROM service_languages WHERE service_id = ?",
            "INSERT INTO service_languages (service_id, language) VALUES (?, ?)", s.languages,
            before ? &before->languages : nullptr);
    replace("DELETE FROM service_area_countries WHERE service_id = ?",
            "INSERT INTO service_area_countries (service_id, country) VALUES (?, ?)", s.area.countries,
            before ? &before->area.countries : nullptr);

    const SitePoints sites = sites_of(s);
    if (!previous.exists || previous.sites != sites) {
        if (previous.exists) clear_sites(impl, id);
        insert_sites(impl, id, sites);
    }
    const auto text = search_text(s);
    if (before) {
        const auto indexed = search_text(*before);
        if (indexed == text) return;
        write_text_row(impl, id, indexed, true);
    }
    write_text_row(impl, id, text, false);
}

/// The services row: a new one, or the existing one updated in place (its created_at kept).
/// Plain statements, each free of a statement journal when it can be: an upsert needs one, and so
/// does an UPDATE that sets a foreign-key column (country, actor_id), and every statement journal
/// makes SQLite flush the full-text index's pending rows (a segment a record, which made a
/// re-import twice as slow). Those two columns are set by a statement of their own, only when
/// they change.
std::int64_t write_row(Registry::Impl& impl, const Service& s, const Previous& previous,
                       std::optional<std::int64_t> existing, const std::string& now, const std::string& doc) {
    static const std::string insert =
        "INSERT INTO services (source, source_id, actor_id, country, lon, lat, public_lon, public_lat, coarsened, "
        "status, visibility, age_min, age_max, last_verified, updated_at, doc, created_at) VALUES (NULLIF(?1, ''), "
        "NULLIF(?2, ''), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, NULLIF(?14, ''), ?15, ?16, ?17)";
    static const std::string update =
        "UPDATE services SET source = NULLIF(?1, ''), source_id = NULLIF(?2, ''), "
        "lon = ?5, lat = ?6, public_lon = ?7, public_lat = ?8, coarsened = ?9, status = ?10, visibility = ?11, "
        "age_min = ?12, age_max = ?13, last_verified = NULLIF(?14, ''), updated_at = ?15, doc = ?16 WHERE id = ?17";
    auto& stmt = impl.prepare(existing ? update : insert);
    stmt.bind_view(1, s.source).bind_view(2, s.source_id);
    if (!existing) stmt.bind(3, s.actor_id).bind_view(4, s.country);
    if (s.site) {
        stmt.bind(5, s.site->point.lon).bind(6, s.site->point.lat).bind(7, s.public_point->lon).bind(8, s.public_point->lat);
    } else {
        for (int i = 5; i <= 8; ++i) stmt.bind_null(i);
    }
    stmt.bind(9, s.coarsened ? 1 : 0).bind(10, to_string(s.status)).bind(11, to_string(s.visibility));
    stmt.bind(12, s.age.min).bind(13, s.age.max).bind(14, s.last_verified).bind(15, now).bind_view(16, doc);
    if (existing) stmt.bind(17, *existing); else stmt.bind(17, s.created_at);
    stmt.run();
    if (!existing) return impl.db.last_insert_rowid();
    if (previous.country != s.country || previous.actor_id != s.actor_id) {
        auto& keys = impl.prepare("UPDATE services SET actor_id = ?, country = ? WHERE id = ?");
        keys.bind(1, s.actor_id).bind_view(2, s.country).bind(3, *existing);
        keys.run();
    }
    return *existing;
}

} // namespace

WriteResult Registry::Impl::write_service(Service s, const std::string& who) {
    std::vector<validation_issue> issues;
    resolve_actor(*this, s, issues);
    try {
        validate(s, reference);
    } catch (const validation_error& e) {
        issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
    if (!issues.empty()) throw validation_error(std::move(issues));

    s.coarsened = false;
    s.public_point.reset();
    if (s.site) {
        s.coarsened = reference.any_sensitive(s.types);
        s.public_point = s.coarsened ? geodesy::coarsen(s.site->point, reference.country(s.country)->bbox)
                                     : s.site->point;
    }

    std::optional<std::int64_t> existing;
    if (s.id != 0) {
        auto& stmt = prepare("SELECT id FROM services WHERE id = ?");
        stmt.bind(1, s.id);
        if (!stmt.step()) throw not_found("no service with id " + std::to_string(s.id) + " (leave id out to create one)");
        existing = s.id;
    } else if (!s.source.empty()) {
        existing = find_id("services", {s.source, s.source_id});
    }

    const std::string doc = stored_doc(s);
    Previous previous;
    if (existing) {
        previous = read_previous(*this, *existing);
        s.created_at = previous.created_at;
        if (previous.doc == doc) return {*existing, WriteOutcome::unchanged};
    }

    const std::string now = detail::utc_now();
    if (s.created_at.empty()) s.created_at = now;
    s.id = write_row(*this, s, previous, existing, now, doc);

    write_links(*this, s, previous);
    bump_services_revision();
    if (existing) record_change(who, "services", s.id, "update", previous.doc);
    else record_service_created(who, s.id);
    return {s.id, existing ? WriteOutcome::updated : WriteOutcome::created};
}

SharedService Registry::Impl::read_service(std::int64_t id, Audience audience) {
    // Only reads inside a snapshot use the shared cache: a batch sees its own, uncommitted writes.
    const bool cached = audience == Audience::public_ && in_snapshot && !bulk_read;
    const std::int64_t revision = cached ? snapshot_services_revision() : 0;
    if (cached)
        if (auto hit = records->get(id, revision)) return hit;
    auto& stmt = prepare("SELECT doc, actor_id, public_lon, public_lat, coarsened, created_at, updated_at, visibility "
                         "FROM services WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return nullptr;
    if (audience == Audience::public_ && stmt.column_text(7) != "public") return nullptr;
    Service s = detail::decode_stored_service(stmt.column_text(0));
    s.id = id;
    s.actor_id = stmt.column_optional_int(1);
    if (!stmt.is_null(2)) s.public_point = GeoPoint{stmt.column_double(2), stmt.column_double(3)};
    s.coarsened = stmt.column_int(4) != 0;
    s.created_at = stmt.column_text(5);
    s.updated_at = stmt.column_text(6);
    if (audience == Audience::public_) redact_for_public(s);
    auto shared = std::make_shared<const Service>(std::move(s));
    if (cached) records->put(id, revision, shared);
    return shared;
}

} // namespace enlace::core
