#pragma once
// The web map's files held in memory with their gzip and Brotli forms, compressed once at the
// highest levels (a page of ~400 KB costs about a second of Brotli 11: paid once, not per visit).
#include "enlace/http/handler.hpp"

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace enlace::http::detail {

struct StaticFile {
    std::string content_type;
    std::string body;         // as on disk
    Precompressed compressed; // empty members when the type does not compress or the file is small
};

/// Files by their real path; one whose size or modification time changed on disk is read again.
class StaticFiles {
  public:
    /// The file, or null when it cannot be read. `content_type` is the one to serve it with.
    std::shared_ptr<const StaticFile> get(const std::filesystem::path& real_file, std::string_view content_type);

  private:
    struct Entry {
        std::filesystem::file_time_type modified;
        std::uintmax_t size = 0;
        std::shared_ptr<const StaticFile> file;
    };
    std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_files;
};

/// The process's one cache: every server thread and every handler call shares it.
StaticFiles& static_files();

/// The file as a response: its type, body, the compressed forms made ahead, and nosniff.
Response static_file_response(const std::shared_ptr<const StaticFile>& file);

} // namespace enlace::http::detail
