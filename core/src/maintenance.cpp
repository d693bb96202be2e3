// Backups and checks (maintenance.hpp): who may take a copy of the registry, and the check of the
// in-memory index against the store it is built from, after the store's own checks.
#include "enlace/core/maintenance.hpp"

#include "enlace/core/errors.hpp"
#include "pg_connection.hpp"
#include "registry_impl.hpp"
#include "service_index.hpp"
#include "storage_checks.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>

namespace enlace::core {
namespace {

/// What one side holds and the other does not, as problems naming each id (both sorted).
void compare_ids(const std::vector<std::int64_t>& index, const std::vector<std::int64_t>& rows,
                 const std::string& index_name, const std::string& rows_name, CheckResult& r) {
    std::vector<std::int64_t> only;
    std::set_difference(rows.begin(), rows.end(), index.begin(), index.end(), std::back_inserter(only));
    for (const auto id : only)
        r.add("services id " + std::to_string(id) + " is in " + rows_name + " but not in " + index_name);
    only.clear();
    std::set_difference(index.begin(), index.end(), rows.begin(), rows.end(), std::back_inserter(only));
    for (const auto id : only)
        r.add("services id " + std::to_string(id) + " is in " + index_name + " but not in " + rows_name);
}

std::vector<std::int64_t> ids_of(const std::vector<detail::IndexedPoint>& points) {
    std::vector<std::int64_t> ids;
    ids.reserve(points.size());
    for (const auto& p : points)
        ids.push_back(p.id);
    return ids;
}

/// The index of one audience against the rows: every service it may see (the services table), and
/// every sited one (a box over the whole world, which the store answers from its R*Tree).
void check_audience_index(Store& store, const detail::ServiceIndex& index, Audience audience, CheckResult& r) {
    const bool public_ = audience == Audience::public_;
    const std::string name = public_ ? "the public index" : "the authorised index";
    const auto sited = ids_of(index.sited_points());
    std::vector<std::int64_t> all = sited;
    const auto unsited = ids_of(index.unsited());
    all.insert(all.end(), unsited.begin(), unsited.end());
    std::sort(all.begin(), all.end());

    ServiceConditions every;
    every.audience = audience;
    every.statuses = {ServiceStatus::active, ServiceStatus::temporarily_closed, ServiceStatus::inactive,
                      ServiceStatus::defunct};
    const int no_limit = std::numeric_limits<int>::max();
    compare_ids(all, store.service_ids(every, 0, no_limit), name, "the services rows", r);
    ServiceConditions world = every;
    world.bbox = BBox{};
    compare_ids(sited, store.service_ids(world, 0, no_limit), name + " (with a site)",
                std::string("a whole-world box query of ") + (public_ ? "service_public_sites" : "service_exact_sites"),
                r);
    r.covered = std::to_string(all.size()) + " services (" + std::to_string(sited.size()) +
                " with a site), as the services rows and the R*Tree hold them";
}

} // namespace

bool CheckReport::ok() const { return failed() == 0; }

int CheckReport::failed() const {
    return static_cast<int>(std::count_if(checks.begin(), checks.end(), [](const CheckResult& c) { return !c.ok(); }));
}

BackupResult Registry::backup(const Caller& by, const std::string& destination, const BackupOptions& options) const {
    if (!(by.kind == Caller::Kind::holder || (by.kind == Caller::Kind::user && by.role == Role::admin)))
        throw forbidden("only an admin makes a backup: it holds restricted records and the accounts' token hashes");
    if (m_impl->in_batch) throw error("backup: not inside a batch");
    return m_impl->store->backup(destination, options);
}

void Registry::check_index(CheckReport& report) const {
    m_impl->read([&] {
        for (const auto audience : {Audience::public_, Audience::authorised}) {
            CheckResult r;
            r.name = audience == Audience::public_ ? "public index vs rows" : "authorised index vs rows";
            try {
                check_audience_index(*m_impl->store, *m_impl->index(audience), audience, r);
            } catch (const std::exception& e) {
                r.add(std::string("could not run: ") + e.what());
            }
            report.checks.push_back(std::move(r));
        }
    });
}

namespace detail {
namespace {

bool check_database_opens(const std::string& location, CheckReport& report) {
    CheckResult r;
    r.name = "schema";
    r.covered = "the database opens at this program's schema version";
    try {
        Registry::open(location, Registry::mode::read_only);
    } catch (const std::exception& e) {
        r.add(e.what());
    }
    const bool ok = r.ok();
    report.checks.push_back(std::move(r));
    return ok;
}

} // namespace
} // namespace detail

CheckReport check_registry(const std::string& location) {
    const bool postgres = detail::pg::is_uri(location);
    if (!postgres && !std::filesystem::exists(location)) throw error("registry '" + location + "' does not exist");
    CheckReport report;
    // A SQLite file's pages, R*Trees and reference data are checked on the file itself. PostgreSQL
    // keeps its own pages and indexes (amcheck is its administrator's tool): what is checked there
    // is that the database opens at this program's schema, then the same index checks as a file's.
    const bool current =
        postgres ? detail::check_database_opens(location, report) : detail::check_storage(location, report);
    std::string not_run = "not run: the schema version is not this program's";
    if (current) {
        try {
            Registry::open(location, Registry::mode::read_only).check_index(report);
        } catch (const std::exception& e) {
            not_run = std::string("could not open the registry: ") + e.what();
        }
    }
    for (const char* name : {"public index vs rows", "authorised index vs rows"}) {
        const bool done = std::any_of(report.checks.begin(), report.checks.end(),
                                      [&](const CheckResult& c) { return c.name == name; });
        if (done) continue;
        CheckResult r;
        r.name = name;
        if (current)
            r.add(not_run); // it should have run: a problem
        else
            r.skipped = not_run;
        report.checks.push_back(std::move(r));
    }
    return report;
}

} // namespace enlace::core
