// The registry facade: opening a store, connections sharing one live index, batches and single
// writes through the write pipeline, record reads, history, stats and places.
#include "enlace/core/registry.hpp"

#include "enlace/core/errors.hpp"
#include "open_store.hpp"
#include "sqlite_store.hpp"
#include "stored_records.hpp"
#include "write_pipeline.hpp"

#include <chrono>
#include <ctime>
#include <mutex>

namespace enlace::core {

namespace detail {

std::string utc_now() {
    // Formatted once a second per thread: an import asks for every record it writes.
    thread_local std::time_t formatted_at = -1;
    thread_local std::string text;
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    if (now != formatted_at) {
        std::tm parts{};
        gmtime_r(&now, &parts);
        char buffer[32];
        std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
        text = buffer;
        formatted_at = now;
    }
    return text;
}

/// Runs one write: in its own transaction, committed and published, or as part of the open batch.
/// In a batch, an actor or a practice has a savepoint of its own (a failure undoes it alone); a
/// service has none: each savepoint makes SQLite flush the full-text index and drop the R*Trees'
/// node handles, more than the record costs, and a service is checked whole before its first write
/// anyway, so only a store failure partway can leave half of one, which undoes the whole batch.
WriteResult write_one(Registry::Impl& impl, const std::function<WriteResult()>& write, bool own_savepoint) {
    if (impl.in_batch && own_savepoint) {
        if (!impl.store->in_write())
            throw error("the batch was rolled back after a write failed partway: nothing of it is kept");
        // Outside the savepoint: a write it rolls back must not take the run's audit row along.
        impl.write_pending_creates();
        impl.store->savepoint();
        try {
            auto result = write();
            impl.store->release_savepoint();
            return result;
        } catch (...) {
            impl.store->rollback_to_savepoint();
            throw;
        }
    }
    if (impl.in_batch) {
        if (!impl.store->in_write())
            throw error("the batch was rolled back after a write failed partway: nothing of it is kept");
        try {
            return write();
        } catch (const validation_error&) {
            throw; // checked whole before its first write: nothing of it was written
        } catch (const not_found&) {
            throw;
        } catch (...) {
            // A write that failed partway (a store error) may have left half a record: none of
            // the batch is kept.
            impl.pending_creates.count = 0;
            impl.store->rollback();
            throw;
        }
    }
    std::unique_lock writing(impl.live->writer());
    impl.store->begin_write();
    WriteResult result;
    try {
        result = write();
        impl.write_pending_creates();
        result.revision = impl.store->revision();
        impl.store->commit();
    } catch (...) {
        if (impl.store->in_write()) impl.store->rollback();
        throw;
    }
    writing.unlock();
    if (result.outcome != WriteOutcome::unchanged) impl.publish();
    return result;
}

} // namespace detail

namespace {

/// A connection over `store`, sharing `live` with the others of the process.
std::unique_ptr<Registry::Impl> connect(std::unique_ptr<Store> store, std::shared_ptr<detail::LiveIndex> live) {
    auto impl = std::make_unique<Registry::Impl>();
    impl->store = std::move(store);
    impl->live = std::move(live);
    impl->store->begin_read();
    try {
        const auto revision = impl->store->revision();
        impl->live->start(revision);
        impl->reference = impl->store->load_reference();
        impl->reference_revision = revision;
    } catch (...) {
        impl->store->end_read();
        throw;
    }
    impl->store->end_read();
    return impl;
}

} // namespace

void Registry::Impl::enter_snapshot() {
    in_snapshot = true;
    snapshot_revision = store->revision();
    live->advance(*store, snapshot_revision);
    if (live->reference_revision() > reference_revision) {
        reference = store->load_reference();
        reference_revision = live->reference_revision();
    }
}

std::shared_ptr<const detail::ServiceIndex> Registry::Impl::index(Audience audience) {
    return live->index(*store, reference, audience, snapshot_revision, in_batch);
}

void Registry::Impl::write_pending_creates() {
    auto& run = pending_creates;
    if (run.count == 0) return;
    store->append_change(
        {detail::utc_now(), run.who, run.kind, run.first, run.first + run.count - 1, "create", {}, {}, change_set});
    run.count = 0;
}

void Registry::Impl::publish() {
    read([&] {
        for (const auto audience : {Audience::public_, Audience::authorised})
            if (live->has_index(audience)) index(audience);
        return 0;
    });
}

Registry::Registry() = default;
Registry::Registry(Registry&&) noexcept = default;
Registry& Registry::operator=(Registry&&) noexcept = default;
Registry::~Registry() = default;

Registry Registry::open(const std::string& location, mode m) {
    Registry registry;
    registry.m_impl =
        connect(detail::open_store(location, m), std::make_shared<detail::LiveIndex>(default_record_cache));
    return registry;
}

void Registry::set_record_cache(std::size_t records) const { m_impl->live->records().set_capacity(records); }

Registry Registry::another_connection(mode m) const {
    Registry registry;
    registry.m_impl = connect(m_impl->store->connect_again(m != mode::read_only), m_impl->live);
    return registry;
}

int Registry::current_schema_version() { return detail::SqliteStore::latest_schema_version(); }
int Registry::schema_version() const { return m_impl->store->schema_version(); }
const ReferenceData& Registry::reference() const { return m_impl->reference; }

std::int64_t Registry::revision() const {
    return m_impl->read([&] { return m_impl->snapshot_revision; });
}

void Registry::load_reference(const ReferenceData& ref) {
    if (ref.terms().size() > 64) throw error("the taxonomy has more than 64 terms, the most the index supports");
    if (ref.countries().size() > 32) throw error("more than 32 countries, the most the index supports");
    if (ref.populations().size() > 32) throw error("more than 32 populations, the most the index supports");
    auto& impl = *m_impl;
    if (impl.in_batch) throw error("reference data are not loaded inside a batch");
    impl.store->begin_write();
    try {
        impl.store->save_reference(ref);
        // Index masks use reference positions: every index is rebuilt, every cached record dropped.
        impl.store->append_change({detail::utc_now(), "init", std::nullopt, 0, 0, "reference", {}});
        impl.store->commit();
    } catch (...) {
        if (impl.store->in_write()) impl.store->rollback();
        throw;
    }
    impl.read([] { return 0; }); // follows the log to the change just made: reloads the reference data
}

namespace {

/// The holder's write under a label of its own ("cli", "init", "import:FILE"): what the change log
/// has always recorded for writes from the file's holder.
template <class Record> WriteResult holder_put(Registry::Impl& impl, Record record, const std::string& who) {
    static const WriteOptions direct;
    const Caller holder = Caller::holder(who);
    return detail::write_record(impl, std::move(record), detail::Writer{holder, who, direct});
}

} // namespace

WriteResult Registry::put(Service service, const std::string& who) {
    return detail::write_one(*m_impl, [&] { return holder_put(*m_impl, std::move(service), who); });
}

WriteResult Registry::put(Actor actor, const std::string& who) {
    return detail::write_one(
        *m_impl, [&] { return holder_put(*m_impl, std::move(actor), who); }, true);
}

WriteResult Registry::put(Practice practice, const std::string& who) {
    return detail::write_one(
        *m_impl, [&] { return holder_put(*m_impl, std::move(practice), who); }, true);
}

void Registry::batch(const std::function<void()>& work, bool commit) {
    auto& impl = *m_impl;
    if (impl.in_batch) throw error("batches do not nest");
    std::unique_lock writing(impl.live->writer());
    impl.store->begin_write();
    impl.store->set_bulk(true);
    impl.in_batch = true;
    impl.change_set = impl.store->revision() + 1; // one writer at a time: the id its first change gets
    try {
        work();
        if (!impl.store->in_write())
            throw error("the batch was rolled back after a write failed partway: nothing of it is kept");
        impl.write_pending_creates();
    } catch (...) {
        impl.pending_creates.count = 0;
        impl.in_batch = false;
        impl.change_set = 0;
        if (impl.store->in_write()) impl.store->rollback();
        throw;
    }
    impl.in_batch = false;
    impl.change_set = 0;
    if (!commit) {
        impl.store->rollback();
        return;
    }
    impl.store->commit();
    writing.unlock();
    impl.publish();
}

void Registry::records_of_source(RecordKind kind, const std::string& source,
                                 const std::function<void(std::int64_t, const std::string&)>& each) const {
    m_impl->read([&] {
        m_impl->store->records_of_source(kind, source, each);
        return true;
    });
}

std::int64_t Registry::count_of_source(RecordKind kind, const std::string& source) const {
    return m_impl->read([&] { return m_impl->store->count_of_source(kind, source); });
}

std::optional<ServiceView> Registry::service(std::int64_t id, Audience audience) const {
    return m_impl->read([&]() -> std::optional<ServiceView> {
        if (auto view = m_impl->read_service(id, audience)) return view;
        return std::nullopt;
    });
}

std::optional<Service> Registry::service_record(std::int64_t id) const {
    auto view = service(id, Audience::authorised);
    if (!view) return std::nullopt;
    return *view->record();
}

std::optional<PublicService> Registry::public_service(std::int64_t id) const {
    auto view = service(id, Audience::public_);
    if (!view) return std::nullopt;
    return *view->public_view();
}

std::optional<Actor> Registry::actor(std::int64_t id) const {
    return m_impl->read([&] { return m_impl->read_actor(id); });
}

std::optional<Practice> Registry::practice(std::int64_t id, Audience audience) const {
    return m_impl->read([&] { return m_impl->read_practice(id, audience); });
}

std::optional<std::int64_t> Registry::find_service_id(const RecordKey& key) const {
    return m_impl->read([&] { return m_impl->store->find_id(RecordKind::service, key); });
}

std::vector<Registry::Change> Registry::history(RecordKind kind, std::int64_t id) const {
    return m_impl->read([&] {
        std::vector<Change> out;
        const auto rows = m_impl->store->history(kind, id);
        // Rows written before the audit trail stopped copying the record keep their `after`.
        // Otherwise a change's result is what the next change of the live record started from,
        // or the record now. A change to a pending revision left the live record as it was: its
        // result is the proposal it carries.
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& row = rows[i];
            std::string after;
            if (!row.proposed.empty()) {
                after = row.proposed;
            } else if (row.after) {
                after = *row.after;
            } else {
                std::size_t next = i + 1;
                while (next < rows.size() && !rows[next].proposed.empty())
                    ++next;
                if (next < rows.size())
                    after = rows[next].before;
                else if (const auto current = m_impl->store->record(kind, id))
                    after = current->doc;
            }
            out.push_back({row.at, row.who, row.action, row.before, std::move(after), row.comment, row.revision,
                           row.change_set, !row.proposed.empty()});
        }
        return out;
    });
}

std::vector<Place> Registry::places() const {
    return m_impl->read([&] { return m_impl->store->places(); });
}

std::vector<StatsCell> Registry::stats(Audience audience) const {
    return m_impl->read([&] { return m_impl->store->stats(audience); });
}

} // namespace enlace::core
