#pragma once
// The `enlace` subcommands. Each add_* registers its options and the function that runs it.
#include "enlace/core/access.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace enlace::core {
class Registry;
}

namespace enlace::cli {

/// Options every subcommand shares.
struct Common {
    std::string db = "enlace.db";
    std::string as_user; // --as NAME: act as that registry user instead of as the file's holder
};

/// Who the command acts as: the file's holder (an admin, named by the operating-system user), or
/// with --as the registry user of that name, with their role and countries.
core::Caller caller_of(const Common& common, const core::Registry& registry);

void add_init_command(CLI::App& app, const Common& common);
void add_record_commands(CLI::App& app, const Common& common);
void add_query_commands(CLI::App& app, const Common& common);
void add_serve_command(CLI::App& app, const Common& common);
void add_import_command(CLI::App& app, const Common& common);
void add_export_command(CLI::App& app, const Common& common);
void add_user_commands(CLI::App& app, const Common& common);
void add_review_commands(CLI::App& app, const Common& common);
void add_report_commands(CLI::App& app, const Common& common);
void add_compilation_command(CLI::App& app, const Common& common);
void add_maintenance_commands(CLI::App& app, const Common& common);
void add_plan_commands(CLI::App& app, const Common& common);

/// `enlace init`'s Plan: the file given, else the illustrative one of data/ when none is loaded.
void load_plan_at_init(core::Registry& registry, const std::string& file, std::string_view embedded_plan);

/// Thrown for a command line that parses but makes no sense (exit code 2).
class usage_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

} // namespace enlace::cli
