#pragma once
// Builds small vector files with GDAL for the import tests.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <fstream>
#include <string>
#include <vector>

namespace enlace::test {

struct FeatureSpec {
    std::string wkt; // empty: no geometry
    std::vector<std::string> values;
};

/// Writes one layer (all fields strings) with `driver`; `epsg` 0 writes no coordinate system.
inline void write_layer(const std::string& path, const std::string& driver, const std::vector<std::string>& fields,
                        const std::vector<FeatureSpec>& features, int epsg = 4326,
                        const std::string& layer_name = "services", std::vector<std::string> creation_options = {},
                        bool add_layer = false) {
    GDALAllRegister();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
    if (!drv) throw std::runtime_error("no GDAL driver " + driver);
    GDALDataset* ds = add_layer ? GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE)
                                : drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (!ds) throw std::runtime_error("cannot create " + path);
    OGRSpatialReference srs;
    if (epsg) {
        srs.importFromEPSG(epsg);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    }
    std::vector<const char*> lco;
    for (const auto& o : creation_options)
        lco.push_back(o.c_str());
    lco.push_back(nullptr);
    const bool has_geometry = !features.empty() && !features.front().wkt.empty();
    OGRLayer* layer = ds->CreateLayer(layer_name.c_str(), epsg ? &srs : nullptr, has_geometry ? wkbUnknown : wkbNone,
                                      const_cast<char**>(lco.data()));
    if (!layer) throw std::runtime_error("cannot create layer in " + path);
    for (const auto& f : fields) {
        OGRFieldDefn defn(f.c_str(), OFTString);
        layer->CreateField(&defn);
    }
    for (const auto& spec : features) {
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (std::size_t i = 0; i < spec.values.size(); ++i)
            if (!spec.values[i].empty()) feature->SetField(fields[i].c_str(), spec.values[i].c_str());
        if (!spec.wkt.empty()) {
            OGRGeometry* g = nullptr;
            OGRGeometryFactory::createFromWkt(spec.wkt.c_str(), epsg ? &srs : nullptr, &g);
            feature->SetGeometryDirectly(g);
        }
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE) throw std::runtime_error("cannot write feature");
    }
    GDALClose(ds);
}

inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

} // namespace enlace::test
