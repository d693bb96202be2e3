#include "support/temp_registry.hpp"

#include "enlace/data/embedded.hpp"

#include <atomic>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <unistd.h>

namespace enlace::test {

ScratchDir::ScratchDir() {
    static std::atomic<int> counter{0};
    m_path = std::filesystem::path(ENLACE_TEST_SCRATCH) /
             ("t" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
}

ScratchDir::~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

const core::ReferenceData& reference() {
    static const core::ReferenceData data = core::ReferenceData::from_json(
        *data::embedded("taxonomy.json"), *data::embedded("countries.json"), *data::embedded("boundaries.geojson"));
    return data;
}

core::Registry make_registry(const ScratchDir& dir, const std::string& name) {
    auto registry = core::Registry::open(dir.file(name), core::Registry::mode::create);
    registry.load_reference(reference());
    return registry;
}

std::string test_data(const std::string& name) {
    const std::string path = std::string(ENLACE_TEST_DATA) + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read test data " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

core::Service service_at(double lon, double lat, const std::string& country, const std::string& type,
                         const std::string& name) {
    core::Service s;
    s.name = {{"es", name}};
    s.types = {type};
    s.country = country;
    s.site = core::Site{{lon, lat}, core::LocationPrecision::exact};
    return s;
}

core::Caller user_caller(const std::string& name, core::Role role, std::vector<std::string> countries) {
    core::Caller c;
    c.kind = core::Caller::Kind::user;
    c.user_id = static_cast<std::int64_t>(std::hash<std::string>{}(name) % 1000);
    c.name = name;
    c.role = role;
    c.countries = std::move(countries);
    return c;
}

} // namespace enlace::test
