// ServiceConditions in PostgreSQL: each condition of conditions.hpp as a WHERE term over the
// services table, its link tables, its geography points and its words; and the aggregates
// (stats, places). Every value is a parameter.
#include "postgres_store.hpp"
#include "text_words.hpp"

#include "enlace/core/vocabulary.hpp"

namespace enlace::core::detail {
namespace {

class Where {
  public:
    explicit Where(pg::Params& params) : p(params) {}
    void add(const std::string& condition) { m_text += (m_text.empty() ? "" : " AND ") + condition; }
    const std::string& text() const { return m_text; }
    pg::Params& p;

  private:
    std::string m_text;
};

/// The conditions as a WHERE clause over `services s`, their values added to `params`.
std::string service_where(const ServiceConditions& c, pg::Params& params) {
    Where w(params);
    auto& p = w.p;
    const bool public_ = c.audience == Audience::public_;
    const std::string lon = public_ ? "s.public_lon" : "s.lon", lat = public_ ? "s.public_lat" : "s.lat";
    w.add(public_ ? "s.reach = 0" : "s.reach <= 1");
    if (c.sited) w.add("s.lon IS NOT NULL");
    std::vector<std::string> statuses;
    for (auto s : c.statuses)
        statuses.emplace_back(to_string(s));
    w.add(statuses.empty() ? "false" : "s.status IN (" + p.list(statuses) + ")");
    if (!c.countries.empty()) w.add("s.country IN (" + p.list(c.countries) + ")");
    if (!c.available_in.empty()) {
        const std::string in = p.list(c.available_in);
        w.add("((s.lon IS NOT NULL AND s.country IN (" + in +
              ")) OR (s.lon IS NULL AND (EXISTS (SELECT 1 FROM service_area_countries a WHERE a.service_id = s.id "
              "AND a.country IN (" +
              in + ")) OR (s.country IN (" + in +
              ") AND NOT EXISTS (SELECT 1 FROM service_area_countries a WHERE a.service_id = s.id)))))");
    }
    if (!c.types.empty())
        w.add("EXISTS (SELECT 1 FROM service_types t WHERE t.service_id = s.id AND t.code IN (" + p.list(c.types) +
              "))");
    if (!c.populations.empty())
        w.add("(NOT EXISTS (SELECT 1 FROM service_populations p WHERE p.service_id = s.id) OR EXISTS (SELECT 1 FROM "
              "service_populations p WHERE p.service_id = s.id AND p.population IN (" +
              p.list(c.populations) + ")))");
    if (!c.languages.empty()) {
        // Equal, or the tag followed by '-': ASCII case ignored (lower() under the C collation).
        std::string any;
        for (const auto& l : c.languages) {
            std::string pattern;
            for (char ch : l) {
                if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
                pattern += ch;
            }
            any += std::string(any.empty() ? "" : " OR ") + "lower(l.language) = lower(" + p.add(l) +
                   ") OR lower(l.language) LIKE lower(" + p.add(pattern + "-%") + ") ESCAPE '\\'";
        }
        w.add("EXISTS (SELECT 1 FROM service_languages l WHERE l.service_id = s.id AND (" + any + "))");
    }
    if (c.age) {
        const std::string age = p.add(std::int64_t{*c.age}) + "::integer";
        w.add("(s.age_min IS NULL OR s.age_min <= " + age + ") AND (s.age_max IS NULL OR s.age_max >= " + age + ")");
    }
    if (!c.gender.empty()) w.add("s.gender IN (" + p.add(c.gender) + ", 'any')");
    if (!c.words.empty()) w.add(pg::words_condition(p, "services", "s.id", c.words));
    if (c.bbox) {
        const auto& b = *c.bbox;
        // The GiST index of the points seen as lon/lat geometry finds the box's candidates (its
        // boxes are rounded outward); the exact doubles decide, edges included.
        const std::string point = public_ ? "(s.public_site::geometry)" : "(s.site::geometry)";
        const auto envelope = [&](double west, double east) {
            return point + " && ST_MakeEnvelope(" + p.add(west) + "::float8, " + p.add(b.south) + "::float8, " +
                   p.add(east) + "::float8, " + p.add(b.north) + "::float8, 4326)";
        };
        w.add(b.crosses_antimeridian() ? "(" + envelope(b.west, 180.0) + " OR " + envelope(-180.0, b.east) + ")"
                                       : envelope(b.west, b.east));
        w.add(lat + " BETWEEN " + p.add(b.south) + "::float8 AND " + p.add(b.north) + "::float8");
        const std::string west = p.add(b.west) + "::float8", east = p.add(b.east) + "::float8";
        w.add(b.crosses_antimeridian() ? "(" + lon + " >= " + west + " OR " + lon + " <= " + east + ")"
                                       : lon + " BETWEEN " + west + " AND " + east);
    }
    if (!c.updated_since.empty()) w.add("s.updated_at >= " + p.add(c.updated_since));
    if (!c.updated_until.empty()) // a date covers its whole day: compare as many characters
        w.add("substr(s.updated_at, 1, " + p.add(static_cast<std::int64_t>(c.updated_until.size())) +
              "::integer) <= " + p.add(c.updated_until));
    if (!c.verified_since.empty()) w.add("s.last_verified >= " + p.add(c.verified_since));
    if (!c.verified_before.empty())
        w.add("(s.last_verified IS NULL OR s.last_verified < " + p.add(c.verified_before) + ")");
    return w.text();
}

std::vector<std::int64_t> ids_of(const pg::Result& r) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < r.rows(); ++i)
        ids.push_back(r.integer(i, 0));
    return ids;
}

} // namespace

std::vector<std::int64_t> PostgresStore::service_ids(const ServiceConditions& c, std::int64_t after_id, int limit) {
    pg::Params p;
    const std::string where = service_where(c, p);
    return ids_of(run("SELECT s.id FROM services s WHERE " + where + " AND s.id > " + p.add(after_id) +
                          " ORDER BY s.id LIMIT " + p.add(limit),
                      p));
}

std::int64_t PostgresStore::count_services(const ServiceConditions& c) {
    pg::Params p;
    return run("SELECT count(*) FROM services s WHERE " + service_where(c, p), p).integer(0, 0);
}

std::optional<BBox> PostgresStore::extent(const ServiceConditions& conditions) {
    ServiceConditions c = conditions;
    c.sited = true;
    pg::Params p;
    const bool public_ = c.audience == Audience::public_;
    const std::string lon = public_ ? "s.public_lon" : "s.lon", lat = public_ ? "s.public_lat" : "s.lat";
    const auto r = run("SELECT min(" + lon + "), min(" + lat + "), max(" + lon + "), max(" + lat +
                           ") FROM services s WHERE " + service_where(c, p),
                       p);
    if (r.is_null(0, 0)) return std::nullopt;
    return BBox{r.real(0, 0), r.real(0, 1), r.real(0, 2), r.real(0, 3)};
}

std::vector<std::int64_t> PostgresStore::text_ids(const std::vector<std::string>& words, std::size_t limit) {
    // Every service with the words, whoever may see it, as the full-text table of the SQLite store.
    pg::Params p;
    const std::string where = pg::words_condition(p, "services", "s.id", words);
    return ids_of(run("SELECT s.id FROM services s WHERE " + where + " ORDER BY s.id LIMIT " +
                          p.add(static_cast<std::int64_t>(limit)),
                      p));
}

bool PostgresStore::text_matches(const std::vector<std::string>& words, std::int64_t id) {
    pg::Params p;
    const std::string service = p.add(id) + "::bigint";
    return !run("SELECT 1 WHERE " + pg::words_condition(p, "services", service, words), p).empty();
}

std::vector<StatsCell> PostgresStore::stats(Audience audience) {
    // Each service once per leaf type, and once per family however many of its types it has.
    const std::string visible = audience == Audience::public_ ? " AND s.reach = 0" : " AND s.reach <= 1";
    const auto r = run("SELECT s.country, t.code, count(*) FROM services s JOIN service_types t ON t.service_id = s.id "
                       "WHERE s.status IN ('active', 'temporarily_closed')" +
                       visible +
                       " GROUP BY s.country, t.code "
                       "UNION ALL "
                       "SELECT s.country, COALESCE(tt.parent, tt.code), count(DISTINCT s.id) FROM services s "
                       "JOIN service_types t ON t.service_id = s.id JOIN taxonomy_terms tt ON tt.code = t.code "
                       "WHERE s.status IN ('active', 'temporarily_closed') AND tt.parent IS NOT NULL" +
                       visible + " GROUP BY s.country, COALESCE(tt.parent, tt.code) ORDER BY 1, 2");
    std::vector<StatsCell> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.text(i, 0), r.text(i, 1), r.integer(i, 2)});
    return out;
}

std::vector<Place> PostgresStore::places() {
    const auto r = run("SELECT locality, country, "
                       "coalesce(avg(CASE WHEN NOT coarsened THEN public_lon END), avg(public_lon)), "
                       "coalesce(avg(CASE WHEN NOT coarsened THEN public_lat END), avg(public_lat)), "
                       "count(*), bool_and(coarsened) FROM services WHERE reach = 0 AND lon IS NOT NULL "
                       "AND status IN ('active', 'temporarily_closed') AND locality <> '' "
                       "GROUP BY country, locality ORDER BY country, locality");
    std::vector<Place> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.text(i, 0), r.text(i, 1), {r.real(i, 2), r.real(i, 3)}, r.integer(i, 4), r.boolean(i, 5)});
    return out;
}

} // namespace enlace::core::detail
