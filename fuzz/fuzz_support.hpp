#pragma once
// What the fuzz targets share: a finding that aborts with what was wrong (libFuzzer then saves the
// input), and a demo registry on a scratch folder made once per process.
#include "enlace/core/reference.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/data/embedded.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unistd.h>

namespace enlace::fuzz {

/// Reports a broken invariant and aborts: the input is a finding.
[[noreturn]] inline void finding(std::string_view what, std::string_view detail = {}) {
    std::fprintf(stderr, "FINDING: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(detail.size()), detail.data());
    std::abort();
}

/// The input's bytes as text.
inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// A folder of its own for this process's registry, on tmpfs when there is one (writes that
/// commit are then not bound by the disk), removed when the process ends.
class ScratchFolder {
  public:
    ScratchFolder() {
        const char* base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
        std::string pattern = std::string(base) + "/enlace-fuzz-XXXXXX";
        if (!::mkdtemp(pattern.data())) finding("cannot make a scratch folder", pattern);
        m_path = pattern;
    }
    ~ScratchFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
    std::string file(const std::string& name) const { return (m_path / name).string(); }

  private:
    std::filesystem::path m_path;
};

/// A registry holding the reference data and the demo dataset (data/demo.json), as the tests make it.
struct DemoRegistry {
    ScratchFolder folder;
    core::Registry registry = core::Registry::open(folder.file("registry.db"), core::Registry::mode::create);

    DemoRegistry() {
        registry.load_reference(core::ReferenceData::from_json(*data::embedded("taxonomy.json"),
                                                               *data::embedded("countries.json"),
                                                               *data::embedded("boundaries.geojson")));
        registry.load_dataset(std::string(*data::embedded("demo.json")));
    }
};

} // namespace enlace::fuzz
