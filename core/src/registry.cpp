#include "enlace/core/registry.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "json_reader.hpp"
#include "registry_impl.hpp"
#include "schema.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <filesystem>

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

} // namespace detail

namespace {

sqlite::open_mode to_open_mode(Registry::mode m) {
    switch (m) {
    case Registry::mode::read_only: return sqlite::open_mode::read_only;
    case Registry::mode::read_write: return sqlite::open_mode::read_write;
    case Registry::mode::create: return sqlite::open_mode::create;
    }
    return sqlite::open_mode::read_only;
}

LocalizedText labels_from(const std::string& text) {
    detail::JsonReader in;
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    return doc.is_discarded() ? LocalizedText{} : in.localized(nlohmann::json{{"l", doc}}, "l", "labels");
}

std::unique_ptr<Registry::Impl> open_impl(const std::string& path, Registry::mode m,
                                          std::shared_ptr<detail::SpatialCache> spatial,
                                          std::shared_ptr<detail::RecordCache> records) {
    auto impl = std::make_unique<Registry::Impl>(Registry::Impl{sqlite::Database(path, to_open_mode(m)),
                                                                m != Registry::mode::read_only, false,
                                                                std::move(spatial), std::move(records), {}, {}, false, {}, false, {}, false, {}});
    // A file from a newer program is refused before anything (such as WAL mode) changes it.
    if (const int v = detail::schema_version(impl->db); v > detail::latest_schema_version())
        throw error("registry '" + path + "' has schema version " + std::to_string(v) + ", newer than this program's " +
                    std::to_string(detail::latest_schema_version()) + ": upgrade enlace");
    detail::configure_connection(impl->db, impl->writable);
    if (impl->writable) {
        detail::migrate(impl->db, detail::latest_schema_version());
    } else if (const int v = detail::schema_version(impl->db); v != detail::latest_schema_version()) {
        throw error("registry '" + path + "' has schema version " + std::to_string(v) + ", this program needs " +
                    std::to_string(detail::latest_schema_version()) + ": run `enlace init --db " + path + "`");
    }
    impl->load_reference_from_db();
    return impl;
}

} // namespace

sqlite::Statement& Registry::Impl::prepare(const std::string& sql) {
    auto it = statements.find(sql);
    if (it == statements.end()) it = statements.emplace(sql, sqlite::Statement(db, sql)).first;
    it->second.reset();
    return it->second;
}

void Registry::Impl::reset_statements() {
    for (auto& [sql, statement] : statements) statement.reset();
}

void Registry::Impl::require_writable() const {
    if (!writable) throw error("registry '" + db.path() + "' is open read-only");
}

std::int64_t Registry::Impl::services_revision() {
    auto& stmt = prepare("SELECT value FROM meta WHERE key = 'services_rev'");
    const std::int64_t revision = stmt.step() ? stmt.column_int(0) : 0;
    stmt.reset();  // a statement left on a row keeps its read snapshot open past the transaction
    return revision;
}

std::int64_t Registry::Impl::snapshot_services_revision() {
    if (!in_snapshot) return services_revision();
    if (!snapshot_revision) snapshot_revision = services_revision();
    return *snapshot_revision;
}

void Registry::Impl::bump_services_revision() {
    if (in_batch) {  // once, when the batch ends or reads
        revision_pending = true;
        return;
    }
    prepare("UPDATE meta SET value = value + 1 WHERE key = 'services_rev'").run();
}

void Registry::Impl::record_change(const std::string& who, std::string_view table, std::int64_t id,
                                   std::string_view action, const std::string& before) {
    write_pending_creates();  // the trail stays in the order things happened
    // No copy of the record as written: history() finds it as the next change's `before`, or as
    // the record itself. A bulk import writes each document once rather than twice.
    auto& stmt = prepare("INSERT INTO changes (at, who, record_table, record_id, action, before) VALUES (?, ?, ?, ?, ?, ?)");
    stmt.bind(1, detail::utc_now()).bind(2, who).bind(3, table).bind(4, id).bind(5, action);
    if (before.empty()) stmt.bind_null(6); else stmt.bind_view(6, before);
    stmt.run();
}

void Registry::Impl::record_service_created(const std::string& who, std::int64_t id) {
    if (!in_batch) {
        record_change(who, "services", id, "create", {});
        return;
    }
    auto& run = pending_creates;
    if (run.count > 0 && (run.who != who || id != run.first + run.count)) write_pending_creates();
    if (run.count == 0) {
        run.who = who;
        run.first = id;
    }
    ++run.count;
}

void Registry::Impl::write_pending_creates() {
    auto& run = pending_creates;
    if (run.count == 0) return;
    auto& stmt = prepare("INSERT INTO changes (at, who, record_table, record_id, action, last_record_id) "
                         "VALUES (?, ?, 'services', ?, 'create', ?)");
    stmt.bind(1, detail::utc_now()).bind(2, run.who).bind(3, run.first);
    if (run.count == 1) stmt.bind_null(4); else stmt.bind(4, run.first + run.count - 1);
    stmt.run();
    run.count = 0;
}

void Registry::Impl::load_reference_from_db() {
    std::vector<TaxonomyTerm> terms;
    {
        sqlite::Statement stmt(db, "SELECT code, parent, labels, sensitive FROM taxonomy_terms ORDER BY position");
        while (stmt.step())
            terms.push_back({stmt.column_text(0), stmt.column_text(1), labels_from(stmt.column_text(2)),
                             stmt.column_int(3) != 0});
    }
    std::vector<Country> countries;
    {
        sqlite::Statement stmt(db, "SELECT alpha2, alpha3, names, west, south, east, north, timezone, outline "
                                   "FROM countries ORDER BY position");
        while (stmt.step()) {
            countries.push_back({stmt.column_text(0), stmt.column_text(1), labels_from(stmt.column_text(2)),
                                 BBox{stmt.column_double(3), stmt.column_double(4), stmt.column_double(5),
                                      stmt.column_double(6)},
                                 stmt.column_text(7), {}});
            if (!stmt.is_null(8)) countries.back().outline = outline_from_geojson(nlohmann::json::parse(stmt.column_text(8)));
        }
    }
    auto vocabulary = [&](const char* kind) {
        std::vector<Label> out;
        sqlite::Statement stmt(db, "SELECT code, labels FROM vocabulary WHERE kind = ? ORDER BY position");
        stmt.bind(1, kind);
        while (stmt.step()) out.push_back({stmt.column_text(0), labels_from(stmt.column_text(1))});
        return out;
    };
    reference = ReferenceData(std::move(terms), std::move(countries), vocabulary("actor_type"),
                              vocabulary("population"), vocabulary("axis"));
}

std::optional<std::int64_t> Registry::Impl::find_id(std::string_view table, const RecordKey& key) {
    auto& stmt = prepare("SELECT id FROM " + std::string(table) + " WHERE source = ? AND source_id = ?");
    stmt.bind(1, key.source).bind(2, key.source_id);
    if (!stmt.step()) return std::nullopt;
    return stmt.column_int(0);
}

Registry::Registry() = default;
Registry::Registry(Registry&&) noexcept = default;
Registry& Registry::operator=(Registry&&) noexcept = default;
Registry::~Registry() = default;

Registry Registry::open(const std::string& path, mode m) {
    if (m != mode::create && !std::filesystem::exists(path))
        throw error("registry '" + path + "' does not exist: create it with `enlace init --db " + path + "`");
    Registry registry;
    registry.m_impl = open_impl(path, m, std::make_shared<detail::SpatialCache>(),
                                std::make_shared<detail::RecordCache>(Impl::record_cache_capacity));
    return registry;
}

Registry Registry::another_connection(mode m) const {
    Registry registry;
    registry.m_impl = open_impl(m_impl->db.path(), m, m_impl->spatial, m_impl->records);
    return registry;
}

int Registry::current_schema_version() { return detail::latest_schema_version(); }
int Registry::schema_version() const { return detail::schema_version(m_impl->db); }
const ReferenceData& Registry::reference() const { return m_impl->reference; }

void Registry::load_reference(const ReferenceData& ref) {
    m_impl->require_writable();
    if (ref.terms().size() > 64) throw error("the taxonomy has more than 64 terms, the most the index supports");
    if (ref.countries().size() > 32) throw error("more than 32 countries, the most the index supports");
    if (ref.populations().size() > 32) throw error("more than 32 populations, the most the index supports");
    auto& db = m_impl->db;
    sqlite::Transaction tx(db);
    // Upsert rather than replace: services and practices reference these codes.
    int position = 0;
    for (const auto& t : ref.terms()) {
        sqlite::Statement stmt(db, "INSERT INTO taxonomy_terms (code, parent, labels, sensitive, position) "
                                   "VALUES (?, NULLIF(?, ''), ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
                                   "parent = excluded.parent, labels = excluded.labels, "
                                   "sensitive = excluded.sensitive, position = excluded.position");
        stmt.bind(1, t.code).bind(2, t.parent).bind(3, to_json(t.labels).dump()).bind(4, t.sensitive ? 1 : 0)
            .bind(5, position++);
        stmt.run();
    }
    position = 0;
    for (const auto& c : ref.countries()) {
        sqlite::Statement stmt(db, "INSERT INTO countries (alpha2, alpha3, names, west, south, east, north, timezone, "
                                   "position, outline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alpha2) DO "
                                   "UPDATE SET alpha3 = excluded.alpha3, names = excluded.names, west = excluded.west, "
                                   "south = excluded.south, east = excluded.east, north = excluded.north, "
                                   "timezone = excluded.timezone, position = excluded.position, "
                                   "outline = excluded.outline");
        stmt.bind(1, c.alpha2).bind(2, c.alpha3).bind(3, to_json(c.names).dump()).bind(4, c.bbox.west)
            .bind(5, c.bbox.south).bind(6, c.bbox.east).bind(7, c.bbox.north).bind(8, c.timezone).bind(9, position++);
        if (c.outline.empty()) stmt.bind_null(10); else stmt.bind(10, to_geojson(c.outline).dump());
        stmt.run();
    }
    auto vocabulary = [&](const char* kind, const std::vector<Label>& labels) {
        int pos = 0;
        for (const auto& l : labels) {
            sqlite::Statement stmt(db, "INSERT INTO vocabulary (kind, code, labels, position) VALUES (?, ?, ?, ?) "
                                       "ON CONFLICT (kind, code) DO UPDATE SET labels = excluded.labels, "
                                       "position = excluded.position");
            stmt.bind(1, kind).bind(2, l.code).bind(3, to_json(l.labels).dump()).bind(4, pos++);
            stmt.run();
        }
    };
    vocabulary("actor_type", ref.actor_types());
    vocabulary("population", ref.populations());
    vocabulary("axis", ref.axes());
    // Index masks use reference positions: rebuild indexes.
    m_impl->bump_services_revision();
    tx.commit();
    m_impl->load_reference_from_db();
}

namespace {

/// Whether the open batch has lost its transaction: a write that failed partway rolled it back
/// (write_in_batch), or SQLite did on an I/O error. Writing on would commit record by record.
bool batch_lost(Registry::Impl& impl) { return impl.in_batch && sqlite3_get_autocommit(impl.db.handle()) != 0; }

void check_batch_open(Registry::Impl& impl) {
    if (batch_lost(impl)) throw error("the batch was rolled back after a write failed partway: nothing of it is kept");
}

/// A service written in a batch without a savepoint of its own: at every savepoint SQLite flushes
/// the full-text index and the R*Trees drop their node handles, which cost more than the record.
/// write_service checks everything before its first write, so a validation_error or not_found
/// leaves nothing behind (load_dataset relies on the same); any other failure may leave half a
/// record, and rolls the whole batch back. Statements are reset when the batch ends: inside its
/// write transaction one left on a row holds no snapshot.
template <class Write> WriteResult write_in_batch(Registry::Impl& impl, Write&& write) {
    try {
        return write();
    } catch (const validation_error&) {
        throw;
    } catch (const not_found&) {
        throw;
    } catch (...) {
        impl.drop_deferred();
        impl.reset_statements();
        sqlite3_exec(impl.db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

} // namespace

void Registry::Impl::write_deferred() {
    if (pending_sites.empty() && !revision_pending && pending_creates.count == 0) return;
    // Rolled back already (an I/O error): writing now would write outside any transaction.
    if (batch_lost(*this)) {
        drop_deferred();
        return;
    }
    // No statement may be left inside an R*Tree while its nodes are rewritten.
    reset_statements();
    write_in_batch(*this, [&] {
        if (revision_pending) prepare("UPDATE meta SET value = value + 1 WHERE key = 'services_rev'").run();
        revision_pending = false;
        write_pending_creates();
        pending_sites.flush(db);
        return WriteResult{};
    });
}

WriteResult Registry::put(Service service, const std::string& who) {
    check_batch_open(*m_impl);
    auto write = [&] { return m_impl->write_service(std::move(service), who); };
    return m_impl->in_batch ? write_in_batch(*m_impl, write) : m_impl->write_one(write);
}

WriteResult Registry::put(Actor actor, const std::string& who) {
    check_batch_open(*m_impl);
    return m_impl->write_one([&] { return m_impl->write_actor(std::move(actor), who); });
}

WriteResult Registry::put(Practice practice, const std::string& who) {
    check_batch_open(*m_impl);
    return m_impl->write_one([&] { return m_impl->write_practice(std::move(practice), who); });
}

void Registry::batch(const std::function<void()>& work, bool commit) {
    m_impl->require_writable();
    if (m_impl->in_batch) throw error("batches do not nest");
    sqlite::Transaction tx(m_impl->db);
    m_impl->in_batch = true;
    try {
        work();
        m_impl->write_deferred();  // the R*Tree rows kept aside, in bulk
    } catch (...) {
        m_impl->drop_deferred();
        m_impl->reset_statements();
        m_impl->in_batch = false;
        throw;
    }
    m_impl->reset_statements();
    const bool lost = batch_lost(*m_impl);
    m_impl->in_batch = false;
    if (lost) throw error("the batch was rolled back after a write failed partway: nothing of it is kept");
    if (commit) tx.commit();
}

namespace {
void check_record_table(std::string_view table) {
    if (table != "services" && table != "actors" && table != "practices") throw error("no such record table");
}
} // namespace

void Registry::records_of_source(std::string_view table, const std::string& source,
                                 const std::function<void(std::int64_t, const std::string&)>& each) const {
    check_record_table(table);
    m_impl->read([&] {
        auto& stmt = m_impl->prepare("SELECT id, source_id FROM " + std::string(table) + " WHERE source = ? ORDER BY source_id");
        stmt.bind(1, source);
        while (stmt.step()) each(stmt.column_int(0), stmt.column_text(1));
        return true;
    });
}

std::int64_t Registry::count_of_source(std::string_view table, const std::string& source) const {
    check_record_table(table);
    return m_impl->read([&] {
        auto& stmt = m_impl->prepare("SELECT count(*) FROM " + std::string(table) + " WHERE source = ?");
        stmt.bind(1, source);
        stmt.step();
        const std::int64_t n = stmt.column_int(0);
        stmt.reset();
        return n;
    });
}

std::optional<Service> Registry::service(std::int64_t id, Audience audience) const {
    return m_impl->read([&]() -> std::optional<Service> {
        if (auto service = m_impl->read_service(id, audience)) return *service;
        return std::nullopt;
    });
}
std::optional<Actor> Registry::actor(std::int64_t id) const {
    return m_impl->read([&] { return m_impl->read_actor(id); });
}
std::optional<Practice> Registry::practice(std::int64_t id, Audience audience) const {
    return m_impl->read([&] { return m_impl->read_practice(id, audience); });
}
std::optional<std::int64_t> Registry::find_service_id(const RecordKey& key) const {
    return m_impl->read([&] { return m_impl->find_id("services", key); });
}

std::vector<Registry::Change> Registry::history(std::string_view table, std::int64_t id) const {
    if (table != "services" && table != "actors" && table != "practices") return {};
    return m_impl->read([&] {
        std::vector<Change> out;
        std::vector<bool> derived;  // whether `after` is to be found rather than stored
        // The record's own rows, and the row of the run of services a batch created that holds it.
        auto& stmt = m_impl->prepare(
            "SELECT id, at, who, action, COALESCE(before, ''), after FROM changes WHERE record_table = ?1 AND record_id = ?2 "
            "UNION ALL SELECT id, at, who, action, '', NULL FROM changes WHERE record_table = ?1 "
            "AND last_record_id IS NOT NULL AND record_id < ?2 AND last_record_id >= ?2 ORDER BY 1");
        stmt.bind(1, table).bind(2, id);
        while (stmt.step()) {
            out.push_back({stmt.column_text(1), stmt.column_text(2), stmt.column_text(3), stmt.column_text(4),
                           stmt.column_text(5)});
            derived.push_back(stmt.is_null(5));
        }
        // Changes written before the audit rows stopped copying the record keep their `after`.
        // Otherwise a change's result is what the next change started from, or the record now.
        for (std::size_t i = 0; i < out.size(); ++i) {
            if (!derived[i]) continue;
            if (i + 1 < out.size()) {
                out[i].after = out[i + 1].before;
                continue;
            }
            auto& current = m_impl->prepare("SELECT doc FROM " + std::string(table) + " WHERE id = ?");
            current.bind(1, id);
            if (current.step()) out[i].after = current.column_text(0);
        }
        return out;
    });
}

std::vector<Place> Registry::places() const {
    return m_impl->read([&] {
    std::vector<Place> out;
    auto& stmt = m_impl->prepare(
        "SELECT json_extract(doc, '$.address.locality') AS locality, country, "
        "coalesce(avg(CASE WHEN coarsened = 0 THEN public_lon END), avg(public_lon)), "
        "coalesce(avg(CASE WHEN coarsened = 0 THEN public_lat END), avg(public_lat)), "
        "count(*), sum(coarsened = 0) = 0 FROM services WHERE visibility = 'public' AND lon IS NOT NULL "
        "AND status IN ('active', 'temporarily_closed') AND locality IS NOT NULL AND locality <> '' "
        "GROUP BY country, locality ORDER BY country, locality");
    while (stmt.step())
        out.push_back({stmt.column_text(0), stmt.column_text(1), {stmt.column_double(2), stmt.column_double(3)},
                       stmt.column_int(4), stmt.column_int(5) != 0});
    return out;
    });
}

std::vector<StatsCell> Registry::stats(Audience audience) const {
    // Each service once per leaf type, and once per family however many of its types it has.
    const std::string visible = audience == Audience::public_ ? " AND s.visibility = 'public'" : "";
    const std::string sql =
        "SELECT s.country, t.code, count(*) FROM services s JOIN service_types t ON t.service_id = s.id "
        "WHERE s.status IN ('active', 'temporarily_closed')" + visible + " GROUP BY s.country, t.code "
        "UNION ALL "
        "SELECT s.country, COALESCE(tt.parent, tt.code), count(DISTINCT s.id) FROM services s "
        "JOIN service_types t ON t.service_id = s.id JOIN taxonomy_terms tt ON tt.code = t.code "
        "WHERE s.status IN ('active', 'temporarily_closed') AND tt.parent IS NOT NULL" + visible +
        " GROUP BY s.country, COALESCE(tt.parent, tt.code) ORDER BY 1, 2";
    return m_impl->read([&] {
        std::vector<StatsCell> out;
        auto& stmt = m_impl->prepare(sql);
        while (stmt.step()) out.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_int(2)});
        return out;
    });
}

} // namespace enlace::core
