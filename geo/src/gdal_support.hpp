#pragma once
// GDAL set-up and ownership shared by import and export: drivers registered once, GDAL's error
// messages captured (not printed), and owners for datasets and features from the first line.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <string>

namespace enlace::geo::detail {

/// Registers GDAL's drivers once per process and routes GDAL's error output into last_gdal_error().
void ensure_gdal();

/// The last message GDAL reported on this thread (CPLGetLastErrorMsg), or a fallback text.
std::string last_gdal_error(const std::string& fallback = "GDAL gave no detail");

/// Opens a vector dataset read-only; throws geo_error naming the path and GDAL's reason.
GDALDatasetUniquePtr open_vector(const std::string& path, char** open_options = nullptr);

/// Closes a dataset explicitly (closing is what flushes shapefiles and GeoJSON); throws geo_error.
void finish(GDALDatasetUniquePtr dataset, const std::string& path);

} // namespace enlace::geo::detail
