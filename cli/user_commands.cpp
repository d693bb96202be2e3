// enlace user add / list / token / revoke / disable, and enlace audit: registry accounts and the
// security log, managed by an admin (the file's holder is one).
#include "commands.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/registry.hpp"

#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iomanip>
#include <iostream>

namespace enlace::cli {
namespace {

/// "90d" or "90" days.
int days_of(const std::string& text) {
    std::string_view v = text;
    if (!v.empty() && v.back() == 'd') v.remove_suffix(1);
    int days = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), days);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size() || days < 1 || days > core::max_token_days)
        throw usage_error("--expires '" + text + "' must be a number of days from 1 to " +
                          std::to_string(core::max_token_days) + " (e.g. 90d)");
    return days;
}

core::Role role_of(const std::string& text) {
    if (auto role = core::parse_role(text)) return *role;
    throw usage_error("--role '" + text + "' must be viewer, editor, reviewer, compiler or admin");
}

void print_token(const core::IssuedToken& token) {
    std::cout << token.token << '\n';
    std::cerr << "enlace: the token above is shown only now and is valid until " << token.expires_at
              << "; give it to its user over a safe channel (it is stored only as a hash)\n";
}

std::string countries_text(const std::vector<std::string>& countries) {
    std::string out;
    for (const auto& c : countries)
        out += (out.empty() ? "" : ",") + c;
    return out.empty() ? "(all)" : out;
}

struct UserFlags {
    std::string name, role = "viewer", countries, expires = "90d";
};

} // namespace

core::Caller caller_of(const Common& common, const core::Registry& registry) {
    if (!common.as_user.empty()) return registry.caller_of(common.as_user);
    const passwd* user = getpwuid(geteuid());
    const char* login = std::getenv("USER");
    return core::Caller::holder(user && user->pw_name ? user->pw_name : (login ? login : "unknown"));
}

void add_user_commands(CLI::App& app, const Common& common) {
    auto* user = app.add_subcommand("user", "Registry users and their tokens (admins)");
    user->require_subcommand(1);
    auto flags = std::make_shared<UserFlags>();

    auto* add = user->add_subcommand("add", "Add a user and print their first token (shown once)");
    add->add_option("name", flags->name, "User name (letters, digits, . _ - @)")->required();
    add->add_option("--role", flags->role, "viewer, editor, reviewer, compiler or admin")->capture_default_str();
    add->add_option("--country", flags->countries, "Countries they work for, alpha-2, comma-separated (SV,GT)");
    add->add_option("--expires", flags->expires, "Token lifetime in days (90d; at most 365d)")->capture_default_str();
    add->callback([&common, flags] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const int days = days_of(flags->expires);
        print_token(registry.add_user(caller_of(common, registry), flags->name, role_of(flags->role),
                                      core::split_list(flags->countries, true), days));
    });

    auto* token = user->add_subcommand("token", "Issue another token for a user (shown once)");
    token->add_option("name", flags->name, "User name")->required();
    token->add_option("--expires", flags->expires, "Token lifetime in days (90d; at most 365d)")->capture_default_str();
    token->callback([&common, flags] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const int days = days_of(flags->expires);
        print_token(registry.issue_token(caller_of(common, registry), flags->name, days));
    });

    auto* list = user->add_subcommand("list", "List users, their roles, countries and tokens in use");
    list->callback([&common] {
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        const auto users = registry.users(caller_of(common, registry));
        std::cout << std::left << std::setw(20) << "name" << std::setw(10) << "role" << std::setw(20) << "countries"
                  << std::setw(10) << "status" << std::setw(8) << "tokens"
                  << "last used\n";
        for (const auto& u : users)
            std::cout << std::setw(20) << u.name << std::setw(10) << core::to_string(u.role) << std::setw(20)
                      << countries_text(u.countries) << std::setw(10) << (u.disabled ? "disabled" : "active")
                      << std::setw(8) << u.active_tokens << (u.last_used_at.empty() ? "never" : u.last_used_at) << '\n';
    });

    auto* revoke = user->add_subcommand("revoke", "Revoke every token of a user (they stop at once)");
    revoke->add_option("name", flags->name, "User name")->required();
    revoke->callback([&common, flags] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const int n = registry.revoke_tokens(caller_of(common, registry), flags->name);
        std::cout << n << " tokens of " << flags->name << " revoked\n";
    });

    auto* disable = user->add_subcommand("disable", "Disable a user: their tokens stop at once");
    disable->add_option("name", flags->name, "User name")->required();
    disable->callback([&common, flags] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        registry.disable_user(caller_of(common, registry), flags->name);
        std::cout << flags->name << " disabled\n";
    });

    auto after = std::make_shared<std::int64_t>(0);
    auto* audit = app.add_subcommand("audit", "The security log: account, token and role changes, sign-ins, "
                                              "failed authentications and refused authorisations");
    audit->add_option("--after", *after, "Only lines after this one");
    audit->callback([&common, after] {
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        for (const auto& e : registry.security_log(caller_of(common, registry), *after, 100000))
            std::cout << e.id << '\t' << e.at << '\t' << e.who << '\t' << e.action << '\t' << e.subject << '\t'
                      << e.detail << '\n';
    });
}

} // namespace enlace::cli
