// `enlace purge` (DECISIONS.md): personal contacts taken out of the old versions of services and
// actors that history keeps, so that a person's phone or mailbox does not outlive its use there.
// The records keep theirs; versions newer than the cutoff too. Each version is decoded and
// written back by its kind's codec, so what is kept reads as any stored version does.
#include "enlace/core/errors.hpp"
#include "registry_impl.hpp"
#include "stored_records.hpp"
#include "write_pipeline.hpp"

#include <date/date.h>

#include <algorithm>
#include <chrono>

namespace enlace::core {
namespace {

/// The instant `days` before now, as the change log writes instants.
std::string days_ago(int days) {
    const auto at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) - date::days(days);
    return date::format("%FT%TZ", at);
}

template <class Record> std::size_t drop_personal(Record& record) {
    const auto before = record.contacts.size();
    std::erase_if(record.contacts, [](const Contact& c) { return c.personal; });
    return before - record.contacts.size();
}

} // namespace

PurgeResult Registry::purge_history(const Caller& by, int older_than_days, bool dry_run) {
    if (!(by.kind == Caller::Kind::holder || (by.kind == Caller::Kind::user && by.role == Role::admin)))
        throw forbidden("only an admin purges history");
    if (older_than_days < 1 || older_than_days > 36500)
        throw validation_error("older_than", "must be from 1 to 36500 days");
    PurgeResult result;
    result.cutoff = days_ago(older_than_days);
    // A dry run passes nothing back to be stored, and logs nothing.
    detail::write_one(*m_impl, [&] {
        auto& store = *m_impl->store;
        result.versions_examined =
            store.rewrite_old_versions(result.cutoff, [&](RecordKind kind, const std::string& doc) {
                StoredRecord stored;
                stored.doc = doc;
                try {
                    std::size_t removed = 0;
                    std::string rewritten;
                    if (kind == RecordKind::service) {
                        auto service = detail::decode_service(0, stored);
                        removed = drop_personal(service);
                        if (removed) rewritten = detail::stored_doc(service);
                    } else {
                        auto actor = detail::decode_actor(0, stored);
                        removed = drop_personal(actor);
                        if (removed) rewritten = detail::stored_doc(actor);
                    }
                    if (!removed) return std::optional<std::string>();
                    ++result.versions_purged;
                    result.contacts_removed += static_cast<std::int64_t>(removed);
                    return dry_run ? std::optional<std::string>() : std::optional<std::string>(rewritten);
                } catch (const std::exception&) {
                    ++result.versions_unreadable; // kept as it is: the operator is told how many
                    return std::optional<std::string>();
                }
            });
        if (!dry_run)
            store.append_security({0, detail::utc_now(), by.signature(), "purge", "history",
                                   "personal contacts removed from " + std::to_string(result.versions_purged) +
                                       " versions of services and actors replaced before " + result.cutoff + " (" +
                                       std::to_string(result.contacts_removed) + " contacts)"});
        return WriteResult{0, WriteOutcome::unchanged}; // no record changed: no revision
    });
    return result;
}

} // namespace enlace::core
