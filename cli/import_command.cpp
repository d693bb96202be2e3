// enlace import: any OGR vector source (GeoJSON, Shapefile, GeoPackage, CSV, XLSX, KML, FlatGeobuf)
// into services, actors or practices, with a validation report, dry runs and idempotent re-imports.
#include "commands.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/geo/errors.hpp"
#include "enlace/geo/importer.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace enlace::cli {
namespace {

struct ImportFlags {
    std::string file, layer, source, kind = "service", mapping_file, encoding, report_file, language = "es";
    std::vector<std::string> fields;
    bool dry_run = false, skip_invalid = false, prune = false, quiet = false, no_duplicates = false, review = false;
};

// Rows, rows/s and percent on one terminal line, refreshed in place.
class Progress {
  public:
    void operator()(std::int64_t rows, std::int64_t total) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
        std::fprintf(stderr, "\r%lld rows, %.0f rows/s", static_cast<long long>(rows),
                     seconds > 0 ? static_cast<double>(rows) / seconds : 0.0);
        if (total > 0) std::fprintf(stderr, ", %.0f%%", 100.0 * static_cast<double>(rows) / static_cast<double>(total));
        std::fprintf(stderr, "   ");
        std::fflush(stderr);
        m_shown = true;
    }
    ~Progress() {
        if (m_shown) std::fprintf(stderr, "\n");
    }

  private:
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
    bool m_shown = false;
};

geo::RecordKind kind_of(const std::string& kind) {
    return kind == "actor"      ? geo::RecordKind::actor
           : kind == "practice" ? geo::RecordKind::practice
                                : geo::RecordKind::service;
}

} // namespace

void add_import_command(CLI::App& app, const Common& common) {
    auto flags = std::make_shared<ImportFlags>();
    auto* cmd = app.add_subcommand("import", "Import services (or actors, practices) from any vector file: GeoJSON, "
                                             "Shapefile, GeoPackage, CSV, XLSX, KML, FlatGeobuf; all or nothing");
    cmd->add_option("file", flags->file, "Source file (a .shp, .gpkg, .geojson, .csv, .xlsx, .kml, .fgb, ...)")
        ->required();
    cmd->add_option("--layer", flags->layer, "Layer to import (default: the only or first one)");
    cmd->add_option("--source", flags->source, "Source name keying re-imports (default: the file's base name)");
    cmd->add_option("--kind", flags->kind, "Record kind")
        ->check(CLI::IsMember({"service", "actor", "practice"}))
        ->capture_default_str();
    cmd->add_option("--mapping", flags->mapping_file, "JSON mapping file {\"field\": \"COLUMN\"}");
    cmd->add_option("--field", flags->fields, "Field mapping FIELD=COLUMN (or FIELD==CONSTANT); repeatable");
    cmd->add_option("--encoding", flags->encoding, "Text encoding of the source (e.g. CP1252, ISO-8859-1)");
    cmd->add_option("--language", flags->language, "Language of unsuffixed name/description columns")
        ->capture_default_str();
    cmd->add_flag("--dry-run", flags->dry_run, "Show what would be created/updated/unchanged/invalid; write nothing");
    cmd->add_flag("--skip-invalid", flags->skip_invalid, "Import the valid rows even when some are invalid");
    cmd->add_flag("--prune", flags->prune, "Mark records of this source missing from the file inactive");
    cmd->add_flag("--review", flags->review,
                  "Submit the import for review as one change set: new services and practices wait in the review "
                  "queue, changes of published ones as pending revisions (default: publish directly)");
    cmd->add_flag("--no-duplicate-check", flags->no_duplicates, "Skip the same-name-within-50-m check");
    cmd->add_option("--report", flags->report_file, "Write the validation report as JSON to FILE");
    cmd->add_flag("-q,--quiet", flags->quiet, "No progress output");
    cmd->callback([&common, flags] {
        geo::ImportOptions options;
        options.path = flags->file;
        options.layer = flags->layer;
        options.source = flags->source;
        options.kind = kind_of(flags->kind);
        options.encoding = flags->encoding;
        options.language = flags->language;
        options.dry_run = flags->dry_run;
        options.skip_invalid = flags->skip_invalid;
        options.prune = flags->prune;
        options.review = flags->review;
        options.check_duplicates = !flags->no_duplicates;
        if (!flags->mapping_file.empty()) options.mapping = geo::load_mapping_file(flags->mapping_file);
        for (const auto& f : flags->fields) {
            try {
                auto [field, column] = geo::parse_field_flag(f);
                options.mapping[field] = column;
            } catch (const std::invalid_argument& e) {
                throw usage_error(e.what());
            }
        }
        auto progress = std::make_shared<Progress>();
        if (!flags->quiet && ::isatty(STDERR_FILENO))
            options.progress = [progress](std::int64_t rows, std::int64_t total) { (*progress)(rows, total); };

        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const auto report = geo::import_layer(registry, options);
        progress.reset();
        if (!flags->report_file.empty()) {
            std::ofstream out(flags->report_file, std::ios::binary);
            out << geo::report_json(report) << '\n';
            if (!out) throw core::error("cannot write the report to '" + flags->report_file + "'");
        }
        std::cout << geo::report_table(report);
        if (report.invalid > 0 && !report.committed)
            throw core::error(std::to_string(report.invalid) + " invalid row(s): nothing was written" +
                              (report.dry_run ? " (dry run)" : " (fix them, or use --skip-invalid)"));
    });
}

} // namespace enlace::cli
