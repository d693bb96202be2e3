#include "write_pipeline.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/validation.hpp"
#include "stored_records.hpp"

#include <algorithm>

namespace enlace::core::detail {
namespace {

using Issues = std::vector<validation_issue>;

/// What differs between the kinds along the one path.
template <class Record> struct KindOf;

template <> struct KindOf<Service> {
    static constexpr RecordKind kind = RecordKind::service;
    static constexpr const char* noun = "service";
    static std::vector<std::string> countries(const Service& s) { return {s.country}; }
    static Service decode(std::int64_t id, const StoredRecord& stored) { return decode_service(id, stored); }

    static void resolve(Registry::Impl& impl, Service& s, Issues& issues) {
        if (!s.actor_id && s.actor_key) {
            s.actor_id = impl.store->find_id(RecordKind::actor, *s.actor_key);
            if (!s.actor_id)
                issues.push_back({"actor", "unknown actor '" + s.actor_key->source + ":" + s.actor_key->source_id + "'"});
        } else if (s.actor_id && !impl.store->exists(RecordKind::actor, *s.actor_id)) {
            issues.push_back({"actor_id", "no actor with id " + std::to_string(*s.actor_id)});
        }
        s.actor_key.reset();
    }

    /// The public point, fixed when written: the site, or for a sensitive type the centre of its
    /// 0.1° cell kept inside the country's box.
    static void apply_privacy(const ReferenceData& reference, Service& s) {
        s.coarsened = false;
        s.public_point.reset();
        if (!s.site) return;
        s.coarsened = reference.any_sensitive(s.types);
        s.public_point = s.coarsened ? geodesy::coarsen(s.site->point, reference.country(s.country)->bbox) : s.site->point;
    }
};

template <> struct KindOf<Actor> {
    static constexpr RecordKind kind = RecordKind::actor;
    static constexpr const char* noun = "actor";
    static std::vector<std::string> countries(const Actor& a) { return a.countries; }
    static Actor decode(std::int64_t id, const StoredRecord& stored) { return decode_actor(id, stored); }
    static void resolve(Registry::Impl&, Actor&, Issues&) {}
    static void apply_privacy(const ReferenceData&, Actor&) {}
};

template <> struct KindOf<Practice> {
    static constexpr RecordKind kind = RecordKind::practice;
    static constexpr const char* noun = "practice";
    static std::vector<std::string> countries(const Practice& p) { return p.countries; }
    static Practice decode(std::int64_t id, const StoredRecord& stored) { return decode_practice(id, stored); }

    /// Keys to ids, and every linked record must exist.
    static void resolve(Registry::Impl& impl, Practice& p, Issues& issues) {
        auto links = [&](RecordKind kind, const char* field, const char* noun, std::vector<std::int64_t>& ids,
                         std::vector<RecordKey>& keys) {
            for (const auto& key : keys) {
                if (auto id = impl.store->find_id(kind, key))
                    ids.push_back(*id);
                else
                    issues.push_back({field, std::string("unknown ") + noun + " '" + key.source + ":" + key.source_id + "'"});
            }
            keys.clear();
            for (auto id : ids)
                if (!impl.store->exists(kind, id)) issues.push_back({field, "no record with id " + std::to_string(id)});
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        };
        links(RecordKind::actor, "actors", "actor", p.actor_ids, p.actor_keys);
        links(RecordKind::service, "services", "service", p.service_ids, p.service_keys);
    }
    static void apply_privacy(const ReferenceData&, Practice&) {}
};

/// One audit row for the change, or, for a service a batch creates right after the ones before it
/// by the same writer, a place in the batch's run (written as one row at its end: an import of a
/// million services adds one row).
void audit(Registry::Impl& impl, const std::string& who, RecordKind kind, std::int64_t id, bool created,
           const std::string& before) {
    if (created && impl.in_batch && kind == RecordKind::service) {
        auto& run = impl.pending_creates;
        if (run.count > 0 && (run.who != who || run.kind != kind || id != run.first + run.count)) impl.write_pending_creates();
        if (run.count == 0) run = {who, kind, id, 0};
        ++run.count;
        return;
    }
    impl.write_pending_creates();  // the trail stays in the order things happened
    // No copy of the version written: history() finds it as the next change's `before`, or as the
    // record itself. A bulk import writes each document once rather than twice.
    impl.store->append_change({utc_now(), who, kind, id, id, created ? "create" : "update", before});
}

} // namespace

template <class Record> WriteResult write_record(Registry::Impl& impl, Record record, const std::string& who) {
    using Kind = KindOf<Record>;
    Store& store = *impl.store;

    // The stored version it replaces, by id or by (source, source_id), and whether the writer may
    // touch it at all: before anything of the new version is looked at.
    std::optional<std::int64_t> existing;
    if (record.id != 0) {
        if (!store.exists(Kind::kind, record.id))
            throw not_found(std::string("no ") + Kind::noun + " with id " + std::to_string(record.id) +
                            " (leave id out to create one)");
        existing = record.id;
    } else if (!record.source.empty()) {
        existing = store.find_id(Kind::kind, {record.source, record.source_id});
    }
    const std::optional<StoredRecord> stored = existing ? store.record(Kind::kind, *existing) : std::nullopt;
    std::optional<Record> before = stored ? std::optional(Kind::decode(*existing, *stored)) : std::nullopt;
    const auto stored_countries = before ? std::optional(Kind::countries(*before)) : std::nullopt;
    if (impl.authorise) impl.authorise(Kind::kind, stored_countries ? &*stored_countries : nullptr, nullptr);

    // Its references, then every field: all that is wrong with it at once.
    Issues issues;
    Kind::resolve(impl, record, issues);
    try {
        validate(record, impl.reference);
    } catch (const validation_error& e) {
        issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
    if (!issues.empty()) throw validation_error(std::move(issues));
    Kind::apply_privacy(impl.reference, record);
    if (impl.authorise) {
        const auto next = Kind::countries(record);
        impl.authorise(Kind::kind, stored_countries ? &*stored_countries : nullptr, &next);
    }

    record.id = existing.value_or(0);
    const std::string doc = stored_doc(record);
    if (stored && stored->doc == doc) return {*existing, WriteOutcome::unchanged};
    const std::string now = utc_now();
    const std::int64_t id = store.write(RecordVersion<Record>{record, doc, before ? &*before : nullptr, now});
    audit(impl, who, Kind::kind, id, !existing, stored ? stored->doc : std::string());
    return {id, existing ? WriteOutcome::updated : WriteOutcome::created};
}

template WriteResult write_record(Registry::Impl&, Service, const std::string&);
template WriteResult write_record(Registry::Impl&, Actor, const std::string&);
template WriteResult write_record(Registry::Impl&, Practice, const std::string&);

} // namespace enlace::core::detail
