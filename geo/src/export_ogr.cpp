// Export through OGR drivers: GeoJSON, GeoJSONSeq, Shapefile, GeoPackage, CSV, XLSX, KML and
// FlatGeobuf. One layer, fields from the shared column list, WGS84 points (public or exact, as
// the core returned them), written page by page; bulk writes in transactions where supported.
#include "export_detail.hpp"
#include "export_paging.hpp"
#include "gdal_support.hpp"
#include "gpkg_spatial_index.hpp"
#include "spreadsheet_text.hpp"

#include "enlace/geo/errors.hpp"

#include <cpl_string.h>
#include <ogr_spatialref.h>

#include <filesystem>

namespace enlace::geo::detail {
namespace {

// A DBF text field holds 254 bytes: longer text is cut where a UTF-8 character starts (GDAL would
// cut it too, with a warning), and opening hours are fitted into it (hours_text.hpp).
constexpr std::size_t dbf_text_bytes = 254;

struct DriverSpec {
    const char* driver;
    bool geometry; // point layer, else a plain table (lon/lat columns for services)
    std::vector<std::string> dataset_options, layer_options;
};

DriverSpec driver_spec(ExportFormat format) {
    switch (format) {
    case ExportFormat::geojson:
        return {"GeoJSON", true, {}, {"COORDINATE_PRECISION=7", "WRITE_NAME=NO"}};
    case ExportFormat::geojsonseq:
        return {"GeoJSONSeq", true, {}, {"RS=NO"}};
    case ExportFormat::shapefile:
        return {"ESRI Shapefile", true, {}, {"ENCODING=UTF-8"}};
    case ExportFormat::gpkg: // the spatial index is built by GpkgSpatialIndex, packed
        return {"GPKG", true, {}, {"FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=NO"}};
    case ExportFormat::csv:
        return {"CSV", false, {}, {"LINEFORMAT=LF", "CREATE_CSVT=NO", "WRITE_BOM=NO"}};
    case ExportFormat::xlsx:
        return {"XLSX", false, {}, {}};
    case ExportFormat::kml:
        return {"LIBKML", true, {}, {}};
    case ExportFormat::flatgeobuf:
        return {"FlatGeobuf", true, {}, {"SPATIAL_INDEX=YES"}};
    default:
        break;
    }
    throw geo_error("format '" + std::string(to_string(format)) + "' is not written through OGR", "");
}

struct CslOptions {
    explicit CslOptions(const std::vector<std::string>& values) {
        for (const auto& v : values)
            list = CSLAddString(list, v.c_str());
    }
    ~CslOptions() { CSLDestroy(list); }
    CslOptions(const CslOptions&) = delete;
    CslOptions& operator=(const CslOptions&) = delete;
    char** list = nullptr;
};

OGRFieldType ogr_type(CellType type) {
    switch (type) {
    case CellType::integer:
        return OFTInteger64;
    case CellType::boolean:
        return OFTInteger;
    case CellType::real:
        return OFTReal;
    case CellType::text:
        break;
    }
    return OFTString;
}

std::string layer_name(const std::string& path, ExportFormat format, RecordKind kind) {
    if (format == ExportFormat::shapefile || format == ExportFormat::csv)
        return std::filesystem::path(path).stem().string(); // these drivers name the file after the layer
    return std::string(kind_name(kind));
}

// KML gives "visibility" its own meaning (shown or hidden, 0/1): the record's visibility gets
// another name there.
template <class Record> std::int64_t id_of(const Record& record) { return record.id; }
std::int64_t id_of(const core::ServiceView& service) { return service->id; }

template <class Record> std::string field_name(const Column<Record>& column, ExportFormat format) {
    if (format == ExportFormat::shapefile) return column.short_name;
    if (format == ExportFormat::kml && column.name == "visibility") return "record_visibility";
    return column.name;
}

/// A record's feature, built ahead of writing (none when the format cannot hold the record).
struct PreparedFeature {
    std::int64_t record_id = 0;
    OGRFeatureUniquePtr feature;
};

/// One OGR layer being written: fields from the columns, features added one by one.
template <class Record> class LayerWriter {
  public:
    LayerWriter(const std::string& path, const ExportOptions& options, std::vector<Column<Record>> columns)
        : m_path(path), m_options(options), m_columns(std::move(columns)) {
        ensure_gdal();
        const auto spec = driver_spec(options.format);
        m_geometry = spec.geometry && options.kind == RecordKind::service;
        auto* driver = GetGDALDriverManager()->GetDriverByName(spec.driver);
        if (!driver) throw geo_error(std::string("GDAL has no ") + spec.driver + " driver", path);
        CPLErrorReset();
        CslOptions dsco(spec.dataset_options);
        m_dataset.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, dsco.list));
        if (!m_dataset) throw geo_error("cannot create '" + path + "': " + last_gdal_error(), path);

        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        CslOptions lco(spec.layer_options);
        const auto name = layer_name(path, options.format, options.kind);
        m_layer = m_dataset->CreateLayer(name.c_str(), m_geometry ? &wgs84 : nullptr, m_geometry ? wkbPoint : wkbNone,
                                         lco.list);
        if (!m_layer)
            throw geo_error("cannot create layer '" + name + "' in '" + path + "': " + last_gdal_error(), path, name);
        const bool short_names = options.format == ExportFormat::shapefile;
        m_short_text = short_names;
        m_spreadsheet_text = options.format == ExportFormat::csv;
        for (const auto& column : m_columns) {
            OGRFieldDefn field(field_name(column, options.format).c_str(), ogr_type(column.type));
            if (column.type == CellType::boolean) field.SetSubType(OFSTBoolean);
            if (short_names && column.type == CellType::text) field.SetWidth(static_cast<int>(dbf_text_bytes));
            if (m_layer->CreateField(&field) != OGRERR_NONE)
                throw geo_error("cannot create field '" + column.name + "': " + last_gdal_error(), path, name,
                                column.name);
        }
        m_transactions = m_dataset->TestCapability(ODsCTransactions) && options.features_per_transaction > 0;
        m_defn = m_layer->GetLayerDefn();
        if (m_geometry && options.format == ExportFormat::gpkg)
            m_gpkg_index.emplace(m_layer->GetName(), m_layer->GetGeometryColumn(), m_layer->GetFIDColumn());
    }

    /// The feature of one record, or none when the format cannot hold it: GDAL 3.6's FlatGeobuf
    /// writer drops features whose geometry is null or empty (POINT EMPTY too), and later versions
    /// refuse them in a file with a spatial index, so services without a site are counted as
    /// skipped instead. Reads only the columns and the layer's definition (whose reference count
    /// is atomic), so an export builds features on its reading thread.
    PreparedFeature feature_of(const Record& record, const std::optional<core::GeoPoint>& point) const {
        if (m_geometry && !point && m_options.format == ExportFormat::flatgeobuf) return {id_of(record), nullptr};
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(m_defn));
        for (std::size_t i = 0; i < m_columns.size(); ++i) {
            const auto cell = m_columns[i].get(record);
            const int f = static_cast<int>(i);
            if (const auto* s = std::get_if<std::string>(&cell)) {
                if (m_short_text)
                    feature->SetField(f, cut_utf8(*s, dbf_text_bytes).c_str());
                else if (m_spreadsheet_text)
                    feature->SetField(f, spreadsheet_safe(*s).c_str());
                else
                    feature->SetField(f, s->c_str());
            } else if (const auto* n = std::get_if<std::int64_t>(&cell)) {
                feature->SetField(f, static_cast<GIntBig>(*n));
            } else if (const auto* d = std::get_if<double>(&cell)) {
                feature->SetField(f, *d);
            }
        }
        if (m_geometry && point) feature->SetGeometryDirectly(new OGRPoint(point->lon, point->lat));
        if (m_options.format == ExportFormat::geojson || m_options.format == ExportFormat::geojsonseq ||
            m_options.format == ExportFormat::gpkg)
            feature->SetFID(id_of(record)); // the record id is the feature id
        return {id_of(record), std::move(feature)};
    }

    /// Writes a feature of feature_of(); false (and nothing written) for none.
    bool write(const PreparedFeature& prepared) {
        OGRFeature* feature = prepared.feature.get();
        if (!feature) return false;
        if (m_transactions && m_in_batch == 0 && m_dataset->StartTransaction() != OGRERR_NONE)
            throw geo_error("cannot start a transaction in '" + m_path + "': " + last_gdal_error(), m_path);
        if (m_layer->CreateFeature(feature) != OGRERR_NONE)
            throw geo_error("cannot write record " + std::to_string(prepared.record_id) + " to '" + m_path +
                                "': " + last_gdal_error(),
                            m_path, m_layer->GetName());
        if (m_gpkg_index)
            if (const auto* geometry = feature->GetGeometryRef())
                m_gpkg_index->add(prepared.record_id, geometry->toPoint()->getX(), geometry->toPoint()->getY());
        if (m_transactions && ++m_in_batch >= m_options.features_per_transaction) commit();
        return true;
    }

    bool add(const Record& record, const std::optional<core::GeoPoint>& point) {
        return write(feature_of(record, point));
    }

    void close() {
        if (m_transactions && m_in_batch > 0) commit();
        finish(std::move(m_dataset), m_path);
        if (m_gpkg_index) m_gpkg_index->write(m_path);
    }

  private:
    void commit() {
        if (m_dataset->CommitTransaction() != OGRERR_NONE)
            throw geo_error("cannot commit to '" + m_path + "': " + last_gdal_error(), m_path);
        m_in_batch = 0;
    }

    std::string m_path;
    const ExportOptions& m_options;
    std::vector<Column<Record>> m_columns;
    GDALDatasetUniquePtr m_dataset;
    OGRLayer* m_layer = nullptr;
    OGRFeatureDefn* m_defn = nullptr;
    bool m_geometry = false, m_transactions = false, m_short_text = false, m_spreadsheet_text = false;
    std::optional<GpkgSpatialIndex> m_gpkg_index;
    int m_in_batch = 0;
};

std::vector<std::string> side_files(const std::string& path, ExportFormat format) {
    std::vector<std::string> files{path};
    if (format == ExportFormat::shapefile)
        for (const char* ext : {".shx", ".dbf", ".prj", ".cpg"})
            files.push_back(std::filesystem::path(path).replace_extension(ext).string());
    return files;
}

} // namespace

ExportSummary write_ogr(const core::Registry& registry, const std::string& path, const ExportOptions& options) {
    ExportSummary summary;
    const bool geometry = driver_spec(options.format).geometry;
    switch (options.kind) {
    case RecordKind::service: {
        const auto max_text = options.format == ExportFormat::shapefile ? dbf_text_bytes : std::string::npos;
        LayerWriter<core::ServiceView> writer(path, options, service_columns(options.languages, !geometry, max_text));
        const auto selected = for_each_service_pipelined(
            registry, options.services,
            [&](const core::ServiceView& s) {
                const auto site = s.site();
                return writer.feature_of(s, site ? std::optional(site->point) : std::nullopt);
            },
            [&](const PreparedFeature& feature) {
                if (!writer.write(feature)) ++summary.skipped;
            });
        summary.records = selected - summary.skipped;
        writer.close();
        break;
    }
    case RecordKind::actor: {
        LayerWriter<core::Actor> writer(path, options, actor_columns(options.languages));
        summary.records =
            for_each_record(registry, options.actors, [&](const core::Actor& a) { writer.add(a, std::nullopt); });
        writer.close();
        break;
    }
    case RecordKind::practice: {
        LayerWriter<core::Practice> writer(path, options, practice_columns(options.languages));
        summary.records =
            for_each_record(registry, options.practices, [&](const core::Practice& p) { writer.add(p, std::nullopt); });
        writer.close();
        break;
    }
    }
    summary.files = side_files(path, options.format);
    return summary;
}

} // namespace enlace::geo::detail
