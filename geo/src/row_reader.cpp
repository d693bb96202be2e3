#include "row_reader.hpp"

#include "enlace/core/geodesy.hpp"
#include "enlace/geo/errors.hpp"
#include "spreadsheet_text.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <ogr_api.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <filesystem>
#include <iconv.h>

namespace enlace::geo::detail {
namespace {

bool known_encoding(const std::string& encoding) {
    iconv_t cd = iconv_open("UTF-8", encoding.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    iconv_close(cd);
    return true;
}

std::string recode(const char* text, const char* from) {
    char* out = CPLRecode(text, from, CPL_ENC_UTF8);
    std::string s = out ? out : "";
    CPLFree(out);
    return s;
}

bool sidecar_exists(const std::filesystem::path& shp, const char* ext) {
    for (auto e : {std::string(ext), std::string(ext).substr(0, 1) + std::string(ext).substr(1)}) {
        auto p = shp;
        p.replace_extension(e);
        if (std::filesystem::exists(p)) return true;
        std::string upper = e;
        for (auto& c : upper)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        p.replace_extension(upper);
        if (std::filesystem::exists(p)) return true;
    }
    return false;
}

bool looks_like_hxl(const Row& row) {
    int tags = 0;
    for (const auto& v : row.values) {
        std::string t = v;
        while (!t.empty() && t.front() == ' ')
            t.erase(0, 1);
        if (t.empty()) continue;
        if (t[0] != '#') return false;
        ++tags;
    }
    return tags > 0;
}

} // namespace

RowReader::RowReader(const std::string& path, const std::string& layer, const std::string& encoding, bool count_rows)
    : m_path(path) {
    ensure_gdal();
    // GDAL's in-memory files (/vsimem/, made by this program: the import fuzz target) are not on disk.
    const bool in_memory = path.starts_with("/vsimem/");
    if (!in_memory && !std::filesystem::exists(path) && path.find(':') == std::string::npos)
        throw geo_error("cannot open '" + path + "': no such file", path);
    if (!encoding.empty() && !known_encoding(encoding))
        throw geo_error("unknown encoding '" + encoding + "' (try UTF-8, CP1252 or ISO-8859-1)", path);
    std::filesystem::path fs_path(path);
    std::string ext = fs_path.extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".shp") {
        // GDAL would open a shapefile without its .dbf (losing every attribute) or rebuild a missing
        // .shx on request: refuse both, a shapefile comes as a set.
        if (std::filesystem::exists(path) && !sidecar_exists(fs_path, ".dbf"))
            throw geo_error("cannot import '" + path + "': its .dbf (the attributes) is missing", path);
        if (std::filesystem::exists(path) && !sidecar_exists(fs_path, ".shx"))
            throw geo_error("cannot import '" + path + "': its .shx (the index) is missing", path);
    }
    CPLStringList options;
    const bool shapefile_like = ext == ".shp" || ext == ".dbf";
    if (!encoding.empty() && shapefile_like) options.SetNameValue("ENCODING", encoding.c_str());
    // Spreadsheets whose cells are all text defeat GDAL's header guess: an import table has headers.
    // GDAL 3.6 reads that from a configuration option, and only while the layer is first read: held
    // (thread-locally) for the rest of this constructor, which reads the columns and the first row.
    const char* headers_option = ext == ".ods" ? "OGR_ODS_HEADERS" : "OGR_XLSX_HEADERS";
    std::optional<CPLConfigOptionSetter> force_headers;
    if (ext == ".xlsx" || ext == ".ods") force_headers.emplace(headers_option, "FORCE", true);
    m_dataset = open_vector(path, options.List());
    m_driver = m_dataset->GetDriver() ? m_dataset->GetDriver()->GetDescription() : "";
    if (!encoding.empty() && m_driver != "ESRI Shapefile") m_recode_from = encoding;

    const int count = m_dataset->GetLayerCount();
    if (count == 0) throw geo_error("'" + path + "' holds no vector layer", path);
    if (!layer.empty()) {
        m_layer = m_dataset->GetLayerByName(layer.c_str());
        if (!m_layer) {
            std::string names;
            for (int i = 0; i < count; ++i)
                names += std::string(names.empty() ? "" : ", ") + m_dataset->GetLayer(i)->GetName();
            throw geo_error("'" + path + "' has no layer '" + layer + "' (layers: " + names + ")", path, layer);
        }
    } else {
        m_layer = m_dataset->GetLayer(0);
        if (count > 1) {
            std::string names;
            for (int i = 0; i < count; ++i)
                names += std::string(names.empty() ? "" : ", ") + m_dataset->GetLayer(i)->GetName();
            m_notes.push_back("the source has " + std::to_string(count) + " layers (" + names + "); importing '" +
                              m_layer->GetName() + "' (choose with --layer)");
        }
    }
    m_layer_name = m_layer->GetName();
    OGRFeatureDefn* defn = m_layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const char* name = defn->GetFieldDefn(i)->GetNameRef();
        m_columns.push_back(m_recode_from.empty() ? name : recode(name, m_recode_from.c_str()));
    }
    if (count_rows) m_total = m_layer->GetFeatureCount(FALSE);

    if (const OGRSpatialReference* srs = m_layer->GetSpatialRef()) {
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        OGRSpatialReference source(*srs);
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!source.IsSame(&wgs84)) {
            CPLErrorReset();
            m_transform.reset(OGRCreateCoordinateTransformation(&source, &wgs84));
            if (!m_transform)
                throw geo_error("cannot reproject layer '" + m_layer_name + "' to WGS84: " +
                                    last_gdal_error("its coordinate system is not understood (check the .prj)"),
                                path, m_layer_name);
        }
    } else if (defn->GetGeomFieldCount() > 0 && m_driver != "CSV") {
        m_notes.push_back("layer '" + m_layer_name + "' declares no coordinate system: assuming WGS84 lon/lat");
    }

    m_layer->ResetReading();
    // An HXL file carries hashtags in its first data row: use them for mapping, then skip the row.
    auto first = next();
    if (!first) throw geo_error("layer '" + m_layer_name + "' of '" + path + "' has no features", path, m_layer_name);
    if (looks_like_hxl(*first)) {
        m_hxl = first->values;
        m_ordinal = 0;
        if (m_total > 0) --m_total;
        first = next();
        if (!first)
            throw geo_error("layer '" + m_layer_name + "' of '" + path + "' has no features (only HXL hashtags)", path,
                            m_layer_name);
        first->ordinal = 1;
        m_ordinal = 1;
    }
    m_pending = std::move(first);
}

RowReader::~RowReader() = default;

std::optional<Row> RowReader::next() {
    if (m_pending) {
        auto row = std::move(m_pending);
        m_pending.reset();
        return row;
    }
    CPLErrorReset();
    OGRFeatureUniquePtr feature(m_layer->GetNextFeature());
    if (CPLGetLastErrorType() >= CE_Failure)
        throw geo_error("cannot read '" + m_path + "' after row " + std::to_string(m_ordinal) + ": " +
                            last_gdal_error() + " (is the file truncated or corrupt?)",
                        m_path, m_layer_name);
    if (!feature) return std::nullopt;
    return convert(*feature);
}

Row RowReader::convert(OGRFeature& feature) {
    Row row;
    row.ordinal = ++m_ordinal;
    row.fid = feature.GetFID() == OGRNullFID ? -1 : feature.GetFID();
    const int n = static_cast<int>(m_columns.size());
    row.values.resize(static_cast<std::size_t>(n));
    row.bad_utf8.assign(static_cast<std::size_t>(n), false);
    for (int i = 0; i < n; ++i) {
        if (!feature.IsFieldSetAndNotNull(i)) continue;
        auto& value = row.values[static_cast<std::size_t>(i)];
        const OGRFieldType type = feature.GetFieldDefnRef(i)->GetType();
        if (type == OFTDate || type == OFTDateTime) {
            int y = 0, mo = 0, d = 0, h = 0, mi = 0, tz = 0;
            float s = 0;
            feature.GetFieldAsDateTime(i, &y, &mo, &d, &h, &mi, &s, &tz);
            char buffer[16];
            std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, mo, d);
            value = buffer;
            continue;
        }
        const char* text = feature.GetFieldAsString(i);
        if (!m_recode_from.empty()) {
            value = recode(text, m_recode_from.c_str());
        } else if (!CPLIsUTF8(text, -1)) {
            // Not UTF-8 and no encoding given: keep a readable form, and flag the value.
            value = recode(text, CPL_ENC_ISO8859_1);
            row.bad_utf8[static_cast<std::size_t>(i)] = true;
        } else {
            value = text;
        }
        // What spreadsheet_safe() guarded on export (a phone "+502 ..." written as "'+502 ...").
        if (m_driver == "CSV" && !value.empty() && value.front() == '\'')
            value = std::string(without_spreadsheet_guard(value));
    }
    read_geometry(feature.GetGeometryRef(), row);
    return row;
}

void RowReader::read_geometry(OGRGeometry* geometry, Row& row) {
    if (!geometry || geometry->IsEmpty()) return;
    row.has_geometry = true;
    row.geometry_type = OGRGeometryTypeToName(geometry->getGeometryType());
    const auto flat = wkbFlatten(geometry->getGeometryType());
    OGRPoint point;
    bool transformed = false;
    if (flat == wkbPoint) {
        point = *geometry->toPoint();
    } else if (flat == wkbMultiPoint && geometry->toMultiPoint()->getNumGeometries() == 1) {
        point = *geometry->toMultiPoint()->getGeometryRef(0);
    } else if (flat == wkbPolygon || flat == wkbMultiPolygon || flat == wkbCurvePolygon || flat == wkbMultiSurface) {
        std::unique_ptr<OGRGeometry> copy(geometry->clone());
        if (m_transform && copy->transform(m_transform.get()) != OGRERR_NONE) {
            row.geometry_problem = "cannot be reprojected to WGS84 (check the .prj)";
            return;
        }
        std::unique_ptr<OGRGeometry> surface_point(
            OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(copy.get()))));
        if (surface_point && wkbFlatten(surface_point->getGeometryType()) == wkbPoint && !surface_point->IsEmpty()) {
            point = *surface_point->toPoint();
        } else {
            OGREnvelope e;
            copy->getEnvelope(&e);
            point.setX((e.MinX + e.MaxX) / 2);
            point.setY((e.MinY + e.MaxY) / 2);
        }
        row.geometry_warning = std::string("is a ") + row.geometry_type + ": imported at a point on its surface";
        transformed = true;
    } else if (flat == wkbMultiPoint) {
        row.geometry_problem = "is a MultiPoint of " + std::to_string(geometry->toMultiPoint()->getNumGeometries()) +
                               " points: give one point per service";
        return;
    } else {
        row.geometry_problem = std::string("is a ") + row.geometry_type +
                               ": services are points (or polygons, imported at a point on their surface)";
        return;
    }
    double x = point.getX(), y = point.getY();
    if (!std::isfinite(x) || !std::isfinite(y)) {
        row.geometry_problem = "has a coordinate that is not a finite number";
        return;
    }
    if (m_transform && !transformed) {
        if (!m_transform->Transform(1, &x, &y) || !std::isfinite(x) || !std::isfinite(y)) {
            row.geometry_problem = "cannot be reprojected to WGS84 (check the .prj)";
            return;
        }
    }
    if (!core::geodesy::valid_lon(x) || !core::geodesy::valid_lat(y)) {
        row.geometry_problem = "is out of range after reprojection to WGS84 (lon " + std::to_string(x) + ", lat " +
                               std::to_string(y) + "): check the coordinate system (.prj) or the axis order";
        return;
    }
    row.point = core::GeoPoint{x, y};
}

} // namespace enlace::geo::detail
