#pragma once
// One .zip of several files (minizip, Debian's libminizip-dev), for multi-file downloads such as
// a shapefile's .shp/.shx/.dbf/.prj/.cpg.
#include <string>
#include <vector>

namespace enlace::http::detail {

/// Writes `zip_path` holding each of `files` (stored by file name, without folders, deflated).
/// Throws std::runtime_error when a file cannot be read or the archive cannot be written.
void zip_files(const std::vector<std::string>& files, const std::string& zip_path);

} // namespace enlace::http::detail
