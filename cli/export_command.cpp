// enlace export OUT: services (with the list/near filters), actors or practices to a GIS or
// tabular file. Public view unless --include-restricted (or --authorised).
#include "commands.hpp"
#include "query_options.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/geo/exporter.hpp"

#include <iostream>
#include <memory>

namespace enlace::cli {
namespace {

struct ExportCommandOptions {
    std::string out, format, kind = "service", languages = "es,en,fr", axes, year;
    ServiceFilterOptions filters;
    bool include_restricted = false, overwrite = false;
};

geo::ExportOptions to_export_options(const ExportCommandOptions& o) {
    geo::ExportOptions e;
    if (o.format.empty()) {
        const auto guessed = geo::export_format_for_path(o.out);
        if (!guessed) throw usage_error("cannot tell the format from '" + o.out + "': give --format");
        e.format = *guessed;
    } else {
        const auto parsed = geo::parse_export_format(o.format);
        if (!parsed) throw usage_error("--format: unknown format '" + o.format + "'");
        e.format = *parsed;
    }
    e.kind = o.kind == "actor"      ? geo::RecordKind::actor
             : o.kind == "practice" ? geo::RecordKind::practice
                                    : geo::RecordKind::service;
    if (!geo::supports(e.format, e.kind))
        throw usage_error("--kind " + o.kind + " exports as csv, xlsx or json only, not " +
                          std::string(geo::to_string(e.format)));
    const bool authorised = o.include_restricted || o.filters.authorised;
    e.services = to_query(o.filters);
    e.services.audience = authorised ? core::Audience::authorised : core::Audience::public_;
    e.actors.countries = split_list(o.filters.countries, true);
    e.actors.text = o.filters.text;
    e.practices.countries = split_list(o.filters.countries, true);
    e.practices.types = split_list(o.filters.types, true);
    e.practices.text = o.filters.text;
    e.practices.audience = e.services.audience;
    for (const auto& axis : split_list(o.axes)) {
        try {
            e.practices.axes.push_back(std::stoi(axis));
        } catch (const std::exception&) {
            throw core::query_error("--axis", "must be RCM axis numbers 1-5");
        }
    }
    if (!o.year.empty()) {
        try {
            e.practices.year = std::stoi(o.year);
        } catch (const std::exception&) {
            throw core::query_error("--year", "must be a year");
        }
    }
    e.languages = split_list(o.languages);
    if (e.languages.empty()) throw usage_error("--lang needs at least one language");
    e.overwrite = o.overwrite;
    return e;
}

} // namespace

void add_export_command(CLI::App& app, const Common& common) {
    auto o = std::make_shared<ExportCommandOptions>();
    auto* cmd = app.add_subcommand("export", "Export services (or actors, practices) to GIS and tabular files");
    cmd->add_option("OUT", o->out, "Output file (an HSDS package is a folder)")->required();
    cmd->add_option("--format", o->format,
                    "geojson, geojsonseq, shp, gpkg, csv, xlsx, kml, fgb, hxl, hsds or json (default: from "
                    "OUT's extension)");
    cmd->add_option("--kind", o->kind, "Record kind (actors and practices: csv, xlsx, json)")
        ->check(CLI::IsMember({"service", "actor", "practice"}))
        ->capture_default_str();
    cmd->add_option("--lang", o->languages, "Languages that get a text column each (name_es, name_en, ...)")
        ->capture_default_str();
    cmd->add_option("--axis", o->axes, "Practices: RCM axes 1-5, comma-separated");
    cmd->add_option("--year", o->year, "Practices: running in this year");
    add_service_filters(*cmd, o->filters, false);
    cmd->add_flag("--include-restricted", o->include_restricted,
                  "Exact sites, restricted services and personal contacts (never for publication)");
    cmd->add_flag("--overwrite", o->overwrite, "Replace an existing output");
    cmd->callback([&common, o] {
        const auto options = to_export_options(*o);
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        const auto summary = geo::export_records(registry, o->out, options);
        std::cerr << "exported " << summary.records << ' ' << o->kind << (summary.records == 1 ? "" : "s") << " to "
                  << o->out << " (" << geo::to_string(options.format)
                  << (options.services.audience == core::Audience::authorised ? ", with restricted data"
                                                                              : ", public view")
                  << ")\n";
        if (summary.skipped > 0)
            std::cerr << "left out " << summary.skipped << " services without a site (hotlines): GDAL's "
                      << geo::to_string(options.format)
                      << " writer drops features without geometry; export gpkg, geojson or csv to keep them\n";
    });
}

} // namespace enlace::cli
