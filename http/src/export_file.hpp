#pragma once
// Temporary files for downloads: a unique folder under the system temp directory, removed with
// everything in it when the folder object goes out of scope.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace enlace::http::detail {

/// The most services one export answers; more get 413 asking for filters.
inline constexpr std::int64_t max_export_services = 100000;

class ExportFolder {
  public:
    ExportFolder();  // creates it (throws std::filesystem::filesystem_error when it cannot)
    ~ExportFolder(); // removes it, never throws
    ExportFolder(const ExportFolder&) = delete;
    ExportFolder& operator=(const ExportFolder&) = delete;

    std::string file(std::string_view name) const { return (m_path / name).string(); }

  private:
    std::filesystem::path m_path;
};

/// The whole file's bytes; throws std::runtime_error when it cannot be read.
std::string read_binary(const std::string& path);

} // namespace enlace::http::detail
