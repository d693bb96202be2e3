// Writing as a registry user: the Registry's caller-facing writes, transitions, workflow state,
// review queue and history, each through the write pipeline (write_pipeline.hpp) or the same
// readability rule it applies.
#include "enlace/core/editing.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "registry_impl.hpp"
#include "stored_records.hpp"
#include "write_pipeline.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace enlace::core {
namespace {

constexpr std::array<std::pair<Transition, std::string_view>, 6> transition_names{{
    {Transition::submit, "submit"},
    {Transition::withdraw, "withdraw"},
    {Transition::request_changes, "request-changes"},
    {Transition::approve, "approve"},
    {Transition::archive, "archive"},
    {Transition::reject, "reject"},
}};

/// A caller's writes carry the caller's signature; they are reviewed unless the holder writes.
detail::Writer writer_of(const Caller& by, const WriteOptions& options) {
    return detail::Writer{by, by.signature(), options};
}

std::vector<std::string> countries_of(RecordKind kind, std::int64_t id, const StoredRecord& stored) {
    switch (kind) {
    case RecordKind::service:
        return {detail::decode_service(id, stored).country};
    case RecordKind::actor:
        return detail::decode_actor(id, stored).countries;
    case RecordKind::practice:
        return detail::decode_practice(id, stored).countries;
    }
    return {};
}

/// A stored document in the form `enlace show` prints, whole (for readers in scope) or as the
/// public sees it (empty: the public does not see that version at all).
std::string shown_json(const ReferenceData& reference, RecordKind kind, std::int64_t id, const StoredRecord& stored,
                       bool whole) {
    switch (kind) {
    case RecordKind::service: {
        Service s = detail::decode_service(id, stored);
        if (whole) return to_json_text(s);
        if (s.visibility != Visibility::public_) return {};
        // A past version's public point is not kept: fixed again as the pipeline fixes it.
        detail::apply_privacy(reference, s);
        return to_json_text(public_view(s));
    }
    case RecordKind::actor: {
        Actor a = detail::decode_actor(id, stored);
        if (!whole) std::erase_if(a.contacts, [](const Contact& c) { return c.personal; });
        return to_json(a).dump();
    }
    case RecordKind::practice: {
        const Practice p = detail::decode_practice(id, stored);
        if (!whole && p.review_status != ReviewStatus::published) return {};
        return to_json(p).dump();
    }
    }
    return {};
}

std::string title_of(RecordKind kind, std::int64_t id, const StoredRecord& stored) {
    const auto pick = [](const LocalizedText& text) {
        if (const auto r = resolve(text, "es")) return r->text;
        return std::string();
    };
    switch (kind) {
    case RecordKind::service:
        return pick(detail::decode_service(id, stored).name);
    case RecordKind::actor:
        return pick(detail::decode_actor(id, stored).name);
    case RecordKind::practice:
        return pick(detail::decode_practice(id, stored).title);
    }
    return {};
}

WriteResult run_change(Registry::Impl& impl, RecordKind kind, std::int64_t id, detail::Action action,
                       std::optional<Transition> transition, const detail::Writer& w) {
    return detail::write_one(impl, [&] {
        switch (kind) {
        case RecordKind::service:
            return detail::change_record<Service>(impl, id, action, transition, w);
        case RecordKind::actor:
            return detail::change_record<Actor>(impl, id, action, transition, w);
        case RecordKind::practice:
            return detail::change_record<Practice>(impl, id, action, transition, w);
        }
        throw error("unknown record kind");
    });
}

} // namespace

std::string_view to_string(Transition transition) {
    for (const auto& [t, name] : transition_names)
        if (t == transition) return name;
    return "submit";
}

std::optional<Transition> parse_transition(std::string_view text) {
    for (const auto& [t, name] : transition_names)
        if (name == text) return t;
    return std::nullopt;
}

std::vector<FieldChange> field_changes(const std::string& before_json, const std::string& after_json) {
    const auto parse = [](const std::string& text) {
        auto doc = text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text, nullptr, false);
        return doc.is_object() ? doc : nlohmann::json::object();
    };
    const auto before = parse(before_json), after = parse(after_json);
    std::vector<std::string> keys;
    for (const auto& [key, value] : before.items())
        keys.push_back(key);
    for (const auto& [key, value] : after.items())
        keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<FieldChange> out;
    for (const auto& key : keys) {
        const auto b = before.contains(key) ? before[key] : nlohmann::json();
        const auto a = after.contains(key) ? after[key] : nlohmann::json();
        // Kept by the registry, not by the writer: they change with every write.
        if (key == "updated_at" || b == a) continue;
        out.push_back({key, b.dump(), a.dump()});
    }
    return out;
}

WriteResult Registry::put(const Caller& by, Service service, const WriteOptions& options) {
    const auto w = writer_of(by, options);
    return detail::write_one(*m_impl, [&] { return detail::write_record(*m_impl, std::move(service), w); });
}

WriteResult Registry::put(const Caller& by, Actor actor, const WriteOptions& options) {
    const auto w = writer_of(by, options);
    return detail::write_one(
        *m_impl, [&] { return detail::write_record(*m_impl, std::move(actor), w); }, true);
}

WriteResult Registry::put(const Caller& by, Practice practice, const WriteOptions& options) {
    const auto w = writer_of(by, options);
    return detail::write_one(
        *m_impl, [&] { return detail::write_record(*m_impl, std::move(practice), w); }, true);
}

WriteResult Registry::transition(const Caller& by, RecordKind kind, std::int64_t id, Transition t,
                                 const WriteOptions& options) {
    return run_change(*m_impl, kind, id, detail::Action::transition, t, writer_of(by, options));
}

WriteResult Registry::remove(const Caller& by, RecordKind kind, std::int64_t id, const WriteOptions& options) {
    return run_change(*m_impl, kind, id, detail::Action::remove, std::nullopt, writer_of(by, options));
}

WriteResult Registry::restore(const Caller& by, RecordKind kind, std::int64_t id, const WriteOptions& options) {
    return run_change(*m_impl, kind, id, detail::Action::restore, std::nullopt, writer_of(by, options));
}

WriteResult Registry::verify(const Caller& by, std::int64_t id, const WriteOptions& options) {
    return run_change(*m_impl, RecordKind::service, id, detail::Action::verify, std::nullopt, writer_of(by, options));
}

RecordStatus Registry::status(const Caller& by, RecordKind kind, std::int64_t id) const {
    return m_impl->read([&] {
        const auto stored = m_impl->store->record(kind, id);
        const std::string missing = "no " + std::string(to_string(kind)) + " with id " + std::to_string(id);
        if (!stored) throw not_found(missing);
        const auto countries = countries_of(kind, id, *stored);
        // Workflow state is for readers in scope; a deleted record only for its possible restorers.
        if (!by.reads(countries) || (stored->state.deleted && !by.writes(countries))) throw not_found(missing);
        RecordStatus out{stored->state.version, stored->state.review_status, stored->state.deleted,
                         stored->state.editors, std::nullopt};
        if (const auto pending = m_impl->store->pending_revision(kind, id))
            out.pending = RecordStatus::Pending{pending->state, pending->editors, pending->comment, pending->updated_at,
                                                pending->base_version};
        return out;
    });
}

std::optional<std::string> Registry::pending_json(const Caller& by, RecordKind kind, std::int64_t id) const {
    status(by, kind, id); // the same rule: in scope, or not found
    return m_impl->read([&]() -> std::optional<std::string> {
        const auto stored = m_impl->store->record(kind, id);
        const auto pending = m_impl->store->pending_revision(kind, id);
        if (!stored || !pending) return std::nullopt;
        StoredRecord proposal = *stored;
        proposal.doc = pending->doc;
        return shown_json(m_impl->reference, kind, id, proposal, true);
    });
}

std::vector<QueueEntry> Registry::review_queue(const Caller& by, const std::vector<std::string>& countries) const {
    if (by.is_public()) throw unauthorized("the review queue needs a registry user's token");
    if (by.kind == Caller::Kind::user && by.role != Role::reviewer && by.role != Role::compiler &&
        by.role != Role::admin)
        throw forbidden("the review queue is for reviewers and compilers");
    return m_impl->read([&] {
        std::vector<QueueEntry> out;
        for (const auto& [kind, id] : m_impl->store->in_review()) {
            const auto stored = m_impl->store->record(kind, id);
            if (!stored || stored->state.deleted) continue;
            const auto of = countries_of(kind, id, *stored);
            if (!by.reviews(of)) continue;
            if (!countries.empty() && std::none_of(of.begin(), of.end(), [&](const std::string& c) {
                    return std::find(countries.begin(), countries.end(), c) != countries.end();
                }))
                continue;
            QueueEntry entry{
                kind, id, title_of(kind, id, *stored), of, false, stored->state.editors, stored->updated_at};
            if (const auto pending = m_impl->store->pending_revision(kind, id);
                pending && pending->state == ReviewStatus::in_review) {
                entry.revision = true;
                entry.editors = pending->editors;
                entry.updated_at = pending->updated_at;
            }
            out.push_back(std::move(entry));
        }
        return out;
    });
}

std::optional<Registry::Shown> Registry::shown(const Caller& by, RecordKind kind, std::int64_t id) const {
    return m_impl->read([&]() -> std::optional<Shown> {
        const auto stored = m_impl->store->record(kind, id);
        if (!stored || stored->state.deleted) return std::nullopt;
        auto countries = countries_of(kind, id, *stored);
        if (!detail::readable(by, kind, *stored, countries)) return std::nullopt;
        const bool whole = by.reads(countries);
        auto json = shown_json(m_impl->reference, kind, id, *stored, whole);
        if (json.empty()) return std::nullopt;
        return Shown{std::move(json), stored->state.version, whole, std::move(countries)};
    });
}

void Registry::check_writable(const Caller& by, RecordKind kind, std::int64_t id) const {
    if (by.is_public()) throw unauthorized("writing needs a registry user's token");
    m_impl->read([&] {
        const std::string missing = "no " + std::string(to_string(kind)) + " with id " + std::to_string(id);
        const auto stored = m_impl->store->record(kind, id);
        if (!stored || stored->state.deleted) throw not_found(missing);
        const auto countries = countries_of(kind, id, *stored);
        if (!detail::readable(by, kind, *stored, countries)) throw not_found(missing);
        if (!by.writes(countries))
            throw forbidden("you may read " + std::string(to_string(kind)) + " " + std::to_string(id) +
                            " but not change it");
        return 0;
    });
}

std::optional<ServiceView> Registry::service(const Caller& by, std::int64_t id) const {
    if (by.is_public()) return service(id, Audience::public_);
    return m_impl->read([&]() -> std::optional<ServiceView> {
        const auto stored = m_impl->store->record(RecordKind::service, id);
        if (!stored || stored->state.deleted) return std::nullopt;
        const Service s = detail::decode_service(id, *stored);
        if (by.reads({s.country})) return ServiceView(std::make_shared<const Service>(s));
        if (auto view = m_impl->read_service(id, Audience::public_)) return view;
        return std::nullopt;
    });
}

std::vector<Registry::Change> Registry::history(const Caller& by, RecordKind kind, std::int64_t id) const {
    const std::string missing = "no " + std::string(to_string(kind)) + " with id " + std::to_string(id);
    const auto [whole, countries] = m_impl->read([&] {
        const auto stored = m_impl->store->record(kind, id);
        if (!stored) throw not_found(missing);
        auto of = countries_of(kind, id, *stored);
        if (!detail::readable(by, kind, *stored, of)) throw not_found(missing);
        return std::pair{by.reads(of), of};
    });
    auto changes = history(kind, id);
    if (whole) return changes;
    // The public's trail: every version as the public would have seen it, or nothing of it;
    // nothing before the record was first approved (its drafts were never public), no proposal.
    const auto first_approval =
        std::find_if(changes.begin(), changes.end(), [](const Change& c) { return c.action == "approve"; });
    const auto from = first_approval == changes.end() ? changes.begin() : first_approval;
    std::vector<Change> out;
    for (auto it = from; it != changes.end(); ++it) {
        Change change = std::move(*it);
        if (change.pending) continue;
        const auto shown = [&](const std::string& doc) {
            if (doc.empty()) return std::string();
            StoredRecord version;
            version.doc = doc;
            // A practice's document says its review state; a service's is the record's.
            version.state.review_status = ReviewStatus::published;
            return shown_json(m_impl->reference, kind, id, version, false);
        };
        change.who.clear();
        change.comment.clear();
        change.before = shown(change.before);
        change.after = shown(change.after);
        out.push_back(std::move(change));
    }
    return out;
}

} // namespace enlace::core
