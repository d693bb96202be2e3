#include "gdal_support.hpp"

#include "enlace/geo/errors.hpp"

#include <cpl_error.h>

#include <mutex>

namespace enlace::geo::detail {
namespace {

// Keep GDAL quiet on stderr: errors reach users through geo_error with their context instead.
void CPL_STDCALL quiet_handler(CPLErr, CPLErrorNum, const char*) {}

} // namespace

void ensure_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(quiet_handler);
    });
}

std::string last_gdal_error(const std::string& fallback) {
    const char* message = CPLGetLastErrorMsg();
    return message && *message ? std::string(message) : fallback;
}

GDALDatasetUniquePtr open_vector(const std::string& path, char** open_options) {
    ensure_gdal();
    CPLErrorReset();
    GDALDatasetUniquePtr dataset(
        GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options, nullptr));
    if (!dataset)
        throw geo_error("cannot open '" + path + "': " + last_gdal_error("not a readable vector dataset"), path);
    return dataset;
}

void finish(GDALDatasetUniquePtr dataset, const std::string& path) {
    CPLErrorReset();
    GDALClose(GDALDataset::ToHandle(dataset.release()));
    if (CPLGetLastErrorType() >= CE_Failure)
        throw geo_error("cannot finish writing '" + path + "': " + last_gdal_error(), path);
}

} // namespace enlace::geo::detail
