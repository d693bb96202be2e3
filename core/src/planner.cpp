// Service queries: checked once into conditions (conditions.hpp), then answered by the in-memory
// index (near: in distance order; lists whose conditions it answers: in id order) or by the store
// (every other list, in id order), with the conditions the answering side cannot evaluate checked
// on each record. Every path returns what holds() says.
#include "cursor.hpp"
#include "enlace/core/conditions.hpp"
#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "live_index.hpp"
#include "registry_impl.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace enlace::core {
namespace {

using detail::Cursor;

/// A query checked against the reference data, with its conditions and its page.
struct Plan {
    const ServiceQuery& query;
    ServiceConditions conditions;
    Cursor cursor;
    /// Whose hotlines a nearest page offers beside its results: those covering the point's
    /// countries among these (the query's country filter; empty: any).
    std::vector<std::string> offered_in;
    /// A part of a scoped reader's query (split_by_scope): its country condition says which
    /// services this part reads, and holds for the hotlines it offers too.
    bool part = false;
    bool by_distance() const { return query.near.has_value(); }
};

Plan plan_of(const ServiceQuery& q, const ReferenceData& ref) {
    if (q.limit < 1 || q.limit > ServiceQuery::max_limit)
        throw query_error("limit", "must be between 1 and " + std::to_string(ServiceQuery::max_limit));
    Plan plan{q, conditions_of(q, ref), {}, q.countries};
    if (q.near) {
        if (!geodesy::valid_lat(q.near->point.lat)) throw query_error("lat", "must be a latitude between -90 and 90");
        if (!geodesy::valid_lon(q.near->point.lon))
            throw query_error("lon", "must be a longitude between -180 and 180");
        if (q.near->radius_m && !(*q.near->radius_m > 0 && std::isfinite(*q.near->radius_m)))
            throw query_error("radius_km", "must be a positive number");
        if (q.near->k && *q.near->k < 1) throw query_error("k", "must be at least 1");
    }
    if (!q.cursor.empty()) {
        plan.cursor = detail::decode_cursor(q.cursor);
        if (plan.cursor.after_chord2.has_value() != plan.by_distance())
            throw query_error("cursor", "belongs to a query with a different sort order");
    }
    return plan;
}

/// The audience's point of a view, as the conditions compare it.
std::optional<GeoPoint> point_of(const ServiceView& view) {
    const auto site = view.site();
    return site ? std::optional(site->point) : std::nullopt;
}

bool record_holds(const ServiceConditions& c, const ServiceView& view) {
    return holds(c, view.fields(), point_of(view));
}

/// Answers "does service id match the words?" for walks over the index. A word with few matches
/// has them gathered once; past `gather_limit` (a common word) each candidate is looked up
/// instead, so a near query never gathers 600,000 ids.
class TextFilter {
  public:
    static constexpr std::size_t gather_limit = 5000;

    TextFilter(Store& store, const std::vector<std::string>& words) : m_store(&store), m_words(words) {
        if (words.empty()) return;
        auto ids = store.text_ids(words, gather_limit + 1);
        if (ids.size() <= gather_limit) m_gathered = std::unordered_set<std::int64_t>(ids.begin(), ids.end());
    }

    bool operator()(std::int64_t id) const {
        if (m_words.empty()) return true;
        if (m_gathered) return m_gathered->count(id) > 0;
        return m_store->text_matches(m_words, id);
    }

  private:
    Store* m_store;
    const std::vector<std::string>& m_words;
    std::optional<std::unordered_set<std::int64_t>> m_gathered;
};

double max_chord2(const Near& near) {
    if (!near.radius_m) return std::numeric_limits<double>::infinity();
    const double chord = geodesy::m_to_chord(*near.radius_m);
    return chord * chord;
}

/// Whether the index answers every condition (masks and bbox), so that matches are found and
/// counted without reading a record.
bool index_answers(const ServiceConditions& c) { return c.words.empty() && !c.needs_record(); }
using detail::point_filter;

/// Whether a list is better walked in the index than scanned by the store in id order: it narrows
/// by place or attribute. A list of (nearly) everything, such as an export, is a plain scan.
bool index_narrows(const ServiceConditions& c) {
    return c.bbox || !c.countries.empty() || !c.available_in.empty() || !c.types.empty() || !c.populations.empty() ||
           c.age;
}

/// Ordered by id, from the store: the open_at condition (which it leaves out) checked on each.
ServicePage list_from_store(Registry::Impl& impl, const Plan& plan) {
    const auto& q = plan.query;
    ServicePage page;
    std::int64_t after = plan.cursor.after_id;
    const int batch = std::min(ServiceQuery::max_limit, q.limit + 1);
    while (true) {
        const auto ids = impl.store->service_ids(plan.conditions, after, batch);
        impl.prefetch_services(ids, q.audience);
        for (auto id : ids) {
            after = id;
            auto service = impl.read_service(id, q.audience);
            if (!service || (plan.conditions.open_at && !record_holds(plan.conditions, service))) continue;
            if (static_cast<int>(page.items.size()) == q.limit) {
                page.next_cursor = detail::encode_cursor({page.items.back().service->id, std::nullopt, 0});
                return page;
            }
            page.items.push_back({std::move(service), std::nullopt});
        }
        if (static_cast<int>(ids.size()) < batch) return page;
    }
}

/// The largest batch a nearest walk grows to: enough that resuming is rare, small beside the
/// record cache.
constexpr std::size_t max_near_batch = 1024;

/// Walks matching sited services outward from the point, calling take(service, chord2) until it
/// returns false. Masks prune the index and words are checked on each point; the candidates are
/// gathered `batch` at a time and their records read at once (one statement on a remote store)
/// before the record conditions are checked on each. A batch that falls short resumes the walk
/// strictly after its last point, with a batch twice as large.
template <class Take>
void walk_near(Registry::Impl& impl, const Plan& plan, detail::NearPosition after, std::size_t batch, Take&& take) {
    const auto& q = plan.query;
    const auto& c = plan.conditions;
    const auto index = impl.index(q.audience);
    const TextFilter text(*impl.store, c.words);
    const bool check_record = c.needs_record();
    const auto filter = point_filter(c, impl.reference);
    batch = std::max<std::size_t>(batch, 1);
    std::vector<std::pair<std::int64_t, double>> candidates; // (id, chord2), nearest first
    std::vector<std::int64_t> ids;
    while (true) {
        candidates.clear();
        bool exhausted = true;
        index->nearest(q.near->point, max_chord2(*q.near), filter, after,
                       [&](const detail::IndexedPoint& p, double chord2) {
                           after = {chord2, p.id};
                           if (!text(p.id)) return true;
                           candidates.emplace_back(p.id, chord2);
                           exhausted = candidates.size() < batch;
                           return exhausted;
                       });
        ids.clear();
        for (const auto& candidate : candidates)
            ids.push_back(candidate.first);
        impl.prefetch_services(ids, q.audience);
        for (const auto& [id, chord2] : candidates) {
            auto service = impl.read_service(id, q.audience);
            if (!service) continue;
            if (check_record && !record_holds(c, service)) continue;
            if (!take(std::move(service), chord2)) return;
        }
        if (exhausted) return;
        // A condition few records meet: larger batches, so that it costs a few walks and reads.
        if (batch < max_near_batch) batch = std::min(batch * 2, max_near_batch);
    }
}

/// The services without a site that match a list (none with a bbox: they have no point).
std::vector<const detail::IndexedPoint*> unsited_matches(const detail::ServiceIndex& index,
                                                         const detail::PointFilter& filter) {
    std::vector<const detail::IndexedPoint*> out;
    if (filter.bbox) return out;
    for (const auto& p : index.unsited())
        if (filter.accepts(p)) out.push_back(&p);
    return out;
}

/// A page in id order from the in-memory index: sited services walked in id order, merged with
/// the matching services without a site; only the page's records are read. The total comes from
/// the index's counts.
ServicePage list_from_index(Registry::Impl& impl, const Plan& plan) {
    const auto& q = plan.query;
    const auto index = impl.index(q.audience);
    const auto filter = point_filter(plan.conditions, impl.reference);
    const auto unsited = unsited_matches(*index, filter);
    ServicePage page;
    if (q.with_total) page.total = index->count(filter) + static_cast<std::int64_t>(unsited.size());
    const std::int64_t after = plan.cursor.after_id;
    auto next_unsited = std::upper_bound(unsited.begin(), unsited.end(), after,
                                         [](std::int64_t id, const detail::IndexedPoint* p) { return id < p->id; });
    // The page's ids and one more (whether there is a next page), then their records at once.
    std::vector<std::int64_t> ids;
    const auto wanted = static_cast<std::size_t>(q.limit) + 1;
    auto take = [&](std::int64_t id) {
        ids.push_back(id);
        return ids.size() < wanted;
    };
    bool open = true;
    index->by_id(filter, after, [&](const detail::IndexedPoint& p) {
        while (open && next_unsited != unsited.end() && (*next_unsited)->id < p.id)
            open = take((*next_unsited++)->id);
        return open = open && take(p.id);
    });
    while (open && next_unsited != unsited.end())
        open = take((*next_unsited++)->id);
    const bool more = ids.size() == wanted;
    if (more) ids.pop_back();
    impl.prefetch_services(ids, q.audience);
    for (const auto id : ids) {
        // The index is of this snapshot's revision: every id it returns is readable.
        auto service = impl.read_service(id, q.audience);
        if (!service) throw error("service " + std::to_string(id) + " is in the index but not in the registry");
        page.items.push_back({std::move(service), std::nullopt});
    }
    if (more) page.next_cursor = detail::encode_cursor({page.items.back().service->id, std::nullopt, 0});
    return page;
}

/// How many a nearest query returns in all: its k, else no limit.
std::int64_t nearest_k(const ServiceQuery& q) {
    return q.near && q.near->k ? std::int64_t{*q.near->k} : std::numeric_limits<std::int64_t>::max();
}

/// A match of a nearest walk, with the chord² it is ordered by.
struct Ranked {
    ServiceView service;
    double chord2 = 0;
};

/// How many a page by distance holds: its limit, or what k leaves after the pages before it.
std::int64_t distance_want(const Plan& plan) {
    const auto& q = plan.query;
    const std::int64_t k = nearest_k(q);
    return std::min<std::int64_t>(q.limit, k - plan.cursor.rank);
}

/// Up to `want` matches nearest first, strictly after the plan's cursor; `more` says whether
/// another follows.
std::vector<Ranked> nearest_after_cursor(Registry::Impl& impl, const Plan& plan, std::int64_t want, bool& more) {
    std::vector<Ranked> out;
    more = false;
    detail::NearPosition after;
    if (plan.cursor.after_chord2) after = {*plan.cursor.after_chord2, plan.cursor.after_id};
    walk_near(impl, plan, after, static_cast<std::size_t>(want) + 1, [&](ServiceView service, double chord2) {
        if (static_cast<std::int64_t>(out.size()) == want) {
            more = true;
            return false;
        }
        out.push_back({std::move(service), chord2});
        return true;
    });
    return out;
}

/// A page of `want` ranked matches (or fewer, on the last page), with the cursor after the last
/// when more follow within k.
ServicePage distance_page(const Plan& plan, std::vector<Ranked> ranked, bool more, std::int64_t want) {
    const auto& q = plan.query;
    const std::int64_t k = nearest_k(q);
    ServicePage page;
    if (more && !ranked.empty() && plan.cursor.rank + want < k)
        page.next_cursor =
            detail::encode_cursor({ranked.back().service->id, ranked.back().chord2, plan.cursor.rank + want});
    for (auto& r : ranked)
        page.items.push_back({std::move(r.service), geodesy::chord_to_m(std::sqrt(r.chord2))});
    return page;
}

ServicePage list_by_distance(Registry::Impl& impl, const Plan& plan) {
    const std::int64_t want = distance_want(plan);
    if (want <= 0) return {};
    bool more = false;
    auto ranked = nearest_after_cursor(impl, plan, want, more);
    return distance_page(plan, std::move(ranked), more, want);
}

/// Services without a site whose area covers the point: the hotlines of the country it is in,
/// from the index's list of them; all matches are counted, the first few read into the page.
void add_available_here(Registry::Impl& impl, const Plan& plan, ServicePage& page) {
    const auto& q = plan.query;
    const auto& c = plan.conditions;
    // The point's countries, narrowed by a country or availability filter: the hotlines offered
    // are those whose area covers where the caseworker is, whatever their own country.
    auto wanted = [&](const std::vector<std::string>& list, const std::string& code) {
        return list.empty() || std::find(list.begin(), list.end(), code) != list.end();
    };
    std::vector<std::string> here;
    for (const auto* country : impl.reference.countries_at(q.near->point))
        if (wanted(plan.offered_in, country->alpha2) && wanted(c.available_in, country->alpha2))
            here.push_back(country->alpha2);
    if (here.empty()) return;
    auto filter = point_filter(c, impl.reference);
    filter.available_in = ~0u; // by area, below
    if (!plan.part) filter.countries = ~0u;
    const auto area = detail::MaskCodes::countries(impl.reference, here);
    const TextFilter text(*impl.store, c.words);
    const bool check_record = c.needs_record();
    const auto index = impl.index(q.audience);
    for (const auto& p : index->unsited()) {
        if (!(p.area_countries & area) || !filter.accepts(p) || !text(p.id)) continue;
        const bool listed = page.available_here.size() < static_cast<std::size_t>(ServiceQuery::available_here_limit);
        if (!listed && !check_record) {
            ++page.available_here_total;
            continue;
        }
        auto service = impl.read_service(p.id, q.audience);
        if (!service || (check_record && !record_holds(c, service))) continue;
        ++page.available_here_total;
        if (listed) page.available_here.push_back(std::move(service));
    }
}

/// How many records a count by distance reads at once: enough to save round trips, few enough
/// not to push the rest of the record cache out.
constexpr std::int64_t count_batch = 256;

/// How many services match (ignoring k, cursor and limit for lists; near counts stop at k).
std::int64_t count_matches(Registry::Impl& impl, const Plan& plan) {
    const auto& q = plan.query;
    const auto& c = plan.conditions;
    if (plan.by_distance()) {
        const std::int64_t k = nearest_k(q);
        std::int64_t n = 0;
        walk_near(impl, plan, {}, static_cast<std::size_t>(std::min<std::int64_t>(k, count_batch)),
                  [&](const ServiceView&, double) { return ++n < k; });
        return n;
    }
    if (index_answers(c)) {
        const auto index = impl.index(q.audience);
        const auto filter = point_filter(c, impl.reference);
        return index->count(filter) + static_cast<std::int64_t>(unsited_matches(*index, filter).size());
    }
    if (!c.open_at) return impl.store->count_services(c);
    std::int64_t n = 0;
    std::int64_t after = 0;
    while (true) {
        const auto ids = impl.store->service_ids(c, after, ServiceQuery::max_limit);
        for (auto id : ids) {
            after = id;
            if (auto s = impl.read_service(id, q.audience); s && record_holds(c, s)) ++n;
        }
        if (static_cast<int>(ids.size()) < ServiceQuery::max_limit) return n;
    }
}

/// A page in id order, from the index or the store, whichever answers the plan better.
ServicePage list_by_id(Registry::Impl& impl, const Plan& plan) {
    const bool from_index = index_answers(plan.conditions) && index_narrows(plan.conditions);
    return from_index ? list_from_index(impl, plan) : list_from_store(impl, plan);
}

ServicePage page_of(Registry::Impl& impl, const Plan& plan) {
    ServicePage page = plan.by_distance() ? list_by_distance(impl, plan) : list_by_id(impl, plan);
    if (plan.by_distance() && plan.query.cursor.empty()) add_available_here(impl, plan, page);
    if (plan.query.with_total && !page.total) page.total = count_matches(impl, plan);
    return page;
}

/// A reader with a scope of some countries (ServiceQuery::whole_in): its query split by the
/// services' own country into the part read whole (the authorised audience) and the part read as
/// the public; either may be absent. Each part is an ordinary query over disjoint services, so
/// their answers merge in the one order (distance then id, or id) that a cursor resumes from. The
/// hotlines a nearest page offers are split alike, over every country: they are offered whatever
/// their own country, each as this reader may see it.
struct ScopedQuery {
    std::vector<ServiceQuery> queries; // not resized once plans refer to it
    std::vector<Plan> plans;           // the results' parts
    std::vector<Plan> offers;          // the offered hotlines' parts

    ScopedQuery() = default;
    ScopedQuery(ScopedQuery&&) = default; // the queries stay where the plans point
    ScopedQuery(const ScopedQuery&) = delete;
};

bool scoped(const ServiceQuery& q) { return q.audience == Audience::public_ && !q.whole_in.empty(); }

ScopedQuery split_by_scope(const ServiceQuery& q, const ReferenceData& ref) {
    plan_of(q, ref); // every parameter checked as given, before the parts narrow the countries
    std::vector<std::string> every;
    for (const auto& country : ref.countries())
        every.push_back(country.alpha2);
    const auto in_scope = [&](const std::string& code) {
        return std::find(q.whole_in.begin(), q.whole_in.end(), code) != q.whole_in.end();
    };
    ScopedQuery out;
    out.queries.reserve(4);
    std::vector<std::pair<std::size_t, bool>> parts; // (query, is an offer)
    const auto add_parts = [&](const std::vector<std::string>& countries, bool offer) {
        std::vector<std::string> inside, outside;
        for (const auto& code : countries)
            (in_scope(code) ? inside : outside).push_back(code);
        for (auto* side : {&inside, &outside}) {
            if (side->empty()) continue;
            auto& part = out.queries.emplace_back(q);
            part.whole_in.clear();
            part.countries = std::move(*side);
            part.with_total = false; // counted once for all parts
            if (side == &inside) part.audience = Audience::authorised;
            parts.emplace_back(out.queries.size() - 1, offer);
        }
    };
    add_parts(q.countries.empty() ? every : q.countries, false);
    if (q.near && q.cursor.empty()) add_parts(every, true);
    for (const auto& [index, offer] : parts) {
        auto& plan = (offer ? out.offers : out.plans).emplace_back(plan_of(out.queries[index], ref));
        plan.offered_in = q.countries;
        plan.part = true;
    }
    return out;
}

/// Matches of all the parts, capped at k as one query's count is.
std::int64_t count_parts(Registry::Impl& impl, const ServiceQuery& q, const std::vector<Plan>& plans) {
    std::int64_t n = 0;
    for (const auto& plan : plans)
        n += count_matches(impl, plan);
    return std::min(n, nearest_k(q));
}

ServicePage find_scoped(Registry::Impl& impl, const ServiceQuery& q, const ScopedQuery& split) {
    const auto& plans = split.plans;
    ServicePage page;
    if (q.near) {
        const std::int64_t want = distance_want(plans.front()); // the parts share the cursor
        if (want > 0) {
            std::vector<Ranked> merged;
            bool more = false;
            for (const auto& plan : plans) {
                bool part_more = false;
                auto ranked = nearest_after_cursor(impl, plan, want, part_more);
                more = more || part_more;
                std::move(ranked.begin(), ranked.end(), std::back_inserter(merged));
            }
            std::sort(merged.begin(), merged.end(), [](const Ranked& a, const Ranked& b) {
                return a.chord2 != b.chord2 ? a.chord2 < b.chord2 : a.service->id < b.service->id;
            });
            if (static_cast<std::int64_t>(merged.size()) > want) {
                more = true;
                merged.resize(static_cast<std::size_t>(want));
            }
            page = distance_page(plans.front(), std::move(merged), more, want);
        }
        if (q.cursor.empty()) {
            for (const auto& plan : split.offers) {
                ServicePage offered;
                add_available_here(impl, plan, offered);
                page.available_here_total += offered.available_here_total;
                std::move(offered.available_here.begin(), offered.available_here.end(),
                          std::back_inserter(page.available_here));
            }
            std::sort(page.available_here.begin(), page.available_here.end(),
                      [](const ServiceView& a, const ServiceView& b) { return a->id < b->id; });
            if (page.available_here.size() > static_cast<std::size_t>(ServiceQuery::available_here_limit))
                page.available_here.resize(static_cast<std::size_t>(ServiceQuery::available_here_limit));
        }
    } else {
        bool more = false;
        for (const auto& plan : plans) {
            auto part = list_by_id(impl, plan);
            more = more || !part.next_cursor.empty();
            std::move(part.items.begin(), part.items.end(), std::back_inserter(page.items));
        }
        std::sort(page.items.begin(), page.items.end(),
                  [](const ServiceHit& a, const ServiceHit& b) { return a.service->id < b.service->id; });
        if (page.items.size() > static_cast<std::size_t>(q.limit)) {
            more = true;
            page.items.resize(static_cast<std::size_t>(q.limit));
        }
        if (more && !page.items.empty())
            page.next_cursor = detail::encode_cursor({page.items.back().service->id, std::nullopt, 0});
    }
    if (q.with_total) page.total = count_parts(impl, q, plans);
    return page;
}

} // namespace

ServicePage Registry::find(const ServiceQuery& query) const {
    if (scoped(query)) {
        const auto split = split_by_scope(query, m_impl->reference);
        return m_impl->read_followed([&] {
            m_impl->bulk_read = query.limit > Impl::record_cache_max_page;
            return find_scoped(*m_impl, query, split);
        });
    }
    const Plan plan = plan_of(query, m_impl->reference);
    return m_impl->read_followed([&] {
        m_impl->bulk_read = query.limit > Impl::record_cache_max_page;
        return page_of(*m_impl, plan);
    });
}

void Registry::prepare_index() const {
    m_impl->read([&] { return m_impl->index(Audience::public_) != nullptr; });
}

Readiness Registry::readiness() const noexcept {
    Readiness r;
    try {
        if (!m_impl->live->has_index(Audience::public_)) {
            r.problem = "the index of public services is not built yet";
            return r;
        }
        m_impl->read([&] {
            r.revision = m_impl->snapshot_revision;
            r.index_revision = m_impl->index(Audience::public_)->revision();
            return 0;
        });
        r.ready = r.index_revision == r.revision;
        if (!r.ready) r.problem = "the index of public services is behind the registry";
    } catch (...) {
        // Not the store's own message: it may name the file, and /readyz answers anyone.
        r.problem = "the registry does not answer";
    }
    return r;
}

std::int64_t Registry::count(const ServiceQuery& query) const {
    if (scoped(query)) {
        const auto split = split_by_scope(query, m_impl->reference);
        return m_impl->read([&] { return count_parts(*m_impl, query, split.plans); });
    }
    const Plan plan = plan_of(query, m_impl->reference);
    return m_impl->read([&] { return count_matches(*m_impl, plan); });
}

std::optional<BBox> Registry::extent(const ServiceQuery& query) const {
    ServiceQuery unpaged = query;
    unpaged.near.reset();
    unpaged.cursor.clear();
    if (!scoped(unpaged)) {
        const Plan plan = plan_of(unpaged, m_impl->reference);
        return m_impl->read([&] { return m_impl->store->extent(plan.conditions); });
    }
    const auto split = split_by_scope(unpaged, m_impl->reference);
    return m_impl->read([&] {
        std::optional<BBox> out;
        for (const auto& plan : split.plans) {
            const auto part = m_impl->store->extent(plan.conditions);
            if (!part) continue;
            out = out ? BBox{std::min(out->west, part->west), std::min(out->south, part->south),
                             std::max(out->east, part->east), std::max(out->north, part->north)}
                      : *part;
        }
        return out;
    });
}

} // namespace enlace::core
