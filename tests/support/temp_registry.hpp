#pragma once
// Test fixtures: fresh registry files under the build folder, and service records to put in them.
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

  private:
    std::filesystem::path m_path;
};

/// The reference data compiled into the program (data/taxonomy.json, data/countries.json).
const core::ReferenceData& reference();

/// A new registry file in `dir` with the reference data loaded.
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
