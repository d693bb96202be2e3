// The import's row path (geo/include/enlace/geo/importer.hpp) on files made from the input: GDAL's
// in-memory file /vsimem/ as CSV (first byte even) or GeoJSON (odd), read as services, actors or
// practices (the first byte's next bits), imported as a dry run into a demo registry (written in
// a transaction, then rolled back). A source GDAL cannot read is refused with geo_error and bad
// rows are reported row by row; any other exception is a finding, and a dry run commits nothing.
#include "fuzz_support.hpp"

#include "enlace/geo/errors.hpp"
#include "enlace/geo/importer.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>

#include <vector>

namespace {

enlace::fuzz::DemoRegistry* demo = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    static enlace::fuzz::DemoRegistry registry;
    demo = &registry;
    CPLSetErrorHandler(CPLQuietErrorHandler); // GDAL's warnings on broken files would drown the fuzzer's output
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    namespace geo = enlace::geo;
    const bool geojson = data[0] & 1;
    const auto kinds = {geo::RecordKind::service, geo::RecordKind::service, geo::RecordKind::actor,
                        geo::RecordKind::practice};
    const auto kind = kinds.begin()[(data[0] >> 1) & 3];
    const std::string path = geojson ? "/vsimem/fuzz_rows.geojson" : "/vsimem/fuzz_rows.csv";
    std::vector<GByte> bytes(data + 1, data + size);
    VSIFCloseL(VSIFileFromMemBuffer(path.c_str(), bytes.data(), bytes.size(), FALSE));

    const auto revision_before = demo->registry.revision();
    geo::ImportOptions options;
    options.path = path;
    options.kind = kind;
    options.source = "fuzz";
    options.dry_run = true;
    try {
        const auto report = geo::import_layer(demo->registry, options);
        if (report.committed) enlace::fuzz::finding("a dry run committed");
        geo::report_json(report);
        geo::report_table(report);
    } catch (const geo::geo_error&) {
        // a source GDAL cannot read as a layer: the documented refusal
    }
    VSIUnlink(path.c_str());
    if (demo->registry.revision() != revision_before) enlace::fuzz::finding("a dry run changed the registry");
    return 0;
}
