// Writing a version of a service into SQLite: the services row (document and filter columns),
// the link tables, the two R*Trees (public and exact points) and the full-text row, each written
// only where the version changed it.
#include "search_text.hpp"
#include "sqlite_store.hpp"

#include "enlace/core/vocabulary.hpp"

namespace enlace::core::detail {
namespace {

using SitePoints = std::optional<std::pair<GeoPoint, GeoPoint>>;

/// The R*Tree rows of a service: its exact and public points, when it has a site.
SitePoints sites_of(const Service& s) {
    if (!s.site || !s.public_point) return std::nullopt;
    return std::pair{s.site->point, *s.public_point};
}

void run_with_id(SqliteStore& store, const char* sql, std::int64_t id) {
    auto& stmt = store.prepare(sql);
    stmt.bind(1, id);
    stmt.run();
}

void insert_values(SqliteStore& store, const char* sql, std::int64_t id, const std::vector<std::string>& values) {
    for (const auto& value : values) {
        auto& stmt = store.prepare(sql);
        stmt.bind(1, id).bind(2, value);
        stmt.run();
    }
}

void write_text_row(SqliteStore& store, std::int64_t id, const std::array<std::string, 3>& text, bool remove) {
    auto& stmt =
        store.prepare(remove ? "INSERT INTO service_text (service_text, rowid, name, description, place) "
                               "VALUES ('delete', ?, ?, ?, ?)"
                             : "INSERT INTO service_text (rowid, name, description, place) VALUES (?, ?, ?, ?)");
    stmt.bind(1, id).bind_view(2, text[0]).bind_view(3, text[1]).bind_view(4, text[2]);
    stmt.run();
}

} // namespace

std::int64_t SqliteStore::write(const RecordVersion<Service>& version) {
    m_expansions.clear(); // the version may bring words
    const std::int64_t id = write_service_row(version);
    write_service_links(version, id); // keyed by the id: a new service's is known only now
    return id;
}

/// The services row: a new one, or the existing one updated in place (its created_at kept).
/// Plain statements, each free of a statement journal when it can be: an upsert needs one, and so
/// does an UPDATE that sets a foreign-key column (country, actor_id), and every statement journal
/// makes SQLite flush the full-text index's pending rows (a segment a record, which made a
/// re-import twice as slow). Those two columns are set by a statement of their own, only when
/// they change.
std::int64_t SqliteStore::write_service_row(const RecordVersion<Service>& version) {
    static const std::string insert =
        "INSERT INTO services (source, source_id, actor_id, country, lon, lat, public_lon, public_lat, coarsened, "
        "status, visibility, age_min, age_max, last_verified, updated_at, doc, review_status, reach, version, deleted, "
        "editors, created_at) VALUES (NULLIF(?1, ''), NULLIF(?2, ''), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "NULLIF(?14, ''), ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";
    static const std::string update =
        "UPDATE services SET source = NULLIF(?1, ''), source_id = NULLIF(?2, ''), "
        "lon = ?5, lat = ?6, public_lon = ?7, public_lat = ?8, coarsened = ?9, status = ?10, visibility = ?11, "
        "age_min = ?12, age_max = ?13, last_verified = NULLIF(?14, ''), updated_at = ?15, doc = ?16, "
        "review_status = ?17, reach = ?18, version = ?19, deleted = ?20, editors = ?21 WHERE id = ?22";
    const Service& s = version.record;
    const RecordState& state = version.state;
    const bool existing = s.id != 0;
    auto& stmt = prepare(existing ? update : insert);
    stmt.bind_view(1, s.source).bind_view(2, s.source_id);
    if (!existing) stmt.bind(3, s.actor_id).bind_view(4, s.country);
    if (s.site) {
        stmt.bind(5, s.site->point.lon)
            .bind(6, s.site->point.lat)
            .bind(7, s.public_point->lon)
            .bind(8, s.public_point->lat);
    } else {
        for (int i = 5; i <= 8; ++i)
            stmt.bind_null(i);
    }
    stmt.bind(9, s.coarsened ? 1 : 0).bind(10, to_string(s.status)).bind(11, to_string(s.visibility));
    stmt.bind(12, s.age.min)
        .bind(13, s.age.max)
        .bind(14, s.last_verified)
        .bind_view(15, version.now)
        .bind_view(16, version.doc);
    const int reach = state.deleted                                                                             ? 2
                      : (s.visibility == Visibility::public_ && state.review_status == ReviewStatus::published) ? 0
                                                                                                                : 1;
    stmt.bind(17, to_string(state.review_status))
        .bind(18, reach)
        .bind(19, state.version)
        .bind(20, state.deleted ? 1 : 0)
        .bind(21, editors_text(state.editors));
    if (existing)
        stmt.bind(22, s.id);
    else
        stmt.bind_view(22, version.now);
    stmt.run();
    if (!existing) return m_db.last_insert_rowid();
    const Service* before = version.before;
    if (!before || before->country != s.country || before->actor_id != s.actor_id) {
        auto& keys = prepare("UPDATE services SET actor_id = ?, country = ? WHERE id = ?");
        keys.bind(1, s.actor_id).bind_view(2, s.country).bind(3, s.id);
        keys.run();
    }
    return s.id;
}

/// The link tables, R*Trees and full text of a service. A new service has a new id, which nothing
/// refers to yet: nothing to clear. An update rewrites only what changed: each list's link rows,
/// the R*Tree rows when a point moved, the text row when its text changed (a re-import mostly
/// changes none of them).
void SqliteStore::write_service_links(const RecordVersion<Service>& version, std::int64_t id) {
    const Service& s = version.record;
    const Service* before = version.before;
    auto replace = [&](const char* clear, const char* insert, const std::vector<std::string>& values,
                       const std::vector<std::string>* old_values) {
        if (old_values && *old_values == values) return;
        if (old_values) run_with_id(*this, clear, id);
        insert_values(*this, insert, id, values);
    };
    replace("DELETE FROM service_types WHERE service_id = ?",
            "INSERT INTO service_types (service_id, code) VALUES (?, ?)", s.types, before ? &before->types : nullptr);
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
    if (!before || sites_of(*before) != sites) {
        if (before) {
            run_with_id(*this, "DELETE FROM service_public_sites WHERE id = ?", id);
            run_with_id(*this, "DELETE FROM service_exact_sites WHERE id = ?", id);
        }
        if (sites && m_bulk) {
            // In a bulk write the rows wait for its end (or its next read), to be written packed.
            m_pending_sites.add(id);
        } else if (sites) {
            auto site = [&](const char* sql, const GeoPoint& p) {
                auto& stmt = prepare(sql);
                stmt.bind(1, id).bind(2, p.lon).bind(3, p.lon).bind(4, p.lat).bind(5, p.lat);
                stmt.run();
            };
            site("INSERT INTO service_public_sites (id, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)",
                 sites->second);
            site("INSERT INTO service_exact_sites (id, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)",
                 sites->first);
        }
    }
    const auto text = search_text(s);
    if (before) {
        const auto indexed = search_text(*before);
        if (indexed == text) return;
        write_text_row(*this, id, indexed, true);
    }
    write_text_row(*this, id, text, false);
}

} // namespace enlace::core::detail
