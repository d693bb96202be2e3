// export_records: format names, the output path checks, and the writer for each format.
#include "export_detail.hpp"

#include "enlace/geo/errors.hpp"

#include <algorithm>
#include <array>
#include <filesystem>

namespace enlace::geo {
namespace {

struct FormatName {
    ExportFormat format;
    std::string_view name;
};

constexpr std::array<FormatName, 11> format_names{{
    {ExportFormat::geojson, "geojson"},
    {ExportFormat::geojsonseq, "geojsonseq"},
    {ExportFormat::shapefile, "shp"},
    {ExportFormat::gpkg, "gpkg"},
    {ExportFormat::csv, "csv"},
    {ExportFormat::xlsx, "xlsx"},
    {ExportFormat::kml, "kml"},
    {ExportFormat::flatgeobuf, "fgb"},
    {ExportFormat::hxl, "hxl"},
    {ExportFormat::hsds, "hsds"},
    {ExportFormat::json, "json"},
}};

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

void prepare_output(const std::string& path, const ExportOptions& options) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (options.format == ExportFormat::hsds) {
        if (fs::exists(path, ec) && !fs::is_directory(path, ec))
            throw geo_error("'" + path + "' exists and is not a folder (an HSDS package is a folder)", path);
        if (fs::exists(path, ec) && !fs::is_empty(path, ec) && !options.overwrite)
            throw geo_error("folder '" + path + "' is not empty (use --overwrite to replace its files)", path);
        fs::create_directories(path, ec);
        if (ec) throw geo_error("cannot create folder '" + path + "': " + ec.message(), path);
        return;
    }
    if (fs::exists(path, ec)) {
        if (!options.overwrite) throw geo_error("'" + path + "' exists (use --overwrite to replace it)", path);
        if (fs::is_directory(path, ec)) throw geo_error("'" + path + "' is a folder", path);
        fs::remove(path, ec);
        if (options.format == ExportFormat::shapefile)
            for (const char* ext : {".shx", ".dbf", ".prj", ".cpg", ".qix"})
                fs::remove(fs::path(path).replace_extension(ext), ec);
    }
    const auto parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw geo_error("folder '" + parent.string() + "' does not exist", path);
}

} // namespace

std::string_view detail::kind_name(RecordKind kind) {
    switch (kind) {
    case RecordKind::actor:
        return "actors";
    case RecordKind::practice:
        return "practices";
    case RecordKind::service:
        break;
    }
    return "services";
}

std::optional<ExportFormat> parse_export_format(std::string_view name) {
    const auto n = lower(std::string(name));
    for (const auto& f : format_names)
        if (f.name == n) return f.format;
    if (n == "shapefile" || n == "esri shapefile") return ExportFormat::shapefile;
    if (n == "flatgeobuf") return ExportFormat::flatgeobuf;
    if (n == "geopackage") return ExportFormat::gpkg;
    return std::nullopt;
}

std::string_view to_string(ExportFormat format) {
    for (const auto& f : format_names)
        if (f.format == format) return f.name;
    return "?";
}

std::optional<ExportFormat> export_format_for_path(const std::string& path) {
    const auto p = lower(path);
    if (ends_with(p, ".hxl.csv") || ends_with(p, ".hxl")) return ExportFormat::hxl;
    if (ends_with(p, ".geojsonl") || ends_with(p, ".geojsons") || ends_with(p, ".geojsonseq"))
        return ExportFormat::geojsonseq;
    const auto ext = std::filesystem::path(p).extension().string();
    if (ext == ".geojson") return ExportFormat::geojson;
    if (ext == ".json") return ExportFormat::json;
    if (ext == ".shp") return ExportFormat::shapefile;
    if (ext == ".gpkg") return ExportFormat::gpkg;
    if (ext == ".csv") return ExportFormat::csv;
    if (ext == ".xlsx") return ExportFormat::xlsx;
    if (ext == ".kml") return ExportFormat::kml;
    if (ext == ".fgb") return ExportFormat::flatgeobuf;
    if (ext.empty()) return ExportFormat::hsds;
    return std::nullopt;
}

bool supports(ExportFormat format, RecordKind kind) {
    if (kind == RecordKind::service) return true;
    return format == ExportFormat::csv || format == ExportFormat::xlsx || format == ExportFormat::json;
}

ExportSummary export_records(const core::Registry& registry, const std::string& path, const ExportOptions& options) {
    if (!supports(options.format, options.kind))
        throw geo_error(std::string(detail::kind_name(options.kind)) +
                            " export as tables only (csv, xlsx, json), not " + std::string(to_string(options.format)),
                        path);
    if (options.languages.empty()) throw geo_error("export needs at least one language for text columns", path);
    prepare_output(path, options);
    switch (options.format) {
    case ExportFormat::hxl:
        return detail::write_hxl(registry, path, options);
    case ExportFormat::hsds:
        return detail::write_hsds(registry, path, options);
    case ExportFormat::json:
        return detail::write_json(registry, path, options);
    default:
        return detail::write_ogr(registry, path, options);
    }
}

std::vector<std::pair<std::string, std::string>> shapefile_field_names(const std::vector<std::string>& languages) {
    std::vector<std::pair<std::string, std::string>> names;
    for (const auto& c : detail::service_columns(languages, false))
        names.emplace_back(c.name, c.short_name);
    return names;
}

} // namespace enlace::geo
