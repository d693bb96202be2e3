// Service queries: validated once, then answered either by SQL (filters, bbox, text; ordered by
// id) or by the in-memory spatial index (near; ordered by distance), with the same semantics.
#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/hours.hpp"
#include "enlace/core/validation.hpp"
#include "enlace/core/vocabulary.hpp"
#include "cursor.hpp"
#include "registry_impl.hpp"
#include "text_search.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_set>
#include <variant>

namespace enlace::core {
namespace {

using detail::Cursor;

/// A query checked against the reference data, with type codes expanded to their descendants.
struct CheckedQuery {
    const ServiceQuery& query;
    std::vector<std::string> types;
    std::vector<std::string> statuses;
    std::string fts;
    Cursor cursor;
    bool sort_by_distance() const { return query.near.has_value(); }
};

CheckedQuery check(const ServiceQuery& q, const ReferenceData& ref) {
    CheckedQuery c{q, {}, {}, {}, {}};
    if (q.limit < 1 || q.limit > ServiceQuery::max_limit)
        throw query_error("limit", "must be between 1 and " + std::to_string(ServiceQuery::max_limit));
    for (const auto& [codes, name] : {std::pair{&q.countries, "country"}, {&q.available_in, "available_in"}})
        for (const auto& code : *codes)
            if (!ref.country(code)) throw query_error(name, "unknown country '" + code + "' (alpha-2 code of a member country)");
    c.types = ref.expand(q.types, "type");
    for (const auto& p : q.populations)
        if (!ref.has_population(p)) throw query_error("population", "unknown population '" + p + "'");
    for (const auto& l : q.languages)
        if (!valid_language_tag(l)) throw query_error("language", "'" + l + "' is not a language tag such as es or en");
    if (q.age && (*q.age < 0 || *q.age > 120)) throw query_error("age", "must be between 0 and 120");
    if (!q.gender.empty() && q.gender != "female" && q.gender != "male")
        throw query_error("gender", "must be female or male (services for that gender or for any)");
    if (q.bbox) {
        const auto& b = *q.bbox;
        auto text = [](double v) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.10g", v);
            return std::string(buffer);
        };
        for (const auto& [value, name] : {std::pair{b.west, "west"}, {b.east, "east"}})
            if (!geodesy::valid_lon(value))
                throw query_error("bbox", std::string(name) + " (" + text(value) + ") is not a longitude between -180 and 180 "
                                          "(the order is west,south,east,north)");
        for (const auto& [value, name] : {std::pair{b.south, "south"}, {b.north, "north"}})
            if (!geodesy::valid_lat(value))
                throw query_error("bbox", std::string(name) + " (" + text(value) + ") is not a latitude between -90 and 90 "
                                          "(the order is west,south,east,north)");
        if (b.south > b.north)
            throw query_error("bbox", "south (" + text(b.south) + ") is north of north (" + text(b.north) +
                                          "): the order is west,south,east,north");
    }
    if (q.near) {
        if (!geodesy::valid_lat(q.near->point.lat)) throw query_error("lat", "must be a latitude between -90 and 90");
        if (!geodesy::valid_lon(q.near->point.lon)) throw query_error("lon", "must be a longitude between -180 and 180");
        if (q.near->radius_m && !(*q.near->radius_m > 0 && std::isfinite(*q.near->radius_m)))
            throw query_error("radius_km", "must be a positive number");
        if (q.near->k && *q.near->k < 1) throw query_error("k", "must be at least 1");
    }
    for (const auto& [value, name] : {std::pair{&q.verified_since, "verified_since"}, {&q.verified_before, "verified_before"}})
        if (!value->empty() && !valid_date(*value)) throw query_error(name, "must be a date YYYY-MM-DD");
    for (const auto& [value, name] : {std::pair{&q.updated_since, "updated_since"}, {&q.updated_until, "updated_until"}})
        if (!value->empty() && !valid_date(*value) && !(value->size() == 20 && parse_rfc3339(*value) && format_utc(*parse_rfc3339(*value)) == *value))
            throw query_error(name, "must be a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ");
    for (auto s : q.statuses.empty() ? std::vector{ServiceStatus::active, ServiceStatus::temporarily_closed} : q.statuses)
        c.statuses.emplace_back(to_string(s));
    if (!q.text.empty()) c.fts = detail::fts_match(q.text, "q");
    if (!q.cursor.empty()) {
        c.cursor = detail::decode_cursor(q.cursor);
        if (c.cursor.after_chord2.has_value() != c.sort_by_distance())
            throw query_error("cursor", "belongs to a query with a different sort order");
    }
    return c;
}

/// Filters that only the loaded record can answer.
bool residual_match(const CheckedQuery& c, const Service& s) {
    const auto& q = c.query;
    if (q.open_at && !(s.hours && is_open(*s.hours, *q.open_at))) return false;
    return true;
}

using Value = std::variant<std::int64_t, double, std::string>;

struct SqlFilter {
    std::string where;
    std::vector<Value> values;
    // With text, the full-text table drives the query in rowid (= service id) order, so that a
    // page of a common word stops after its rows instead of gathering every match first.
    std::string from = "services s";
    std::string id = "s.id";

    void add(const std::string& clause) { where += (where.empty() ? "" : " AND ") + clause; }
    std::string placeholders(const std::vector<std::string>& list) {
        std::string out;
        for (const auto& v : list) {
            out += out.empty() ? "?" : ", ?";
            values.emplace_back(v);
        }
        return out;
    }
    void bind(sqlite::Statement& stmt, int first = 1) const {
        int i = first;
        for (const auto& v : values) std::visit([&](const auto& x) { stmt.bind(i++, x); }, v);
    }
};

enum class Sites { any, sited };

SqlFilter sql_filter(const CheckedQuery& c, Audience audience, Sites sites) {
    const auto& q = c.query;
    const bool public_ = audience == Audience::public_;
    const std::string lon = public_ ? "s.public_lon" : "s.lon", lat = public_ ? "s.public_lat" : "s.lat";
    SqlFilter f;
    f.add("1");
    if (public_) f.add("s.visibility = 'public'");
    if (sites == Sites::sited) f.add("s.lon IS NOT NULL");
    f.add("s.status IN (" + f.placeholders(c.statuses) + ")");
    if (!q.countries.empty()) f.add("s.country IN (" + f.placeholders(q.countries) + ")");
    if (!q.available_in.empty()) {
        // Where a service can be used: its site's country, or for one without a site its area (its
        // own country when the area names admin1 codes only, as the index has it).
        const std::string sited = f.placeholders(q.available_in);
        const std::string area = f.placeholders(q.available_in);
        const std::string own = f.placeholders(q.available_in);
        f.add("((s.lon IS NOT NULL AND s.country IN (" + sited + ")) OR (s.lon IS NULL AND (EXISTS (SELECT 1 FROM "
              "service_area_countries a WHERE a.service_id = s.id AND a.country IN (" + area + ")) OR (s.country IN (" +
              own + ") AND NOT EXISTS (SELECT 1 FROM service_area_countries a WHERE a.service_id = s.id)))))");
    }
    if (!q.gender.empty()) {
        f.add("json_extract(s.doc, '$.gender') IN (?, 'any')");
        f.values.emplace_back(q.gender);
    }
    if (!c.types.empty())
        f.add("EXISTS (SELECT 1 FROM service_types t WHERE t.service_id = s.id AND t.code IN (" +
              f.placeholders(c.types) + "))");
    if (!q.populations.empty())
        f.add("(NOT EXISTS (SELECT 1 FROM service_populations p WHERE p.service_id = s.id) OR EXISTS (SELECT 1 FROM "
              "service_populations p WHERE p.service_id = s.id AND p.population IN (" + f.placeholders(q.populations) + ")))");
    if (!q.languages.empty()) {
        std::string any;
        for (const auto& l : q.languages) {
            any += std::string(any.empty() ? "" : " OR ") + "l.language = ? COLLATE NOCASE OR l.language LIKE ?";
            f.values.emplace_back(l);
            f.values.emplace_back(l + "-%");
        }
        f.add("EXISTS (SELECT 1 FROM service_languages l WHERE l.service_id = s.id AND (" + any + "))");
    }
    if (q.age) {
        f.add("(s.age_min IS NULL OR s.age_min <= ?) AND (s.age_max IS NULL OR s.age_max >= ?)");
        f.values.emplace_back(std::int64_t{*q.age});
        f.values.emplace_back(std::int64_t{*q.age});
    }
    if (!c.fts.empty()) {
        f.from = "service_text JOIN services s ON s.id = service_text.rowid";
        f.id = "service_text.rowid";
        f.add("service_text MATCH ?");
        f.values.emplace_back(c.fts);
    }
    if (q.bbox) {
        const auto& b = *q.bbox;
        const std::string rtree = public_ ? "service_public_sites" : "service_exact_sites";
        auto window = [&](double w, double e) {
            f.values.insert(f.values.end(), {Value{e}, Value{w}, Value{b.north}, Value{b.south}});
            return "(min_lon <= ? AND max_lon >= ? AND min_lat <= ? AND max_lat >= ?)";
        };
        std::string windows = b.crosses_antimeridian() ? std::string(window(b.west, 180.0)) + " OR " + window(-180.0, b.east)
                                                       : std::string(window(b.west, b.east));
        f.add("s.id IN (SELECT id FROM " + rtree + " WHERE " + windows + ")");
        // The R*Tree holds float32 boxes rounded outward: refine on the exact doubles.
        f.add(lat + " BETWEEN ? AND ?");
        f.values.insert(f.values.end(), {Value{b.south}, Value{b.north}});
        f.add(b.crosses_antimeridian() ? "(" + lon + " >= ? OR " + lon + " <= ?)" : lon + " BETWEEN ? AND ?");
        f.values.insert(f.values.end(), {Value{b.west}, Value{b.east}});
    }
    if (!q.updated_since.empty()) {
        f.add("s.updated_at >= ?");
        f.values.emplace_back(q.updated_since);
    }
    if (!q.updated_until.empty()) {  // a date covers its whole day: compare as many characters
        f.add("substr(s.updated_at, 1, ?) <= ?");
        f.values.emplace_back(static_cast<std::int64_t>(q.updated_until.size()));
        f.values.emplace_back(q.updated_until);
    }
    if (!q.verified_since.empty()) {
        f.add("s.last_verified >= ?");
        f.values.emplace_back(q.verified_since);
    }
    if (!q.verified_before.empty()) {
        f.add("(s.last_verified IS NULL OR s.last_verified < ?)");
        f.values.emplace_back(q.verified_before);
    }
    return f;
}

/// Ordered by id: SQL finds candidates, the residual filters (opening hours) check each one.
ServicePage list_by_id(Registry::Impl& impl, const CheckedQuery& c, Sites sites) {
    const auto& q = c.query;
    SqlFilter f = sql_filter(c, q.audience, sites);
    f.add(f.id + " > ?");
    ServicePage page;
    std::int64_t after = c.cursor.after_id;
    const int batch = std::min(ServiceQuery::max_limit, q.limit + 1);
    while (true) {
        auto& stmt = impl.prepare("SELECT s.id FROM " + f.from + " WHERE " + f.where + " ORDER BY " + f.id + " LIMIT ?");
        f.bind(stmt);
        const int n = static_cast<int>(f.values.size());
        stmt.bind(n + 1, after).bind(n + 2, batch);
        std::vector<std::int64_t> ids;
        while (stmt.step()) ids.push_back(stmt.column_int(0));
        stmt.reset();
        for (auto id : ids) {
            after = id;
            auto service = impl.read_service(id, q.audience);
            if (!service || !residual_match(c, *service)) continue;
            if (static_cast<int>(page.items.size()) == q.limit) {
                page.next_cursor = detail::encode_cursor({page.items.back().service->id, std::nullopt, 0});
                return page;
            }
            page.items.push_back({std::move(service), std::nullopt});
        }
        if (static_cast<int>(ids.size()) < batch) return page;
    }
}

/// Answers "does service id match the text?" for walks over the index. A word with few matches
/// has them gathered once; past `gather_limit` (a common word) each candidate is looked up instead,
/// FTS5 seeking its rowid in the word's list, so a near query never gathers 600,000 ids.
class TextFilter {
public:
    static constexpr int gather_limit = 5000;

    TextFilter(Registry::Impl& impl, const std::string& fts) : m_impl(&impl), m_fts(fts) {
        if (fts.empty()) return;
        auto& stmt = impl.prepare("SELECT rowid FROM service_text WHERE service_text MATCH ? LIMIT ?");
        stmt.bind(1, fts).bind(2, gather_limit + 1);
        std::unordered_set<std::int64_t> ids;
        while (stmt.step()) ids.insert(stmt.column_int(0));
        stmt.reset();
        if (ids.size() <= static_cast<std::size_t>(gather_limit)) m_gathered = std::move(ids);
    }

    bool operator()(std::int64_t id) const {
        if (m_fts.empty()) return true;
        if (m_gathered) return m_gathered->count(id) > 0;
        auto& stmt = m_impl->prepare("SELECT 1 FROM service_text WHERE service_text MATCH ? AND rowid = ?");
        stmt.bind(1, m_fts).bind(2, id);
        const bool hit = stmt.step();
        stmt.reset();
        return hit;
    }

private:
    Registry::Impl* m_impl;
    std::string m_fts;
    std::optional<std::unordered_set<std::int64_t>> m_gathered;
};

detail::PointFilter point_filter(const CheckedQuery& c, const ReferenceData& ref) {
    const auto& q = c.query;
    detail::PointFilter f;
    if (!c.types.empty()) f.types = detail::MaskCodes::types(ref, c.types);
    if (!q.countries.empty()) f.countries = detail::MaskCodes::countries(ref, q.countries);
    if (!q.available_in.empty()) f.available_in = detail::MaskCodes::countries(ref, q.available_in);
    if (!q.populations.empty()) f.populations = detail::MaskCodes::populations(ref, q.populations);
    std::vector<ServiceStatus> statuses;
    for (const auto& s : c.statuses) statuses.push_back(*parse_service_status(s));
    f.statuses = detail::MaskCodes::statuses(statuses);
    f.age = q.age;
    f.bbox = q.bbox;
    return f;
}

bool language_match(const ServiceQuery& q, const Service& s) {
    if (q.languages.empty()) return true;
    for (const auto& wanted : q.languages)
        for (const auto& spoken : s.languages)
            if (fold(spoken) == fold(wanted) || fold(spoken).starts_with(fold(wanted) + "-")) return true;
    return false;
}

bool dates_match(const ServiceQuery& q, const Service& s) {
    return (q.updated_since.empty() || s.updated_at >= q.updated_since) &&
           (q.updated_until.empty() || s.updated_at.compare(0, q.updated_until.size(), q.updated_until) <= 0) &&
           (q.verified_since.empty() || (!s.last_verified.empty() && s.last_verified >= q.verified_since)) &&
           (q.verified_before.empty() || s.last_verified.empty() || s.last_verified < q.verified_before);
}

bool gender_match(const ServiceQuery& q, const Service& s) {
    return q.gender.empty() || s.gender == q.gender || s.gender == "any";
}

double max_chord2(const Near& near) {
    if (!near.radius_m) return std::numeric_limits<double>::infinity();
    const double chord = geodesy::m_to_chord(*near.radius_m);
    return chord * chord;
}

/// Filters the index cannot answer: they need the record.
bool needs_record_check(const ServiceQuery& q) {
    return !q.languages.empty() || !q.updated_since.empty() || !q.updated_until.empty() || !q.verified_since.empty() ||
           !q.verified_before.empty() || !q.gender.empty() || q.open_at;
}

bool record_matches(const CheckedQuery& c, const Service& s) {
    return language_match(c.query, s) && dates_match(c.query, s) && gender_match(c.query, s) && residual_match(c, s);
}

/// Whether the in-memory index answers every filter of the query (masks and bbox), so that
/// matches are found and counted without reading a record.
bool index_answers(const CheckedQuery& c) { return c.fts.empty() && !needs_record_check(c.query); }

/// Whether a list is better walked in the index than scanned by SQL in id order: it narrows by
/// place or attribute. A list of (nearly) everything, such as an export, is a plain rowid scan.
bool index_narrows(const CheckedQuery& c) {
    const auto& q = c.query;
    return q.bbox || !q.countries.empty() || !q.available_in.empty() || !c.types.empty() || !q.populations.empty() || q.age;
}

std::shared_ptr<const detail::ServiceIndex> current_index(Registry::Impl& impl, Audience audience) {
    return impl.spatial->get(impl.db, impl.reference, audience, impl.snapshot_services_revision());
}

/// Walks matching sited services outward from the point, calling take(service, chord2) until it
/// returns false. Mask filters prune the index; text, language, dates and hours check each record.
template <class Take>
void walk_near(Registry::Impl& impl, const CheckedQuery& c, const detail::NearPosition& after, Take&& take) {
    const auto& q = c.query;
    const auto index = current_index(impl, q.audience);
    const TextFilter text(impl, c.fts);
    const bool check_record = needs_record_check(q);
    index->sited.nearest(q.near->point, max_chord2(*q.near), point_filter(c, impl.reference), after,
                         [&](const detail::IndexedPoint& p, double chord2) {
                             if (!text(p.id)) return true;
                             auto service = impl.read_service(p.id, q.audience);
                             if (!service) return true;
                             if (check_record && !record_matches(c, *service)) return true;
                             return take(std::move(service), chord2);
                         });
}

/// The services without a site that match a list query (none with a bbox: they have no point).
std::vector<const detail::IndexedPoint*> unsited_matches(const detail::ServiceIndex& index,
                                                         const detail::PointFilter& filter) {
    std::vector<const detail::IndexedPoint*> out;
    if (filter.bbox) return out;
    for (const auto& p : index.unsited)
        if (filter.accepts(p)) out.push_back(&p);
    return out;
}

/// A page in id order from the in-memory index: sited services walked in id order, merged with
/// the matching services without a site; only the page's records are read. The total comes from
/// the index's counts.
ServicePage list_from_index(Registry::Impl& impl, const CheckedQuery& c) {
    const auto& q = c.query;
    const auto index = current_index(impl, q.audience);
    const auto filter = point_filter(c, impl.reference);
    const auto unsited = unsited_matches(*index, filter);
    ServicePage page;
    if (q.with_total) page.total = index->sited.count(filter) + static_cast<std::int64_t>(unsited.size());
    const std::int64_t after = c.cursor.after_id;
    auto next_unsited = std::upper_bound(unsited.begin(), unsited.end(), after,
                                         [](std::int64_t id, const detail::IndexedPoint* p) { return id < p->id; });
    // Adds one service to the page; false once the page is full (and its cursor set).
    auto take = [&](std::int64_t id) {
        if (static_cast<int>(page.items.size()) == q.limit) {
            page.next_cursor = detail::encode_cursor({page.items.back().service->id, std::nullopt, 0});
            return false;
        }
        // The index was built at this snapshot's revision: every id it returns is readable.
        auto service = impl.read_service(id, q.audience);
        if (!service) throw error("service " + std::to_string(id) + " is in the index but not in the registry");
        page.items.push_back({std::move(service), std::nullopt});
        return true;
    };
    bool open = true;
    index->sited.by_id(filter, after, [&](const detail::IndexedPoint& p) {
        while (open && next_unsited != unsited.end() && (*next_unsited)->id < p.id) open = take((*next_unsited++)->id);
        return open = open && take(p.id);
    });
    while (open && next_unsited != unsited.end()) open = take((*next_unsited++)->id);
    return page;
}

ServicePage list_by_distance(Registry::Impl& impl, const CheckedQuery& c) {
    const auto& q = c.query;
    ServicePage page;
    const std::int64_t k = q.near->k ? std::int64_t{*q.near->k} : std::numeric_limits<std::int64_t>::max();
    const std::int64_t want = std::min<std::int64_t>(q.limit, k - c.cursor.rank);
    if (want <= 0) return page;
    detail::NearPosition after;
    if (c.cursor.after_chord2) after = {*c.cursor.after_chord2, c.cursor.after_id};
    double last_chord2 = 0;
    walk_near(impl, c, after, [&](SharedService service, double chord2) {
        if (static_cast<std::int64_t>(page.items.size()) == want) {
            if (c.cursor.rank + want < k)
                page.next_cursor = detail::encode_cursor(
                    {page.items.back().service->id, last_chord2, c.cursor.rank + want});
            return false;
        }
        last_chord2 = chord2;
        page.items.push_back({std::move(service), geodesy::chord_to_m(std::sqrt(chord2))});
        return true;
    });
    return page;
}

/// Services without a site whose area covers the point: the hotlines of the country it is in,
/// from the index's list of them; all matches are counted, the first few read into the page.
void add_available_here(Registry::Impl& impl, const CheckedQuery& c, ServicePage& page) {
    const auto& q = c.query;
    // The point's countries, narrowed by a country or availability filter: the hotlines offered
    // are those whose area covers where the caseworker is, whatever their own country.
    auto wanted = [&](const std::vector<std::string>& list, const std::string& code) {
        return list.empty() || std::find(list.begin(), list.end(), code) != list.end();
    };
    std::vector<std::string> here;
    for (const auto* country : impl.reference.countries_at(q.near->point))
        if (wanted(q.countries, country->alpha2) && wanted(q.available_in, country->alpha2)) here.push_back(country->alpha2);
    if (here.empty()) return;
    auto filter = point_filter(c, impl.reference);
    filter.countries = filter.available_in = ~0u;  // by area, below
    const auto area = detail::MaskCodes::countries(impl.reference, here);
    const TextFilter text(impl, c.fts);
    const bool check_record = needs_record_check(q);
    const auto index = current_index(impl, q.audience);
    for (const auto& p : index->unsited) {
        if (!(p.area_countries & area) || !filter.accepts(p) || !text(p.id)) continue;
        const bool listed = page.available_here.size() < static_cast<std::size_t>(ServiceQuery::available_here_limit);
        if (!listed && !check_record) {
            ++page.available_here_total;
            continue;
        }
        auto service = impl.read_service(p.id, q.audience);
        if (!service || (check_record && !record_matches(c, *service))) continue;
        ++page.available_here_total;
        if (listed) page.available_here.push_back(std::move(service));
    }
}

/// How many services match (ignoring k, cursor and limit for lists; near counts stop at k).
std::int64_t count_matches(Registry::Impl& impl, const CheckedQuery& c) {
    const auto& query = c.query;
    std::int64_t n = 0;
    if (c.sort_by_distance()) {
        const std::int64_t k = query.near->k ? std::int64_t{*query.near->k} : std::numeric_limits<std::int64_t>::max();
        walk_near(impl, c, {}, [&](const SharedService&, double) { return ++n < k; });
        return n;
    }
    if (index_answers(c)) {
        const auto index = current_index(impl, query.audience);
        const auto filter = point_filter(c, impl.reference);
        return index->sited.count(filter) + static_cast<std::int64_t>(unsited_matches(*index, filter).size());
    }
    SqlFilter f = sql_filter(c, query.audience, Sites::any);
    if (!query.open_at) {
        auto& stmt = impl.prepare("SELECT count(*) FROM " + f.from + " WHERE " + f.where);
        f.bind(stmt);
        n = stmt.step() ? stmt.column_int(0) : 0;
        stmt.reset();  // else the statement keeps this snapshot open for the connection's later reads
        return n;
    }
    auto& stmt = impl.prepare("SELECT s.id FROM " + f.from + " WHERE " + f.where);
    f.bind(stmt);
    std::vector<std::int64_t> ids;
    while (stmt.step()) ids.push_back(stmt.column_int(0));
    for (auto id : ids)
        if (auto s = impl.read_service(id, query.audience); s && residual_match(c, *s)) ++n;
    return n;
}

} // namespace

ServicePage Registry::find(const ServiceQuery& query) const {
    const CheckedQuery c = check(query, m_impl->reference);
    return m_impl->read([&] {
        m_impl->bulk_read = query.limit > Impl::record_cache_max_page;
        const bool from_index = !c.sort_by_distance() && index_answers(c) && index_narrows(c);
        ServicePage page = from_index ? list_from_index(*m_impl, c)
                           : c.sort_by_distance() ? list_by_distance(*m_impl, c)
                                                  : list_by_id(*m_impl, c, Sites::any);
        if (c.sort_by_distance() && query.cursor.empty()) add_available_here(*m_impl, c, page);
        if (query.with_total && !page.total) page.total = count_matches(*m_impl, c);
        return page;
    });
}

void Registry::prepare_index() const {
    m_impl->read([&] { return current_index(*m_impl, Audience::public_) != nullptr; });
}

std::int64_t Registry::count(const ServiceQuery& query) const {
    const CheckedQuery c = check(query, m_impl->reference);
    return m_impl->read([&] { return count_matches(*m_impl, c); });
}

std::optional<BBox> Registry::extent(const ServiceQuery& query) const {
    ServiceQuery unpaged = query;
    unpaged.near.reset();
    unpaged.cursor.clear();
    const CheckedQuery c = check(unpaged, m_impl->reference);
    const bool public_ = query.audience == Audience::public_;
    SqlFilter f = sql_filter(c, query.audience, Sites::sited);
    const std::string lon = public_ ? "s.public_lon" : "s.lon", lat = public_ ? "s.public_lat" : "s.lat";
    return m_impl->read([&]() -> std::optional<BBox> {
        auto& stmt = m_impl->prepare("SELECT min(" + lon + "), min(" + lat + "), max(" + lon + "), max(" + lat +
                                     ") FROM " + f.from + " WHERE " + f.where);
        f.bind(stmt);
        if (!stmt.step() || stmt.is_null(0)) return std::nullopt;
        return BBox{stmt.column_double(0), stmt.column_double(1), stmt.column_double(2), stmt.column_double(3)};
    });
}

} // namespace enlace::core
