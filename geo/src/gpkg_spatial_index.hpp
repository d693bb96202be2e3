#pragma once
// A GeoPackage's spatial index (the gpkg_rtree_index extension) built by enlace instead of GDAL.
// GDAL 3.6 fills it after the last feature with one R*Tree INSERT per feature, about a third of a
// GPKG export's time. A packed build takes a fraction of a second for a million points. GDAL 3.7
// and later build it packed themselves.
#include "enlace/core/point_rtree.hpp"

#include <cstdint>
#include <string>

namespace enlace::geo::detail {

class GpkgSpatialIndex {
  public:
    /// The index of `column` (a point geometry) of feature table `table`, whose key is `fid_column`.
    GpkgSpatialIndex(std::string table, std::string column, std::string fid_column);

    void add(std::int64_t fid, double lon, double lat) { m_rows.add(fid, lon, lat); }

    /// Once GDAL has closed the file (written without an index): creates rtree_<table>_<column>,
    /// fills it, registers the extension and adds the triggers that keep the index in step with
    /// later edits (the GeoPackage 1.2 specification's, as GDAL 3.6 writes them), in one
    /// transaction. Throws geo_error when the file cannot be updated.
    void write(const std::string& path);

  private:
    std::string m_table, m_column, m_fid;
    core::PointRtreeRows m_rows;
};

} // namespace enlace::geo::detail
