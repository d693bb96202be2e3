// enlace: the registry of protection services for migrant children, from the command line.
// Exit codes: 0 ok, 1 error, 2 usage.
#include "commands.hpp"

#include "enlace/core/errors.hpp"

#include <iostream>

namespace {

int fail(const std::string& message, int code) {
    std::cerr << "enlace: " << message << '\n';
    return code;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Enlace: good practices, actors and specialised protection services for migrant children "
                 "in the RCM region, in one registry file"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Show help for every command");
    enlace::cli::Common common;
    app.add_option("--db", common.db, "Registry file")->capture_default_str();
    enlace::cli::add_init_command(app, common);
    enlace::cli::add_record_commands(app, common);
    enlace::cli::add_query_commands(app, common);
    enlace::cli::add_serve_command(app, common);
    enlace::cli::add_import_command(app, common);
    enlace::cli::add_export_command(app, common);

    try {
        app.parse(argc, argv);
        return 0;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return fail(std::string(e.what()) + " (see enlace --help)", 2);
    } catch (const enlace::cli::usage_error& e) {
        return fail(std::string(e.what()) + " (see enlace --help)", 2);
    } catch (const enlace::core::query_error& e) {
        return fail("bad " + std::string(e.what()), 2);
    } catch (const enlace::core::validation_error& e) {
        return fail("refused, nothing was written: " + std::string(e.what()), 1);
    } catch (const enlace::core::not_found& e) {
        return fail(e.what(), 1);
    } catch (const std::exception& e) {
        return fail(e.what(), 1);
    }
}
