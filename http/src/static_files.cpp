#include "static_files.hpp"

#include "compression.hpp"

#include <fstream>
#include <sstream>

namespace enlace::http::detail {

std::shared_ptr<const StaticFile> StaticFiles::get(const std::filesystem::path& real_file,
                                                   std::string_view content_type) {
    std::error_code ec;
    const auto modified = std::filesystem::last_write_time(real_file, ec);
    if (ec) return nullptr;
    const auto size = std::filesystem::file_size(real_file, ec);
    if (ec) return nullptr;
    const auto key = real_file.string();
    {
        std::lock_guard lock(m_mutex);
        const auto found = m_files.find(key);
        if (found != m_files.end() && found->second.modified == modified && found->second.size == size &&
            found->second.file->content_type == content_type)
            return found->second.file;
    }
    // Read and compress outside the lock: two threads may both do a cold file once, none waits.
    std::ifstream in(real_file, std::ios::binary);
    if (!in) return nullptr;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    auto file = std::make_shared<StaticFile>();
    file->content_type = std::string(content_type);
    file->body = std::move(bytes).str();
    if (compressible(content_type) && file->body.size() >= min_compressed_size) {
        file->compressed.gzip = gzip_compress(file->body, 9);
        file->compressed.brotli = brotli_compress(file->body, 11);
    }
    std::lock_guard lock(m_mutex);
    m_files[key] = Entry{modified, size, file};
    return file;
}

StaticFiles& static_files() {
    static StaticFiles files;
    return files;
}

Response static_file_response(const std::shared_ptr<const StaticFile>& file) {
    Response response;
    response.content_type = file->content_type;
    response.body = file->body;
    if (!file->compressed.gzip.empty())
        response.precompressed = std::shared_ptr<const Precompressed>(file, &file->compressed);
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return response;
}

} // namespace enlace::http::detail
