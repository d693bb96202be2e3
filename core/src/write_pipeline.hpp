#pragma once
// The one write path of every record kind:
//   locate the stored version -> authorise access to it (not readable: not_found; readable, not
//   writable: forbidden) -> check the version the writer read -> resolve references and validate
//   -> apply privacy (a service's public point) -> authorise the new version -> decide what the
//   write becomes (a direct write, a draft, a published record's pending revision) -> store ->
//   audit,
// inside the caller's write transaction; the caller commits and publishes the change to the
// indexes and caches (Registry::Impl::publish). Authorisation comes before the body is validated,
// so that an error message never tells about a record the writer may not see. Review transitions,
// deletes, restores and verifications take the same path from "locate" to "audit".
#include "enlace/core/access.hpp"
#include "enlace/core/editing.hpp"
#include "registry_impl.hpp"

namespace enlace::core::detail {

/// Who writes, as the change log records them, and what they say beside the record.
struct Writer {
    const Caller& caller;
    std::string who; // the change log's name: the caller's signature, or the holder's label
    const WriteOptions& options;
};

/// What a write does to a stored record besides replacing it. The report decisions change a
/// service's public record (the reports it shows) without changing its document: a new version,
/// audited, so that its ETag and every cache follow.
enum class Action { transition, remove, restore, verify, report_triage, report_resolve, report_dismiss };

template <class Record> WriteResult write_record(Registry::Impl& impl, Record record, const Writer& writer);
/// A transition, delete, restore, verification or report decision of the stored record `id` of Record's kind.
template <class Record>
WriteResult change_record(Registry::Impl& impl, std::int64_t id, Action action, std::optional<Transition> transition,
                          const Writer& writer);

extern template WriteResult write_record(Registry::Impl&, Service, const Writer&);
extern template WriteResult write_record(Registry::Impl&, Actor, const Writer&);
extern template WriteResult write_record(Registry::Impl&, Practice, const Writer&);
extern template WriteResult change_record<Service>(Registry::Impl&, std::int64_t, Action, std::optional<Transition>,
                                                   const Writer&);
extern template WriteResult change_record<Actor>(Registry::Impl&, std::int64_t, Action, std::optional<Transition>,
                                                 const Writer&);
extern template WriteResult change_record<Practice>(Registry::Impl&, std::int64_t, Action, std::optional<Transition>,
                                                    const Writer&);

/// A service's public point, fixed from its site when written: the site, or for a sensitive type
/// the centre of its 0.1° cell kept inside the country's box.
void apply_privacy(const ReferenceData& reference, Service& service);

/// Whether `caller` may read a stored record of these countries: in scope, or as the public may.
bool readable(const Caller& caller, RecordKind kind, const StoredRecord& stored,
              const std::vector<std::string>& countries);

} // namespace enlace::core::detail
