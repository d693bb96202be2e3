// JSON export: the core's record JSON (the form `enlace add` reads), as a dataset object
// {"services": [...]}, {"actors": [...]} or {"practices": [...]}, streamed one record at a time.
#include "export_detail.hpp"

#include "enlace/core/record_json.hpp"
#include "enlace/geo/errors.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

namespace enlace::geo::detail {

ExportSummary write_json(const core::Registry& registry, const std::string& path,
                         const ExportOptions& options) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw geo_error("cannot create '" + path + "'", path);
    bool first = true;
    auto write = [&](const auto& record) {
        out << (first ? "\n" : ",\n") << core::to_json(record).dump();
        first = false;
    };
    ExportSummary summary;
    switch (options.kind) {
    case RecordKind::service:
        out << "{\"services\": [";
        summary.records = for_each_service_pipelined(registry, options.services, write);
        break;
    case RecordKind::actor:
        out << "{\"actors\": [";
        summary.records = for_each_record(registry, options.actors, write);
        break;
    case RecordKind::practice:
        out << "{\"practices\": [";
        summary.records = for_each_record(registry, options.practices, write);
        break;
    }
    out << "\n]}\n";
    out.close();
    if (!out) throw geo_error("cannot write '" + path + "' (disk full?)", path);
    summary.files = {path};
    return summary;
}

} // namespace enlace::geo::detail
