// Writing and reading services: the record as JSON plus the columns, link tables, R*Trees and
// full-text rows that queries use, all in the caller's transaction.
#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/validation.hpp"
#include "enlace/core/vocabulary.hpp"
#include "registry_impl.hpp"
#include "text_search.hpp"

#include <nlohmann/json.hpp>

namespace enlace::core {
namespace {

/// The stored document: the record without what the store owns (id, timestamps).
std::string stored_doc(const Service& s) {
    auto doc = to_json(s);
    for (const char* key : {"id", "created_at", "updated_at", "public_location"}) doc.erase(key);
    return doc.dump();
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

void write_links(Registry::Impl& impl, const Service& s) {
    const std::int64_t id = s.id;
    for (const char* table : {"service_types", "service_populations", "service_languages", "service_area_countries"}) {
        auto& stmt = impl.prepare(std::string("DELETE FROM ") + table + " WHERE service_id = ?");
        stmt.bind(1, id);
        stmt.run();
    }
    auto insert = [&](const char* sql, const std::vector<std::string>& values) {
        for (const auto& value : values) {
            auto& stmt = impl.prepare(sql);
            stmt.bind(1, id).bind(2, value);
            stmt.run();
        }
    };
    insert("INSERT INTO service_types (service_id, code) VALUES (?, ?)", s.types);
    insert("INSERT INTO service_populations (service_id, population) VALUES (?, ?)", s.populations);
    insert("INSERT INTO service_languages (service_id, language) VALUES (?, ?)", s.languages);
    insert("INSERT INTO service_area_countries (service_id, country) VALUES (?, ?)", s.area.countries);

    for (const char* table : {"service_public_sites", "service_exact_sites", "service_text"}) {
        auto& stmt = impl.prepare(std::string("DELETE FROM ") + table + (std::string(table) == "service_text" ? " WHERE rowid = ?" : " WHERE id = ?"));
        stmt.bind(1, id);
        stmt.run();
    }
    if (s.site && s.public_point) {
        auto site = [&](const char* table, const GeoPoint& p) {
            auto& stmt = impl.prepare(std::string("INSERT INTO ") + table +
                                      " (id, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)");
            stmt.bind(1, id).bind(2, p.lon).bind(3, p.lon).bind(4, p.lat).bind(5, p.lat);
            stmt.run();
        };
        site("service_public_sites", *s.public_point);
        site("service_exact_sites", s.site->point);
    }
    // Street addresses are left out of the text index: a sensitive site's street must not be findable.
    std::string place = s.address.locality + "\n" + s.address.admin1_name + "\n" + s.address.admin2_name;
    auto& text = impl.prepare("INSERT INTO service_text (rowid, name, description, place) VALUES (?, ?, ?, ?)");
    text.bind(1, id).bind(2, joined(s.name)).bind(3, joined(s.description)).bind(4, place);
    text.run();
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
    std::string before;
    if (existing) {
        auto& stmt = prepare("SELECT doc, created_at FROM services WHERE id = ?");
        stmt.bind(1, *existing);
        stmt.step();
        before = stmt.column_text(0);
        s.created_at = stmt.column_text(1);
        if (before == doc) return {*existing, WriteOutcome::unchanged};
    }

    const std::string now = detail::utc_now();
    if (s.created_at.empty()) s.created_at = now;
    auto& stmt = prepare(
        "INSERT INTO services (id, source, source_id, actor_id, country, lon, lat, public_lon, public_lat, coarsened, "
        "status, visibility, age_min, age_max, last_verified, created_at, updated_at, doc) "
        "VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET source = excluded.source, source_id = excluded.source_id, "
        "actor_id = excluded.actor_id, country = excluded.country, lon = excluded.lon, lat = excluded.lat, "
        "public_lon = excluded.public_lon, public_lat = excluded.public_lat, coarsened = excluded.coarsened, "
        "status = excluded.status, visibility = excluded.visibility, age_min = excluded.age_min, "
        "age_max = excluded.age_max, last_verified = excluded.last_verified, updated_at = excluded.updated_at, "
        "doc = excluded.doc");
    if (existing) stmt.bind(1, *existing); else stmt.bind_null(1);
    stmt.bind(2, s.source).bind(3, s.source_id).bind(4, s.actor_id).bind(5, s.country);
    if (s.site) {
        stmt.bind(6, s.site->point.lon).bind(7, s.site->point.lat).bind(8, s.public_point->lon).bind(9, s.public_point->lat);
    } else {
        for (int i = 6; i <= 9; ++i) stmt.bind_null(i);
    }
    stmt.bind(10, s.coarsened ? 1 : 0).bind(11, to_string(s.status)).bind(12, to_string(s.visibility));
    stmt.bind(13, s.age.min).bind(14, s.age.max).bind(15, s.last_verified).bind(16, s.created_at).bind(17, now);
    stmt.bind(18, doc);
    stmt.run();
    s.id = existing ? *existing : db.last_insert_rowid();

    write_links(*this, s);
    bump_services_revision();
    record_change(who, "services", s.id, existing ? "update" : "create", before, doc);
    return {s.id, existing ? WriteOutcome::updated : WriteOutcome::created};
}

std::optional<Service> Registry::Impl::read_service(std::int64_t id, Audience audience) {
    // Only reads inside a snapshot use the shared cache: a batch sees its own, uncommitted writes.
    const bool cached = audience == Audience::public_ && in_snapshot && !bulk_read;
    const std::int64_t revision = cached ? snapshot_services_revision() : 0;
    if (cached)
        if (auto hit = records->get(id, revision)) return *hit;
    auto& stmt = prepare("SELECT doc, actor_id, public_lon, public_lat, coarsened, created_at, updated_at, visibility "
                         "FROM services WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    if (audience == Audience::public_ && stmt.column_text(7) != "public") return std::nullopt;
    Service s = service_from_json(nlohmann::json::parse(stmt.column_text(0)));
    s.id = id;
    s.actor_id = stmt.column_optional_int(1);
    if (!stmt.is_null(2)) s.public_point = GeoPoint{stmt.column_double(2), stmt.column_double(3)};
    s.coarsened = stmt.column_int(4) != 0;
    s.created_at = stmt.column_text(5);
    s.updated_at = stmt.column_text(6);
    if (audience == Audience::public_) redact_for_public(s);
    if (cached) records->put(id, revision, std::make_shared<const Service>(s));
    return s;
}

} // namespace enlace::core
