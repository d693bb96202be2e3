#pragma once
// Test fixtures: fresh registries (files under the build folder, or databases of the test cluster
// when ENLACE_TEST_POSTGRES names one), and service records to put in them.
#include "enlace/core/model.hpp"
#include "enlace/core/registry.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace enlace::test {

/// A folder of its own under the build folder's scratch area, removed on destruction.
class ScratchDir {
  public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::filesystem::path path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }
    /// Where a registry of this folder lives: the file `name` in it, or, when the tests run on
    /// PostgreSQL (ENLACE_TEST_POSTGRES), a database of the test cluster of its own, created empty
    /// on first use and dropped with the folder.
    std::string registry(const std::string& name = "registry.db") const;

  private:
    std::filesystem::path m_path;
};

/// The reference data compiled into the program (data/taxonomy.json, data/countries.json).
const core::ReferenceData& reference();

/// Whether the tests run on PostgreSQL (ENLACE_TEST_POSTGRES names the test cluster).
bool on_postgres();

/// Runs SQL on the store of a registry location (a file or a database of the test cluster), for
/// tests that tamper with or read rows as another program would; throws with the store's message.
void run_sql(const std::string& location, const std::string& sql);
/// The rows a query returns, every value as text (NULL as "").
std::vector<std::vector<std::string>> sql_rows(const std::string& location, const std::string& sql);
/// The one value of a query of one row and column.
std::string sql_value(const std::string& location, const std::string& sql);

/// Closes the database of a registry of the test cluster to new connections and ends the ones it
/// has (as a database server that went down looks to its clients), or with `true` opens it again.
void set_database_reachable(const std::string& location, bool reachable);

/// The columns of a table, in their order.
std::vector<std::string> column_names(const std::string& location, const std::string& table);

/// Everything a registry location holds as bytes, as someone who copied it would read them: the
/// file and its WAL, or a pg_dump of the database.
std::string stored_bytes(const std::string& location);

/// A new registry of `dir` (ScratchDir::registry) with the reference data loaded.
core::Registry make_registry(const ScratchDir& dir, const std::string& name = "registry.db");

/// The text of a file under tests/data (ENLACE_TEST_DATA); throws when it cannot be read.
std::string test_data(const std::string& name);

/// A registry user as a caller, built directly (no account): the name is its signature
/// ("user:NAME"), the id distinct per name.
core::Caller user_caller(const std::string& name, core::Role role, std::vector<std::string> countries);

/// A valid public service of `type` at (lon, lat) in `country`, with a Spanish name.
core::Service service_at(double lon, double lat, const std::string& country = "GT",
                         const std::string& type = "PRO.AUTHORITY", const std::string& name = "Servicio");

} // namespace enlace::test
