// JSON export: the core's record JSON (the form `enlace add` reads), as a dataset object
// {"services": [...]}, {"actors": [...]} or {"practices": [...]}, streamed one record at a time.
#include "export_detail.hpp"
#include "export_paging.hpp"

#include "enlace/core/record_json.hpp"
#include "enlace/geo/errors.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

namespace enlace::geo::detail {

ExportSummary write_json(const core::Registry& registry, const std::string& path, const ExportOptions& options) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw geo_error("cannot create '" + path + "'", path);
    bool first = true;
    auto write_text = [&](const std::string& text) {
        out << (first ? "\n" : ",\n") << text;
        first = false;
    };
    auto write = [&](const auto& record) { write_text(core::to_json(record).dump()); };
    ExportSummary summary;
    switch (options.kind) {
    case RecordKind::service:
        out << "{\"services\": [";
        summary.records = for_each_service_pipelined(
            registry, options.services, [](const core::ServiceView& s) { return core::to_json(s).dump(); }, write_text);
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
