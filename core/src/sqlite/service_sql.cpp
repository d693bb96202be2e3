// ServiceConditions in SQL: each condition of conditions.hpp as a WHERE term over the services
// table, its link tables, its R*Trees and its full-text table; and the aggregates (stats, places).
#include "sql_where.hpp"
#include "sqlite_store.hpp"

#include "enlace/core/vocabulary.hpp"

namespace enlace::core::detail {
namespace {

struct ServiceSql {
    SqlWhere where;
    // With text, the full-text table drives the query in rowid (= service id) order, so that a page
    // of a common word stops after its rows instead of gathering every match first.
    std::string from = "services s";
    std::string id = "s.id";
};

/// The conditions in SQL; `match` is the FTS5 query of their words (empty without words).
ServiceSql service_sql(const ServiceConditions& c, const std::string& match) {
    ServiceSql q;
    auto& w = q.where;
    const bool public_ = c.audience == Audience::public_;
    const std::string lon = public_ ? "s.public_lon" : "s.lon", lat = public_ ? "s.public_lat" : "s.lat";
    w.add("1");
    w.add(public_ ? "s.reach = 0" : "s.reach <= 1");
    if (c.sited) w.add("s.lon IS NOT NULL");
    std::vector<std::string> statuses;
    for (auto s : c.statuses)
        statuses.emplace_back(to_string(s));
    w.add("s.status IN (" + w.list(statuses) + ")");
    if (!c.countries.empty()) w.add("s.country IN (" + w.list(c.countries) + ")");
    if (!c.available_in.empty()) {
        const std::string sited = w.list(c.available_in);
        const std::string area = w.list(c.available_in);
        const std::string own = w.list(c.available_in);
        w.add("((s.lon IS NOT NULL AND s.country IN (" + sited +
              ")) OR (s.lon IS NULL AND (EXISTS (SELECT 1 FROM "
              "service_area_countries a WHERE a.service_id = s.id AND a.country IN (" +
              area + ")) OR (s.country IN (" + own +
              ") AND NOT EXISTS (SELECT 1 FROM service_area_countries a WHERE a.service_id = s.id)))))");
    }
    if (!c.types.empty())
        w.add("EXISTS (SELECT 1 FROM service_types t WHERE t.service_id = s.id AND t.code IN (" + w.list(c.types) +
              "))");
    if (!c.populations.empty())
        w.add("(NOT EXISTS (SELECT 1 FROM service_populations p WHERE p.service_id = s.id) OR EXISTS (SELECT 1 FROM "
              "service_populations p WHERE p.service_id = s.id AND p.population IN (" +
              w.list(c.populations) + ")))");
    if (!c.languages.empty()) {
        // Equal, or the tag followed by '-': both ASCII case-insensitive (NOCASE, and LIKE's own rule).
        std::string any;
        for (const auto& l : c.languages) {
            any += std::string(any.empty() ? "" : " OR ") +
                   "l.language = ? COLLATE NOCASE OR l.language LIKE ? ESCAPE '\\'";
            w.value(l);
            std::string pattern;
            for (char ch : l) {
                if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
                pattern += ch;
            }
            w.value(pattern + "-%");
        }
        w.add("EXISTS (SELECT 1 FROM service_languages l WHERE l.service_id = s.id AND (" + any + "))");
    }
    if (c.age) {
        w.add("(s.age_min IS NULL OR s.age_min <= ?) AND (s.age_max IS NULL OR s.age_max >= ?)");
        w.value(std::int64_t{*c.age});
        w.value(std::int64_t{*c.age});
    }
    if (!c.gender.empty()) {
        w.add("json_extract(s.doc, '$.gender') IN (?, 'any')");
        w.value(c.gender);
    }
    if (!c.words.empty()) {
        q.from = "service_text JOIN services s ON s.id = service_text.rowid";
        q.id = "service_text.rowid";
        w.add("service_text MATCH ?");
        w.value(match);
    }
    if (c.bbox) {
        const auto& b = *c.bbox;
        const std::string rtree = public_ ? "service_public_sites" : "service_exact_sites";
        auto window = [&](double west, double east) {
            w.value(east);
            w.value(west);
            w.value(b.north);
            w.value(b.south);
            return std::string("(min_lon <= ? AND max_lon >= ? AND min_lat <= ? AND max_lat >= ?)");
        };
        const std::string windows =
            b.crosses_antimeridian() ? window(b.west, 180.0) + " OR " + window(-180.0, b.east) : window(b.west, b.east);
        w.add("s.id IN (SELECT id FROM " + rtree + " WHERE " + windows + ")");
        // The R*Tree holds float32 boxes rounded outward: refine on the exact doubles.
        w.add(lat + " BETWEEN ? AND ?");
        w.value(b.south);
        w.value(b.north);
        w.add(b.crosses_antimeridian() ? "(" + lon + " >= ? OR " + lon + " <= ?)" : lon + " BETWEEN ? AND ?");
        w.value(b.west);
        w.value(b.east);
    }
    if (!c.updated_since.empty()) {
        w.add("s.updated_at >= ?");
        w.value(c.updated_since);
    }
    if (!c.updated_until.empty()) { // a date covers its whole day: compare as many characters
        w.add("substr(s.updated_at, 1, ?) <= ?");
        w.value(static_cast<std::int64_t>(c.updated_until.size()));
        w.value(c.updated_until);
    }
    if (!c.verified_since.empty()) {
        w.add("s.last_verified >= ?");
        w.value(c.verified_since);
    }
    if (!c.verified_before.empty()) {
        w.add("(s.last_verified IS NULL OR s.last_verified < ?)");
        w.value(c.verified_before);
    }
    return q;
}

} // namespace

std::vector<std::int64_t> SqliteStore::service_ids(const ServiceConditions& c, std::int64_t after_id, int limit) {
    before_read();
    auto q = service_sql(c, text_match(c));
    q.where.add(q.id + " > ?");
    q.where.value(after_id);
    auto& stmt = prepare("SELECT s.id FROM " + q.from + " WHERE " + q.where.text() + " ORDER BY " + q.id + " LIMIT ?");
    const int next = q.where.bind(stmt);
    stmt.bind(next, limit);
    std::vector<std::int64_t> ids;
    while (stmt.step())
        ids.push_back(stmt.column_int(0));
    stmt.reset();
    return ids;
}

std::int64_t SqliteStore::count_services(const ServiceConditions& c) {
    before_read();
    const auto q = service_sql(c, text_match(c));
    auto& stmt = prepare("SELECT count(*) FROM " + q.from + " WHERE " + q.where.text());
    q.where.bind(stmt);
    const std::int64_t n = stmt.step() ? stmt.column_int(0) : 0;
    stmt.reset(); // else the statement keeps this snapshot open for the connection's later reads
    return n;
}

std::optional<BBox> SqliteStore::extent(const ServiceConditions& conditions) {
    before_read();
    ServiceConditions c = conditions;
    c.sited = true;
    const auto q = service_sql(c, text_match(c));
    const bool public_ = c.audience == Audience::public_;
    const std::string lon = public_ ? "s.public_lon" : "s.lon", lat = public_ ? "s.public_lat" : "s.lat";
    auto& stmt = prepare("SELECT min(" + lon + "), min(" + lat + "), max(" + lon + "), max(" + lat + ") FROM " +
                         q.from + " WHERE " + q.where.text());
    q.where.bind(stmt);
    std::optional<BBox> out;
    if (stmt.step() && !stmt.is_null(0))
        out = BBox{stmt.column_double(0), stmt.column_double(1), stmt.column_double(2), stmt.column_double(3)};
    stmt.reset();
    return out;
}

std::vector<std::int64_t> SqliteStore::text_ids(const std::vector<std::string>& words, std::size_t limit) {
    before_read();
    auto& stmt = prepare("SELECT rowid FROM service_text WHERE service_text MATCH ? ORDER BY rowid LIMIT ?");
    stmt.bind(1, match_expression(words, FullText::service)).bind(2, static_cast<std::int64_t>(limit));
    std::vector<std::int64_t> ids;
    while (stmt.step())
        ids.push_back(stmt.column_int(0));
    stmt.reset();
    return ids;
}

bool SqliteStore::text_matches(const std::vector<std::string>& words, std::int64_t id) {
    before_read();
    // FTS5 seeks the rowid in the word's list: no need to gather a common word's matches.
    auto& stmt = prepare("SELECT 1 FROM service_text WHERE service_text MATCH ? AND rowid = ?");
    stmt.bind(1, match_expression(words, FullText::service)).bind(2, id);
    const bool hit = stmt.step();
    stmt.reset();
    return hit;
}

std::vector<StatsCell> SqliteStore::stats(Audience audience) {
    before_read();
    // Each service once per leaf type, and once per family however many of its types it has.
    const std::string visible = audience == Audience::public_ ? " AND s.reach = 0" : " AND s.reach <= 1";
    auto& stmt =
        prepare("SELECT s.country, t.code, count(*) FROM services s JOIN service_types t ON t.service_id = s.id "
                "WHERE s.status IN ('active', 'temporarily_closed')" +
                visible +
                " GROUP BY s.country, t.code "
                "UNION ALL "
                "SELECT s.country, COALESCE(tt.parent, tt.code), count(DISTINCT s.id) FROM services s "
                "JOIN service_types t ON t.service_id = s.id JOIN taxonomy_terms tt ON tt.code = t.code "
                "WHERE s.status IN ('active', 'temporarily_closed') AND tt.parent IS NOT NULL" +
                visible + " GROUP BY s.country, COALESCE(tt.parent, tt.code) ORDER BY 1, 2");
    std::vector<StatsCell> out;
    while (stmt.step())
        out.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_int(2)});
    stmt.reset();
    return out;
}

std::vector<Place> SqliteStore::places() {
    before_read();
    auto& stmt = prepare("SELECT json_extract(doc, '$.address.locality') AS locality, country, "
                         "coalesce(avg(CASE WHEN coarsened = 0 THEN public_lon END), avg(public_lon)), "
                         "coalesce(avg(CASE WHEN coarsened = 0 THEN public_lat END), avg(public_lat)), "
                         "count(*), sum(coarsened = 0) = 0 FROM services WHERE reach = 0 AND lon IS NOT NULL "
                         "AND status IN ('active', 'temporarily_closed') AND locality IS NOT NULL AND locality <> '' "
                         "GROUP BY country, locality ORDER BY country, locality");
    std::vector<Place> out;
    while (stmt.step())
        out.push_back({stmt.column_text(0),
                       stmt.column_text(1),
                       {stmt.column_double(2), stmt.column_double(3)},
                       stmt.column_int(4),
                       stmt.column_int(5) != 0});
    stmt.reset();
    return out;
}

} // namespace enlace::core::detail
