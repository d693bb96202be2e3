#pragma once
// Reads one OGR layer row by row: attribute values as UTF-8 text, and one WGS84 lon/lat point per
// feature (points as they are, polygons reduced to a point on their surface, lines refused).
#include "gdal_support.hpp"

#include "enlace/core/model.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace enlace::geo::detail {

struct Row {
    std::int64_t ordinal = 0; // 1-based among data rows
    std::int64_t fid = -1;
    std::vector<std::string> values; // aligned with RowReader::columns(); "" when null
    std::vector<bool> bad_utf8;      // value was not valid UTF-8 (kept as recoded from Latin-1)
    bool has_geometry = false;
    std::optional<core::GeoPoint> point; // WGS84 lon/lat
    std::string geometry_type;           // OGR name, e.g. "Polygon"
    std::string geometry_problem;        // refused geometry: why
    std::string geometry_warning;        // kept, with a note (polygon -> point on surface)
};

class RowReader {
  public:
    /// Opens `path` and picks `layer` (or the only/first one). `encoding` overrides the .cpg (shapefile)
    /// or recodes text of other formats; throws geo_error when it is unknown or the source is unreadable.
    /// `count_rows`: ask the driver for total(), which some (CSV, GeoJSON) answer by reading the whole file.
    RowReader(const std::string& path, const std::string& layer, const std::string& encoding, bool count_rows = true);
    ~RowReader();

    const std::vector<std::string>& columns() const { return m_columns; }
    /// HXL hashtags per column when the first row held them (then skipped), else empty.
    const std::vector<std::string>& hxl_tags() const { return m_hxl; }
    const std::string& layer_name() const { return m_layer_name; }
    const std::string& driver() const { return m_driver; }
    /// Features in the layer when the driver knows (and was asked to count), else -1.
    std::int64_t total() const { return m_total; }
    /// Warnings about the source as a whole (several layers, no CRS, ...).
    const std::vector<std::string>& notes() const { return m_notes; }

    /// The next row, or nothing at the end. Throws geo_error when the data cannot be read.
    std::optional<Row> next();

  private:
    Row convert(OGRFeature& feature);
    void read_geometry(OGRGeometry* geometry, Row& row);

    std::string m_path, m_driver, m_layer_name, m_recode_from;
    GDALDatasetUniquePtr m_dataset;
    OGRLayer* m_layer = nullptr;
    std::unique_ptr<OGRCoordinateTransformation> m_transform;
    std::vector<std::string> m_columns, m_hxl, m_notes;
    std::optional<Row> m_pending; // first data row read while looking for an HXL row
    std::int64_t m_total = -1, m_ordinal = 0;
};

} // namespace enlace::geo::detail
