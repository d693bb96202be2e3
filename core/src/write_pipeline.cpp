#include "write_pipeline.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/name_key.hpp"
#include "enlace/core/validation.hpp"
#include "enlace/core/vocabulary.hpp"
#include "stored_records.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace enlace::core::detail {
namespace {

using Issues = std::vector<validation_issue>;

/// The longest comment kept with a change.
constexpr std::size_t max_comment_length = 2000;
/// Two services with one normalised name closer than this are taken for one (as the import does).
constexpr double duplicate_distance_m = 50;

std::string today() { return utc_now().substr(0, 10); }

void add_editor(std::vector<std::string>& editors, const std::string& who) {
    if (std::find(editors.begin(), editors.end(), who) == editors.end()) editors.push_back(who);
}

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values)
        out += (out.empty() ? "" : ",") + v;
    return out.empty() ? "none" : out;
}

/// What differs between the kinds along the one path.
template <class Record> struct KindOf;

template <> struct KindOf<Service> {
    static constexpr RecordKind kind = RecordKind::service;
    static constexpr const char* noun = "service";
    static constexpr bool reviewed = true;
    static std::vector<std::string> countries(const Service& s) { return {s.country}; }
    static Service decode(std::int64_t id, const StoredRecord& stored) { return decode_service(id, stored); }
    static ReviewStatus review_status(const Service& s) { return s.review_status; }
    static void set_review_status(Service& s, ReviewStatus status) { s.review_status = status; }
    static void approved(Service&, const Writer&) {}

    static void resolve(Registry::Impl& impl, const Caller&, Service& s, Issues& issues) {
        if (!s.actor_id && s.actor_key) {
            s.actor_id = impl.store->find_id(RecordKind::actor, *s.actor_key);
            if (!s.actor_id || !impl.store->exists(RecordKind::actor, *s.actor_id))
                issues.push_back(
                    {"actor", "unknown actor '" + s.actor_key->source + ":" + s.actor_key->source_id + "'"});
        } else if (s.actor_id && !impl.store->exists(RecordKind::actor, *s.actor_id)) {
            issues.push_back({"actor_id", "no actor with id " + std::to_string(*s.actor_id)});
        }
        s.actor_key.reset();
    }

    static void apply_privacy(const ReferenceData& reference, Service& s) { detail::apply_privacy(reference, s); }

    /// A closure (status) and a verification apply at once, even to a published service: the
    /// edit changes nothing else.
    static bool applies_at_once(const Service& live, const Service& edited) {
        Service other = edited;
        other.status = live.status;
        other.last_verified = live.last_verified;
        return stored_doc(other) == stored_doc(live);
    }
};

template <> struct KindOf<Actor> {
    static constexpr RecordKind kind = RecordKind::actor;
    static constexpr const char* noun = "actor";
    static constexpr bool reviewed = false; // an entity's name and contacts: its changes apply at once
    static std::vector<std::string> countries(const Actor& a) { return a.countries; }
    static Actor decode(std::int64_t id, const StoredRecord& stored) { return decode_actor(id, stored); }
    static ReviewStatus review_status(const Actor&) { return ReviewStatus::published; }
    static void set_review_status(Actor&, ReviewStatus) {}
    static void approved(Actor&, const Writer&) {}
    static void resolve(Registry::Impl&, const Caller&, Actor&, Issues&) {}
    static void apply_privacy(const ReferenceData&, Actor&) {}
    static bool applies_at_once(const Actor&, const Actor&) { return true; }
};

template <> struct KindOf<Practice> {
    static constexpr RecordKind kind = RecordKind::practice;
    static constexpr const char* noun = "practice";
    static constexpr bool reviewed = true;
    static std::vector<std::string> countries(const Practice& p) { return p.countries; }
    static Practice decode(std::int64_t id, const StoredRecord& stored) { return decode_practice(id, stored); }
    static ReviewStatus review_status(const Practice& p) { return p.review_status; }
    static void set_review_status(Practice& p, ReviewStatus status) { p.review_status = status; }
    /// The template's own review fields.
    static void approved(Practice& p, const Writer& w) {
        p.reviewed_by = w.caller.name;
        p.reviewed_on = today();
    }

    /// Keys to ids, and every linked record must exist and be one the writer can see (one
    /// message for both: a link is no way to learn that a hidden record exists).
    static void resolve(Registry::Impl& impl, const Caller& caller, Practice& p, Issues& issues) {
        auto links = [&](RecordKind kind, const char* field, const char* noun, std::vector<std::int64_t>& ids,
                         std::vector<RecordKey>& keys) {
            for (const auto& key : keys) {
                if (auto id = impl.store->find_id(kind, key))
                    ids.push_back(*id);
                else
                    issues.push_back(
                        {field, std::string("unknown ") + noun + " '" + key.source + ":" + key.source_id + "'"});
            }
            keys.clear();
            for (auto id : ids) {
                const auto stored = impl.store->record(kind, id);
                const bool seen = stored && !stored->state.deleted &&
                                  (kind != RecordKind::service ||
                                   readable(caller, kind, *stored, {decode_service(id, *stored).country}));
                if (!seen) issues.push_back({field, std::string("no ") + noun + " with id " + std::to_string(id)});
            }
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        };
        links(RecordKind::actor, "actors", "actor", p.actor_ids, p.actor_keys);
        links(RecordKind::service, "services", "service", p.service_ids, p.service_keys);
    }
    static void apply_privacy(const ReferenceData&, Practice&) {}
    static bool applies_at_once(const Practice&, const Practice&) { return false; }
};

/// One audit row for the change, or, for a service a batch creates right after the ones before it
/// by the same writer, a place in the batch's run (written as one row at its end: an import of a
/// million services adds one row).
void audit(Registry::Impl& impl, ChangeRecord change) {
    if (change.action == "create" && impl.in_batch && change.kind == RecordKind::service && change.comment.empty()) {
        auto& run = impl.pending_creates;
        const auto id = change.first_id;
        if (run.count > 0 && (run.who != change.who || run.kind != *change.kind || id != run.first + run.count))
            impl.write_pending_creates();
        if (run.count == 0) run = {change.who, *change.kind, id, 0};
        ++run.count;
        return;
    }
    impl.write_pending_creates(); // the trail stays in the order things happened
    // No copy of the version written: history() finds it as the next change's `before`, or as the
    // record itself. A bulk import writes each document once rather than twice.
    change.at = utc_now();
    change.change_set = impl.change_set;
    impl.store->append_change(change);
}

void check_comment(const WriteOptions& options, bool required) {
    if (options.comment.size() > max_comment_length)
        throw validation_error("comment", "is longer than " + std::to_string(max_comment_length) + " bytes");
    if (required && options.comment.find_first_not_of(" \t\r\n") == std::string::npos)
        throw validation_error("comment", "is required: say what is to change");
}

/// The version the writer read against the stored one.
void check_version(const Writer& w, RecordKind kind, std::int64_t id, const StoredRecord& stored, bool required) {
    const auto current = stored.state.version;
    const std::string record = std::string(to_string(kind)) + " " + std::to_string(id);
    if (!w.options.if_version) {
        if (required)
            throw stale_version("a change of " + record + " must name the version it was made against (If-Match: \"v" +
                                    std::to_string(current) + "\" for the version stored now)",
                                current, true);
        return;
    }
    if (*w.options.if_version != current)
        throw stale_version(record + " is at version " + std::to_string(current) + ", not " +
                                std::to_string(*w.options.if_version) + ": someone changed it since; read it again",
                            current);
}

std::string not_found_message(const char* noun, std::int64_t id) {
    return std::string("no ") + noun + " with id " + std::to_string(id);
}

/// Whether the caller's role may write anything at all.
void check_writing_role(const Caller& caller) {
    if (caller.is_public()) throw unauthorized("writing needs a registry user's token");
    if (caller.kind == Caller::Kind::user && caller.role == Role::viewer)
        throw forbidden("a viewer reads records and may not write them");
}

/// A new service with the name of one within 50 m is probably that one again (the import's rule).
void check_duplicate(Registry::Impl& impl, const Service& s, const Writer& w) {
    if (!s.site) return;
    std::vector<std::string> names;
    for (const auto& [language, text] : s.name)
        names.push_back(normalised_name(text));
    const GeoPoint p = s.site->point;
    const double dlat = duplicate_distance_m / 111'320.0;
    const double dlon = dlat / std::max(0.01, std::cos(p.lat * std::numbers::pi / 180));
    ServiceConditions c;
    c.audience = Audience::authorised;
    c.statuses = {ServiceStatus::active, ServiceStatus::temporarily_closed, ServiceStatus::inactive,
                  ServiceStatus::defunct};
    c.bbox = BBox{p.lon - dlon, p.lat - dlat, p.lon + dlon, p.lat + dlat};
    c.sited = true;
    for (const auto id : impl.store->service_ids(c, 0, 100)) {
        if (w.options.confirm_duplicate == id) continue;
        const auto stored = impl.store->record(RecordKind::service, id);
        if (!stored) continue;
        const Service other = decode_service(id, *stored);
        // One the writer cannot see is passed over: a refusal would reveal it.
        if (!readable(w.caller, RecordKind::service, *stored, {other.country}) || !other.site) continue;
        if (geodesy::distance_m(other.site->point, p) > duplicate_distance_m) continue;
        for (const auto& [language, text] : other.name)
            if (std::find(names.begin(), names.end(), normalised_name(text)) != names.end())
                throw conflict(
                    "service " + std::to_string(id) + " ('" + text + "') has the same name " +
                        std::to_string(static_cast<int>(geodesy::distance_m(other.site->point, p))) +
                        " m away; if this is another service, confirm with confirm_duplicate=" + std::to_string(id),
                    id);
    }
}

/// Writes a new state of a record whose document does not change (a version, a transition of a
/// service, a delete): the row rewritten, its links left as they are.
template <class Record>
std::int64_t store_version(Registry::Impl& impl, const Record& record, const std::string& doc, const Record* before,
                           const RecordState& state) {
    const std::string now = utc_now();
    return impl.store->write(RecordVersion<Record>{record, doc, before, now, state});
}

/// An edit of a published record: it waits as the record's pending revision (one per record;
/// a later edit revises it and sends it back to draft), the published version staying live.
template <class Record>
WriteResult write_pending(Registry::Impl& impl, Record record, const Record& live, const StoredRecord& stored,
                          const Writer& w) {
    using Kind = KindOf<Record>;
    const std::int64_t id = live.id;
    auto pending = impl.store->pending_revision(Kind::kind, id);
    Kind::set_review_status(record, ReviewStatus::published); // what it will be once approved
    record.id = id;
    const std::string doc = stored_doc(record);
    const std::string& previous = pending ? pending->doc : stored.doc;
    if (doc == previous) return {id, WriteOutcome::unchanged, stored.state.version, 0, pending.has_value()};
    const std::string now = utc_now();
    if (!pending) pending = PendingRevision{{}, ReviewStatus::draft, {}, {}, stored.state.version, now, now};
    pending->doc = doc;
    pending->state = w.options.submit ? ReviewStatus::in_review : ReviewStatus::draft;
    pending->updated_at = now;
    add_editor(pending->editors, w.who);
    impl.store->put_pending_revision(Kind::kind, id, *pending);
    RecordState state = stored.state;
    ++state.version;
    store_version(impl, live, stored.doc, &live, state);
    ChangeRecord change{{}, w.who, Kind::kind, id, id, "revise", previous, w.options.comment};
    change.proposed = doc;
    audit(impl, change);
    return {id, WriteOutcome::updated, state.version, 0, true};
}

} // namespace

void apply_privacy(const ReferenceData& reference, Service& s) {
    s.coarsened = false;
    s.public_point.reset();
    if (!s.site) return;
    s.coarsened = reference.any_sensitive(s.types);
    const Country* country = reference.country(s.country);
    s.public_point = s.coarsened ? geodesy::coarsen(s.site->point, country ? country->bbox : BBox{-180, -90, 180, 90})
                                 : s.site->point;
}

bool readable(const Caller& caller, RecordKind kind, const StoredRecord& stored,
              const std::vector<std::string>& countries) {
    if (caller.reads(countries)) return true;
    if (stored.state.deleted) return false;
    switch (kind) {
    case RecordKind::service:
        return stored.visibility == Visibility::public_ && stored.state.review_status == ReviewStatus::published;
    case RecordKind::practice:
        return stored.state.review_status == ReviewStatus::published;
    case RecordKind::actor:
        return true;
    }
    return false;
}

template <class Record> WriteResult write_record(Registry::Impl& impl, Record record, const Writer& w) {
    using Kind = KindOf<Record>;
    Store& store = *impl.store;
    const bool reviewed = w.options.reviewed;
    // A registry user changes records by id and names the version read; the holder's reviewed
    // imports (`--review`) match by key and read the stored version themselves.
    const bool user = w.caller.kind == Caller::Kind::user;
    check_writing_role(w.caller);
    check_comment(w.options, false);

    // The stored version it replaces, by id or by (source, source_id), and whether the writer may
    // touch it at all: before anything of the new version is looked at.
    std::optional<StoredRecord> stored;
    if (record.id != 0) {
        stored = store.record(Kind::kind, record.id);
        if (!stored || stored->state.deleted)
            throw not_found(not_found_message(Kind::noun, record.id) + " (leave id out to create one)");
    } else if (!record.source.empty()) {
        if (const auto id = store.find_id(Kind::kind, {record.source, record.source_id})) {
            stored = store.record(Kind::kind, *id);
            record.id = *id;
            if (user) {
                // A registry user creates and changes by id: a key is no way to change a record
                // unawares, nor to learn one exists.
                const bool seen = readable(w.caller, Kind::kind, *stored, Kind::countries(Kind::decode(*id, *stored)));
                throw conflict(seen ? std::string("the ") + Kind::noun + " of source '" + record.source +
                                          "' and source_id '" + record.source_id + "' exists (id " +
                                          std::to_string(*id) + "): change it by its id"
                                    : "source '" + record.source + "' already has a record with source_id '" +
                                          record.source_id + "'",
                               seen ? *id : 0);
            }
        }
    }
    const std::optional<std::int64_t> existing = stored ? std::optional(record.id) : std::nullopt;
    std::optional<Record> before = stored ? std::optional(Kind::decode(*existing, *stored)) : std::nullopt;
    if (stored) {
        const auto countries = Kind::countries(*before);
        if (!readable(w.caller, Kind::kind, *stored, countries))
            throw not_found(not_found_message(Kind::noun, *existing));
        if (!w.caller.writes(countries))
            throw forbidden(std::string("you may read ") + Kind::noun + " " + std::to_string(*existing) +
                            " but not write it (its countries: " + joined(countries) + ")");
        check_version(w, Kind::kind, *existing, *stored, reviewed && user);
    }

    // Its references, then every field: all that is wrong with it at once.
    Issues issues;
    Kind::resolve(impl, w.caller, record, issues);
    try {
        validate(record, impl.reference);
    } catch (const validation_error& e) {
        issues.insert(issues.end(), e.issues().begin(), e.issues().end());
    }
    if (!issues.empty()) throw validation_error(std::move(issues));
    Kind::apply_privacy(impl.reference, record);
    if (const auto next = Kind::countries(record); !w.caller.writes(next))
        throw forbidden(std::string("you may not write a ") + Kind::noun + " of " + joined(next) +
                        " (your countries: " + joined(w.caller.countries) + ")");
    if constexpr (Kind::kind == RecordKind::service)
        if (!existing && w.options.check_duplicates) check_duplicate(impl, record, w);

    // What the write becomes.
    RecordState state = stored ? stored->state : RecordState{};
    std::string action = existing ? (stored->state.deleted ? "restore" : "update") : "create";
    state.deleted = false;
    if (!reviewed) {
        // The holder's own writes (imports, `enlace add`): as the record says.
        state.review_status = Kind::review_status(record);
        if (state.review_status == ReviewStatus::published)
            state.editors.clear();
        else
            add_editor(state.editors, w.who);
    } else if (!existing) {
        state.review_status = !Kind::reviewed    ? ReviewStatus::published
                              : w.options.submit ? ReviewStatus::in_review
                                                 : ReviewStatus::draft;
        state.editors = {w.who};
    } else if (Kind::reviewed && stored->state.review_status == ReviewStatus::published &&
               !Kind::applies_at_once(*before, record)) {
        return write_pending(impl, std::move(record), *before, *stored, w);
    } else if (Kind::reviewed && stored->state.review_status != ReviewStatus::published) {
        // What a reviewer saw is not what it is now: back to draft, or in review again.
        state.review_status = w.options.submit ? ReviewStatus::in_review : ReviewStatus::draft;
        add_editor(state.editors, w.who);
    }
    Kind::set_review_status(record, state.review_status);

    const std::string doc = stored_doc(record);
    if (stored && stored->doc == doc && stored->state.review_status == state.review_status && !stored->state.deleted)
        return {*existing, WriteOutcome::unchanged, stored->state.version};
    state.version = stored ? stored->state.version + 1 : 1;
    const std::int64_t id = store_version(impl, record, doc, before ? &*before : nullptr, state);
    audit(impl, {{}, w.who, Kind::kind, id, id, action, stored ? stored->doc : std::string(), w.options.comment});
    return {id, existing ? WriteOutcome::updated : WriteOutcome::created, state.version};
}

template <class Record>
WriteResult change_record(Registry::Impl& impl, std::int64_t id, Action action, std::optional<Transition> transition,
                          const Writer& w) {
    using Kind = KindOf<Record>;
    Store& store = *impl.store;
    check_writing_role(w.caller);
    check_comment(w.options, transition == Transition::request_changes);
    const auto stored = store.record(Kind::kind, id);
    // A deleted service's reports are still closed (their text erased) by its country's editors.
    const bool on_deleted =
        action == Action::restore || action == Action::report_resolve || action == Action::report_dismiss;
    if (!stored || (stored->state.deleted && !on_deleted)) throw not_found(not_found_message(Kind::noun, id));
    const Record live = Kind::decode(id, *stored);
    const auto countries = Kind::countries(live);
    if (!readable(w.caller, Kind::kind, *stored, countries)) throw not_found(not_found_message(Kind::noun, id));
    const std::string record_name = std::string(Kind::noun) + " " + std::to_string(id);
    const bool reviewing = transition && *transition != Transition::submit && *transition != Transition::withdraw;
    if (reviewing ? !w.caller.reviews(countries) : !w.caller.writes(countries))
        throw forbidden(std::string(reviewing ? "reviewing " : "changing ") + record_name + " needs " +
                        (reviewing ? "a reviewer" : "an editor") + " of " + joined(countries));
    check_version(w, Kind::kind, id, *stored, w.options.reviewed && action == Action::remove);

    Record record = live;
    RecordState state = stored->state;
    std::string name;
    std::string proposed;
    bool doc_changes = false;
    auto pending = Kind::reviewed ? store.pending_revision(Kind::kind, id) : std::nullopt;
    const auto four_eyes = [&](const std::vector<std::string>& editors) {
        if (std::find(editors.begin(), editors.end(), w.who) != editors.end())
            throw forbidden("four eyes: you edited " + record_name +
                            " since it was last published, so another reviewer "
                            "approves it");
    };
    const auto refuse = [&](const std::string& why) { throw conflict(record_name + " " + why); };

    switch (action) {
    case Action::remove: {
        if (const auto links = store.linked_from(Kind::kind, id); !links.empty())
            refuse("is linked from " + std::to_string(links.size()) + " other record" + (links.size() == 1 ? "" : "s") +
                   ": unlink it from them first");
        state.deleted = true;
        if (pending) store.drop_pending_revision(Kind::kind, id);
        name = "delete";
        break;
    }
    case Action::restore:
        if (!stored->state.deleted) refuse("is not deleted");
        state.deleted = false;
        name = "restore";
        break;
    case Action::verify:
        if constexpr (Kind::kind == RecordKind::service) {
            record.last_verified = today();
            doc_changes = true;
            name = "verify";
        } else {
            refuse("is not a service: only services are verified");
        }
        break;
    case Action::report_triage:
    case Action::report_resolve:
    case Action::report_dismiss:
        if constexpr (Kind::kind != RecordKind::service) refuse("is not a service: only services are reported");
        name = action == Action::report_triage    ? "report-triage"
               : action == Action::report_resolve ? "report-resolve"
                                                  : "report-dismiss";
        break;
    case Action::transition: {
        if (!Kind::reviewed) refuse("is not reviewed: an actor's changes apply at once");
        name = std::string(to_string(*transition));
        if (pending && *transition != Transition::archive) {
            // The transition moves the pending revision; the published version stays live.
            proposed = pending->doc;
            switch (*transition) {
            case Transition::submit:
                if (pending->state == ReviewStatus::in_review) refuse("has its revision in review already");
                pending->state = ReviewStatus::in_review;
                break;
            case Transition::request_changes:
                if (pending->state != ReviewStatus::in_review) refuse("has no revision in review");
                pending->state = ReviewStatus::changes_requested;
                pending->comment = w.options.comment;
                break;
            case Transition::approve: {
                if (pending->state != ReviewStatus::in_review) refuse("has no revision in review: submit it first");
                four_eyes(pending->editors);
                StoredRecord proposal = *stored;
                proposal.doc = pending->doc;
                record = Kind::decode(id, proposal);
                Kind::apply_privacy(impl.reference, record);
                proposed.clear();
                doc_changes = true;
                break;
            }
            case Transition::withdraw:
            case Transition::reject:
                break;
            case Transition::archive:
                break;
            }
            if (*transition == Transition::approve || *transition == Transition::withdraw ||
                *transition == Transition::reject) {
                store.drop_pending_revision(Kind::kind, id);
            } else {
                pending->updated_at = utc_now();
                store.put_pending_revision(Kind::kind, id, *pending);
            }
            if (*transition == Transition::approve) {
                state.review_status = ReviewStatus::published;
                state.editors.clear();
                Kind::approved(record, w);
            }
            break;
        }
        const auto from = stored->state.review_status;
        const auto from_is = [&](std::initializer_list<ReviewStatus> states) {
            return std::find(states.begin(), states.end(), from) != states.end();
        };
        const std::string is = std::string("is ") + std::string(to_string(from));
        switch (*transition) {
        case Transition::submit:
            if (!from_is({ReviewStatus::draft, ReviewStatus::changes_requested, ReviewStatus::withdrawn,
                          ReviewStatus::archived}))
                refuse(is + ": only a draft, withdrawn, archived or sent-back record is submitted");
            state.review_status = ReviewStatus::in_review;
            add_editor(state.editors, w.who);
            break;
        case Transition::withdraw:
            if (!from_is({ReviewStatus::draft, ReviewStatus::in_review, ReviewStatus::changes_requested}))
                refuse(is + ": only a record not yet published is withdrawn (archive a published one)");
            state.review_status = ReviewStatus::withdrawn;
            break;
        case Transition::request_changes:
            if (from != ReviewStatus::in_review) refuse(is + ", not in review");
            state.review_status = ReviewStatus::changes_requested;
            break;
        case Transition::approve:
            if (from != ReviewStatus::in_review) refuse(is + ", not in review: submit it first");
            four_eyes(state.editors);
            state.review_status = ReviewStatus::published;
            state.editors.clear();
            Kind::approved(record, w);
            break;
        case Transition::archive:
            if (from != ReviewStatus::published) refuse(is + ": only a published record is archived");
            if (pending) refuse("has a pending revision: approve, reject or withdraw it first");
            state.review_status = ReviewStatus::archived;
            break;
        case Transition::reject:
            refuse("has no pending revision to reject (request changes instead)");
        }
        break;
    }
    }
    // A practice keeps its review status in its document (the template's field).
    Kind::set_review_status(record, state.review_status);
    const std::string doc = doc_changes || Kind::kind == RecordKind::practice ? stored_doc(record) : stored->doc;
    ++state.version;
    store_version(impl, record, doc, &live, state);
    ChangeRecord change{{}, w.who, Kind::kind, id, id, name, stored->doc, w.options.comment};
    change.proposed = proposed;
    audit(impl, change);
    return {id, WriteOutcome::updated, state.version, 0, pending.has_value() && name != "approve"};
}

template WriteResult write_record(Registry::Impl&, Service, const Writer&);
template WriteResult write_record(Registry::Impl&, Actor, const Writer&);
template WriteResult write_record(Registry::Impl&, Practice, const Writer&);
template WriteResult change_record<Service>(Registry::Impl&, std::int64_t, Action, std::optional<Transition>,
                                            const Writer&);
template WriteResult change_record<Actor>(Registry::Impl&, std::int64_t, Action, std::optional<Transition>,
                                          const Writer&);
template WriteResult change_record<Practice>(Registry::Impl&, std::int64_t, Action, std::optional<Transition>,
                                             const Writer&);

} // namespace enlace::core::detail
