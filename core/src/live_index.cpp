#include "live_index.hpp"

#include "enlace/core/vocabulary.hpp"

#include <algorithm>
#include <numeric>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace enlace::core::detail {
namespace {

template <class List, class Code> int position_of(const List& list, const Code& code) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].code == code) return static_cast<int>(i);
    return -1;
}

IndexedPoint point_of(const IndexRow& row, const ReferenceData& ref) {
    IndexedPoint p;
    p.id = row.id;
    p.sited = row.point.has_value();
    if (row.point) p.point = *row.point;
    p.countries = MaskCodes::countries(ref, {row.country});
    p.statuses = MaskCodes::statuses({row.status});
    if (row.age_min) p.age_min = static_cast<std::uint8_t>(std::clamp(*row.age_min, 0, 254));
    if (row.age_max) p.age_max = static_cast<std::uint8_t>(std::clamp(*row.age_max, 0, 254));
    return p;
}

IndexedPoint* find_point(std::vector<IndexedPoint>& points, std::int64_t id) {
    auto it = std::lower_bound(points.begin(), points.end(), id,
                               [](const IndexedPoint& p, std::int64_t wanted) { return p.id < wanted; });
    return it != points.end() && it->id == id ? &*it : nullptr;
}

void link(IndexedPoint& p, IndexLink link, const std::string& code, const ReferenceData& ref) {
    switch (link) {
    case IndexLink::type:
        p.types |= MaskCodes::types(ref, {code});
        break;
    case IndexLink::population:
        p.populations |= MaskCodes::populations(ref, {code});
        break;
    case IndexLink::area_country:
        // Country filters match a service's own country; available_in and "available here" a
        // service without a site by its area.
        if (!p.sited) p.area_countries |= MaskCodes::countries(ref, {code});
        break;
    }
}

/// Rows and links read into points, split by whether they have a site, each list in id order. A
/// service that lists no populations serves them all.
struct Points {
    std::vector<IndexedPoint> sited, unsited;

    IndexScan scan(const ReferenceData& ref) {
        return {[this](std::int64_t s, std::int64_t u) {
                    sited.reserve(static_cast<std::size_t>(s));
                    unsited.reserve(static_cast<std::size_t>(u));
                },
                [this, &ref](const IndexRow& row) { (row.point ? sited : unsited).push_back(point_of(row, ref)); },
                [this, &ref](IndexLink kind, std::int64_t id, const std::string& code) {
                    IndexedPoint* p = find_point(sited, id);
                    if (!p) p = find_point(unsited, id);
                    if (p) link(*p, kind, code, ref);
                }};
    }
    void finish() {
        for (auto* list : {&sited, &unsited})
            for (auto& p : *list)
                if (p.populations == 0) p.populations = ~0u;
    }
};

} // namespace

std::uint64_t MaskCodes::types(const ReferenceData& ref, const std::vector<std::string>& codes) {
    std::uint64_t mask = 0;
    for (const auto& code : codes)
        if (int i = position_of(ref.terms(), code); i >= 0) mask |= 1ull << i;
    return mask;
}

std::uint32_t MaskCodes::countries(const ReferenceData& ref, const std::vector<std::string>& codes) {
    std::uint32_t mask = 0;
    const auto& list = ref.countries();
    for (const auto& code : codes)
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].alpha2 == code) mask |= 1u << i;
    return mask;
}

std::uint32_t MaskCodes::populations(const ReferenceData& ref, const std::vector<std::string>& codes) {
    std::uint32_t mask = 0;
    for (const auto& code : codes)
        if (int i = position_of(ref.populations(), code); i >= 0) mask |= 1u << i;
    return mask;
}

std::uint8_t MaskCodes::statuses(const std::vector<ServiceStatus>& statuses) {
    std::uint8_t mask = 0;
    for (auto s : statuses)
        mask |= static_cast<std::uint8_t>(1u << static_cast<int>(s));
    return mask;
}

PointFilter point_filter(const ServiceConditions& c, const ReferenceData& ref) {
    PointFilter f;
    if (!c.types.empty()) f.types = MaskCodes::types(ref, c.types);
    if (!c.countries.empty()) f.countries = MaskCodes::countries(ref, c.countries);
    if (!c.available_in.empty()) f.available_in = MaskCodes::countries(ref, c.available_in);
    if (!c.populations.empty()) f.populations = MaskCodes::populations(ref, c.populations);
    f.statuses = MaskCodes::statuses(c.statuses);
    f.age = c.age;
    f.bbox = c.bbox;
    return f;
}

std::shared_ptr<const ServiceIndex> build_index(Store& store, const ReferenceData& reference, Audience audience,
                                                std::int64_t revision) {
    Points points;
    store.scan_index(audience, points.scan(reference));
    points.finish();
    auto index = ServiceIndex::build(revision, std::move(points.sited), std::move(points.unsited));
#ifdef __GLIBC__
    malloc_trim(0); // the build's scratch (row buffers, sorting) is large: hand it back to the system
#endif
    return index;
}

std::shared_ptr<const PublicService> RecordCache::get(std::int64_t id, std::int64_t revision) {
    std::lock_guard lock(m_mutex);
    if (revision > m_known) return nullptr;
    const auto it = m_entries.find(id);
    if (it == m_entries.end() || it->second.read_at > revision) return nullptr;
    m_recency.splice(m_recency.begin(), m_recency, it->second.recency);
    return it->second.record;
}

RecordCache::Entries::iterator RecordCache::erase(Entries::iterator entry) {
    m_recency.erase(entry->second.recency);
    return m_entries.erase(entry);
}

void RecordCache::put(std::int64_t id, std::int64_t revision, std::shared_ptr<const PublicService> record) {
    std::lock_guard lock(m_mutex);
    if (m_capacity == 0) return;
    if (revision != m_known) return; // an older snapshot may read what a later change replaced
    if (const auto it = m_entries.find(id); it != m_entries.end()) {
        it->second.record = std::move(record);
        it->second.read_at = revision;
        m_recency.splice(m_recency.begin(), m_recency, it->second.recency);
        return;
    }
    if (m_entries.size() >= m_capacity) erase(m_entries.find(m_recency.back()));
    m_recency.push_front(id);
    m_entries.emplace(id, Entry{std::move(record), revision, m_recency.begin()});
}

void RecordCache::set_capacity(std::size_t capacity) {
    std::lock_guard lock(m_mutex);
    m_capacity = capacity;
    while (m_entries.size() > m_capacity)
        erase(m_entries.find(m_recency.back()));
}

std::size_t RecordCache::size() {
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

void RecordCache::advance(std::int64_t revision, const std::vector<LoggedChange>& changes) {
    std::lock_guard lock(m_mutex);
    for (const auto& change : changes) {
        if (!change.kind) {
            m_entries.clear(); // reference data: labels, sensitive types, countries
            m_recency.clear();
            continue;
        }
        if (*change.kind != RecordKind::service) continue;
        const auto span = static_cast<std::size_t>(change.last_id - change.first_id + 1);
        if (span > m_entries.size()) {
            for (auto it = m_entries.begin(); it != m_entries.end();)
                it = it->first >= change.first_id && it->first <= change.last_id ? erase(it) : std::next(it);
        } else {
            for (std::int64_t id = change.first_id; id <= change.last_id; ++id)
                if (const auto it = m_entries.find(id); it != m_entries.end()) erase(it);
        }
    }
    m_known = revision;
}

void LiveIndex::start(std::int64_t revision) {
    std::lock_guard lock(m_mutex);
    if (m_known >= 0) return;
    m_known = revision;
    std::lock_guard records(m_records.m_mutex);
    m_records.m_known = revision;
}

void LiveIndex::advance(Store& store, std::int64_t revision) {
    std::lock_guard lock(m_mutex);
    if (revision <= m_known) return;
    const auto changes = store.changes_since(m_known);
    for (const auto& change : changes)
        if (!change.kind) m_reference_revision = change.revision;
    m_records.advance(revision, changes);
    m_known = revision;
}

std::int64_t LiveIndex::known() {
    std::lock_guard lock(m_mutex);
    return m_known;
}

std::optional<std::int64_t> LiveIndex::trusted_revision() {
    std::lock_guard lock(m_mutex);
    if (!m_listening_since || std::chrono::steady_clock::now() - *m_listening_since >= trust_window) return {};
    return m_known;
}

void LiveIndex::confirm_following(std::chrono::steady_clock::time_point since) {
    std::lock_guard lock(m_mutex);
    m_listening_since = since;
}

void LiveIndex::stop_following() {
    std::lock_guard lock(m_mutex);
    m_listening_since.reset();
}

std::int64_t LiveIndex::reference_revision() {
    std::lock_guard lock(m_mutex);
    return m_reference_revision;
}

bool LiveIndex::has_index(Audience audience) {
    Family& f = family(audience);
    std::lock_guard lock(f.mutex);
    return !f.versions.empty();
}

namespace {

/// `from` advanced to `revision` through the log, or null when a rebuild is due: the reference
/// data changed (mask positions), or more services changed than advancing beats rebuilding for.
std::shared_ptr<const ServiceIndex> advance_index(Store& store, const ReferenceData& ref, Audience audience,
                                                  const ServiceIndex& from, std::int64_t revision) {
    const auto changes = store.changes_since(from.revision());
    const auto size = static_cast<double>(from.sited_size() + from.unsited().size());
    double touched = 0;
    for (const auto& change : changes) {
        if (change.revision > revision) break;
        if (!change.kind) return nullptr;
        if (*change.kind == RecordKind::service) touched += static_cast<double>(change.last_id - change.first_id + 1);
    }
    if (touched > 1000 && touched > LiveIndex::rebuild_share * size) return nullptr;
    std::vector<std::int64_t> ids;
    for (const auto& change : changes) {
        if (change.revision > revision) break;
        if (*change.kind != RecordKind::service) continue;
        for (std::int64_t id = change.first_id; id <= change.last_id; ++id)
            ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    Points points;
    if (!ids.empty()) store.index_rows(audience, ids, points.scan(ref));
    points.finish();
    std::vector<IndexedPoint> all = std::move(points.sited);
    all.insert(all.end(), points.unsited.begin(), points.unsited.end());
    return from.advanced(revision, ids, std::move(all));
}

} // namespace

std::shared_ptr<const ServiceIndex> LiveIndex::index(Store& store, const ReferenceData& reference, Audience audience,
                                                     std::int64_t revision, bool uncommitted) {
    // Rows a rollback may undo must not stay in the shared index, under a revision a later
    // commit reaches again.
    if (uncommitted) return build_index(store, reference, audience, revision);
    Family& f = family(audience);
    // Under the lock, so that concurrent readers of a new revision advance or build once.
    std::lock_guard lock(f.mutex);
    std::shared_ptr<const ServiceIndex> from;
    for (const auto& version : f.versions) {
        if (version->revision() == revision) return version;
        if (version->revision() < revision) from = version;
    }
    std::shared_ptr<const ServiceIndex> next =
        from ? advance_index(store, reference, audience, *from, revision) : nullptr;
    if (!next) {
        next = build_index(store, reference, audience, revision);
        ++m_builds;
    }
    const auto at =
        std::find_if(f.versions.begin(), f.versions.end(), [&](const auto& v) { return v->revision() > revision; });
    f.versions.insert(at, next);
    while (f.versions.size() > kept_versions)
        f.versions.pop_front();
    return next;
}

} // namespace enlace::core::detail
