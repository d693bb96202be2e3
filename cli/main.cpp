// enlace: the registry of protection services for migrant children, from the command line.
// Exit codes: 0 ok, 1 error, 2 usage.
#include "commands.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/storage_full.hpp"

#include <algorithm>
#include <iostream>

namespace {

int fail(const std::string& message, int code) {
    std::cerr << "enlace: " << message << '\n';
    return code;
}

/// The names of the commands, for the message about a word that is none of them.
std::string command_names(const CLI::App& app) {
    std::string out;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        out += (out.empty() ? "" : ", ") + sub->get_name();
    return out;
}

/// A parse error in the user's words: a word that is not a command is named as such (CLI11 would
/// say only "A subcommand is required" or "arguments were not expected").
std::string usage_message(const CLI::App& app, const CLI::ParseError& e) {
    if (app.get_subcommands().empty()) {
        for (const auto& word : app.remaining())
            if (!word.empty() && word[0] != '-')
                return "unknown command '" + word + "' (commands: " + command_names(app) + ")";
        if (dynamic_cast<const CLI::RequiredError*>(&e)) return "give a command (" + command_names(app) + ")";
    }
    if (dynamic_cast<const CLI::ExtrasError*>(&e))
        for (const auto& word : app.remaining(true))
            if (word.size() > 1 && word[0] == '-') {
                const auto* command = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front();
                return "unknown option '" + word + "'" + (command ? " for `enlace " + command->get_name() + "`" : "");
            }
    return e.what();
}

/// The flag a core parameter is given by (verified_before -> --verified-before, q -> -q).
std::string flag_of(const std::string& parameter) {
    if (parameter.empty() || parameter[0] == '-') return parameter;
    if (parameter == "q") return "-q";
    if (parameter == "k") return "-k";
    std::string flag = "--" + parameter;
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
}

/// The reason of a query error, without the parameter name its text starts with.
std::string reason_of(const enlace::core::query_error& e) {
    const std::string text = e.what();
    const std::string prefix = e.parameter() + ": ";
    return text.rfind(prefix, 0) == 0 ? text.substr(prefix.size()) : text;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Enlace: good practices, actors and specialised protection services for migrant children "
                 "in the RCM region, in one registry file"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Show help for every command");
    app.set_version_flag("--version", std::string("enlace ") + ENLACE_VERSION);
    // Global options may also follow the command (`enlace import f.shp --db reg.db`): every
    // subcommand created below inherits this and hands the options it does not know to the app.
    app.fallthrough();
    app.allow_extras(false);
    enlace::cli::Common common;
    app.add_option("--db", common.db, "Registry file")->capture_default_str();
    app.add_option("--as", common.as_user,
                   "Act as this registry user (their role and countries), not as the file's holder");
    enlace::cli::add_init_command(app, common);
    enlace::cli::add_record_commands(app, common);
    enlace::cli::add_query_commands(app, common);
    enlace::cli::add_serve_command(app, common);
    enlace::cli::add_import_command(app, common);
    enlace::cli::add_export_command(app, common);
    enlace::cli::add_user_commands(app, common);
    enlace::cli::add_review_commands(app, common);
    enlace::cli::add_report_commands(app, common);
    enlace::cli::add_compilation_command(app, common);
    enlace::cli::add_maintenance_commands(app, common);
    enlace::cli::add_plan_commands(app, common);

    try {
        app.parse(argc, argv);
        return 0;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return fail(usage_message(app, e) + " (see enlace --help)", 2);
    } catch (const enlace::cli::usage_error& e) {
        return fail(std::string(e.what()) + " (see enlace --help)", 2);
    } catch (const enlace::core::query_error& e) {
        return fail("bad " + flag_of(e.parameter()) + ": " + reason_of(e), 2);
    } catch (const enlace::core::validation_error& e) {
        return fail("refused, nothing was written: " + std::string(e.what()), 1);
    } catch (const enlace::core::not_found& e) {
        return fail(e.what(), 1);
    } catch (const enlace::core::forbidden& e) {
        return fail("not allowed: " + std::string(e.what()), 1);
    } catch (const enlace::core::storage_full& e) {
        // The write's transaction was rolled back: the registry is as it was before the command.
        return fail(std::string(e.what()) + ": nothing was changed (make room, then run it again)", 1);
    } catch (const std::exception& e) {
        return fail(e.what(), 1);
    }
}
