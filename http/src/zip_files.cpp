#include "zip_files.hpp"

#include "export_file.hpp"

#include <minizip/zip.h>

#include <filesystem>
#include <stdexcept>

namespace enlace::http::detail {

void zip_files(const std::vector<std::string>& files, const std::string& zip_path) {
    zipFile zip = zipOpen64(zip_path.c_str(), APPEND_STATUS_CREATE);
    if (!zip) throw std::runtime_error("cannot create " + zip_path);
    auto fail = [&](const std::string& what) {
        zipClose(zip, nullptr);
        throw std::runtime_error("cannot zip " + what + " into " + zip_path);
    };
    for (const auto& file : files) {
        const auto bytes = read_binary(file);
        const auto name = std::filesystem::path(file).filename().string();
        zip_fileinfo info{};
        if (zipOpenNewFileInZip64(zip, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                  Z_DEFAULT_COMPRESSION, 1) != ZIP_OK)
            fail(name);
        const bool written =
            bytes.empty() || zipWriteInFileInZip(zip, bytes.data(), static_cast<unsigned>(bytes.size())) == ZIP_OK;
        if (zipCloseFileInZip(zip) != ZIP_OK || !written) fail(name);
    }
    if (zipClose(zip, nullptr) != ZIP_OK) throw std::runtime_error("cannot finish " + zip_path);
}

} // namespace enlace::http::detail
