// Reading records for a reader: a service whole or as its public view (through the process's
// cache of public views), actors without personal contacts, practices naming only what the
// reader may see.
#include "registry_impl.hpp"
#include "stored_records.hpp"

#include "enlace/core/errors.hpp"

#include <algorithm>

namespace enlace::core {

namespace {

/// The public view of a stored service, or null where the public does not see it (deleted,
/// restricted or unpublished).
std::shared_ptr<const PublicService> public_of(std::int64_t id, const StoredRecord& stored) {
    if (stored.state.deleted || stored.visibility != Visibility::public_ ||
        stored.state.review_status != ReviewStatus::published)
        return nullptr;
    return std::make_shared<const PublicService>(public_view(detail::decode_service(id, stored)));
}

} // namespace

ServiceView Registry::Impl::read_service(std::int64_t id, Audience audience) {
    // Only reads inside a snapshot use the shared cache: a batch sees its own, uncommitted writes.
    const bool cached = audience == Audience::public_ && in_snapshot && !bulk_read;
    if (cached)
        if (auto hit = live->records().get(id, snapshot_revision)) return ServiceView(std::move(hit));
    const auto stored = store->record(RecordKind::service, id);
    if (!stored) return {};
    if (audience == Audience::authorised) {
        if (stored->state.deleted) return {};
        return ServiceView(std::make_shared<const Service>(detail::decode_service(id, *stored)));
    }
    auto view = public_of(id, *stored);
    if (!view) return {};
    if (cached) live->records().put(id, snapshot_revision, view);
    return ServiceView(std::move(view));
}

void Registry::Impl::prefetch_services(const std::vector<std::int64_t>& ids, Audience audience) {
    if (audience != Audience::public_ || !in_snapshot || bulk_read) return; // what read_service caches
    std::vector<std::int64_t> missing;
    for (const auto id : ids)
        if (!live->records().get(id, snapshot_revision)) missing.push_back(id);
    if (missing.size() < 2) return;
    for (const auto& [id, stored] : store->services(missing))
        if (auto view = public_of(id, stored)) live->records().put(id, snapshot_revision, std::move(view));
}

std::optional<Actor> Registry::Impl::read_actor(std::int64_t id) {
    const auto stored = store->record(RecordKind::actor, id);
    if (!stored || stored->state.deleted) return std::nullopt;
    Actor a = detail::decode_actor(id, *stored);
    // Actors carry no audience: their personal contacts are never shown.
    std::erase_if(a.contacts, [](const Contact& c) { return c.personal; });
    return a;
}

std::optional<Practice> Registry::Impl::read_practice(std::int64_t id, Audience audience) {
    const auto stored = store->record(RecordKind::practice, id);
    if (!stored || stored->state.deleted) return std::nullopt;
    Practice p = detail::decode_practice(id, *stored);
    if (audience == Audience::public_) {
        if (p.review_status != ReviewStatus::published) return std::nullopt;
        // A public practice names only services the public may see: a link to a restricted one
        // would reveal that it exists.
        p.service_ids = store->visible_services(p.service_ids, audience);
    }
    return p;
}

} // namespace enlace::core
