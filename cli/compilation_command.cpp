// enlace report [-o] OUT.pdf|OUT.html: the compilation of published good practices (docs/report.md),
// always the public view. Not to be confused with `enlace reports` (problem reports of services).
#include "commands.hpp"

#include "enlace/core/registry.hpp"
#include "enlace/report/report.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace enlace::cli {
namespace {

struct CompilationOptions {
    std::string out, countries, axes, language = "es", paper = "a4";
    bool overwrite = false;
};

bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

/// Writes next to OUT and renames, so that OUT is either the whole report or untouched.
void write_whole(const std::string& out, const std::string& bytes) {
    const auto partial = out + ".partial";
    {
        std::ofstream file(partial, std::ios::binary | std::ios::trunc);
        file << bytes;
        if (!file.flush()) {
            std::filesystem::remove(partial);
            throw std::runtime_error("cannot write " + out);
        }
    }
    std::filesystem::rename(partial, out);
}

} // namespace

void add_compilation_command(CLI::App& app, const Common& common) {
    auto o = std::make_shared<CompilationOptions>();
    auto* cmd = app.add_subcommand("report", "The compilation of published good practices as PDF or HTML (by "
                                             "country and RCM axis, with maps, actors and a coverage annex)");
    cmd->add_option("OUT,-o,--output", o->out, "Output file: .pdf (printed by headless chromium) or .html")->required();
    cmd->add_option("--country", o->countries, "Countries, comma-separated (alpha-2); default: all members");
    cmd->add_option("--axis", o->axes, "RCM axes 1-5, comma-separated; default: all");
    cmd->add_option("--lang", o->language, "Language of the report: es, en or fr")->capture_default_str();
    cmd->add_option("--paper", o->paper, "Paper size: a4 or letter")->capture_default_str();
    cmd->add_flag("--overwrite", o->overwrite, "Replace an existing OUT");
    cmd->callback([&common, o] {
        const bool pdf = ends_with(o->out, ".pdf");
        if (!pdf && !ends_with(o->out, ".html") && !ends_with(o->out, ".htm"))
            throw usage_error("OUT must end in .pdf or .html, not '" + o->out + "'");
        if (!o->overwrite && std::filesystem::exists(o->out))
            throw usage_error(o->out + " exists: give --overwrite to replace it");
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        const auto options = report::parse_options(registry.reference(), o->countries, o->axes, o->language, o->paper);
        const auto compiled = report::Report::collect(registry, options);
        write_whole(o->out, pdf ? compiled.pdf() : compiled.html());
        std::cerr << "wrote the report to " << o->out << " (" << (pdf ? "PDF" : "HTML") << ", " << options.language
                  << ", " << (options.paper == report::Paper::letter ? "Letter" : "A4") << ", public view)\n";
    });
}

} // namespace enlace::cli
