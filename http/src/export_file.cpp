#include "export_file.hpp"

#include <atomic>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <system_error>

#include <unistd.h>

namespace enlace::http::detail {

ExportFolder::ExportFolder() {
    static std::atomic<std::uint64_t> counter{0};
    static const auto salt = std::random_device{}();
    const auto base = std::filesystem::temp_directory_path();
    for (int attempt = 0;; ++attempt) {
        m_path = base / ("enlace-export-" + std::to_string(::getpid()) + "-" + std::to_string(salt) + "-" +
                         std::to_string(counter++));
        // create_directory is false when it already exists: try the next name.
        if (std::filesystem::create_directory(m_path)) return;
        if (attempt > 100) throw std::runtime_error("cannot create a temporary folder under " + base.string());
    }
}

ExportFolder::~ExportFolder() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

std::string read_binary(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read the export file " + path);
    return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace enlace::http::detail
