// enlace backup / copy / check: a consistent copy of the registry while it is served, the registry
// moved to another store (SQLite to PostgreSQL and back), and the checks that prove a registry (or
// a backup about to be restored) sound, exit 1 on any problem.
#include "commands.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/maintenance.hpp"
#include "enlace/core/registry.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <iostream>

namespace enlace::cli {
namespace {

struct BackupFlags {
    std::string file;
    bool force = false;
};

void print_backup(const std::string& db, const core::BackupResult& r) {
    std::cout << "backed up " << db << " to " << r.destination << ": " << r.pages << " pages, " << r.bytes << " bytes; "
              << r.services << " services, " << r.actors << " actors, " << r.practices << " practices, " << r.users
              << " users; integrity ok\n";
}

void print_text(const core::CheckReport& report) {
    for (const auto& c : report.checks) {
        if (!c.skipped.empty()) {
            std::cout << "skip  " << c.name << ": " << c.skipped << '\n';
            continue;
        }
        if (c.ok()) std::cout << "ok    " << c.name << ": " << c.covered << '\n';
        for (const auto& problem : c.problems)
            std::cout << "FAIL  " << c.name << ": " << problem << '\n';
        if (c.problem_count > static_cast<std::int64_t>(c.problems.size()))
            std::cout << "FAIL  " << c.name << ": and "
                      << c.problem_count - static_cast<std::int64_t>(c.problems.size()) << " more\n";
    }
}

void print_json(const std::string& db, const core::CheckReport& report) {
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : report.checks) {
        nlohmann::json check{{"name", c.name},
                             {"ok", c.ok()},
                             {"covered", c.covered},
                             {"problems", c.problems},
                             {"problem_count", c.problem_count}};
        if (!c.skipped.empty()) check["skipped"] = c.skipped;
        checks.push_back(std::move(check));
    }
    std::cout << nlohmann::json{{"registry", db}, {"ok", report.ok()}, {"checks", std::move(checks)}}.dump(2) << '\n';
}

/// "365d" or "365" days.
int days_of(const std::string& text) {
    std::string_view v = text;
    if (!v.empty() && v.back() == 'd') v.remove_suffix(1);
    int days = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), days);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size() || days < 1 || days > 36500)
        throw usage_error("--older-than '" + text + "' must be a number of days from 1 to 36500 (e.g. 365d)");
    return days;
}

void print_copy(const std::string& from, const std::string& to, const core::CopyResult& r) {
    std::int64_t rows = 0;
    for (const auto& t : r.digest.tables)
        rows += t.rows;
    std::cout << "copied " << from << " to " << to << ": " << r.digest.tables.size() << " tables, " << rows
              << " rows, revision " << r.digest.revision << ", in " << static_cast<std::int64_t>(r.seconds * 1000)
              << " ms\n";
    for (const auto& t : r.digest.tables)
        std::cout << "  " << t.name << ": " << t.rows << " rows, sha256 " << t.sha256 << '\n';
    std::cout << "digest " << r.digest.sha256 << " (the same read back from both)\n";
}

struct PurgeFlags {
    std::string older_than;
    bool dry_run = false;
};

} // namespace

void add_maintenance_commands(CLI::App& app, const Common& common) {
    auto backup_flags = std::make_shared<BackupFlags>();
    auto* backup = app.add_subcommand(
        "backup", "Copy the registry into a new FILE, one consistent snapshot even while it is served or written "
                  "(docs/reliability.md says how to restore it)");
    backup->add_option("file", backup_flags->file, "The copy to make (not the registry itself)")->required();
    backup->add_flag("--force", backup_flags->force, "Replace FILE when it exists");
    backup->callback([&common, backup_flags] {
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        core::BackupOptions options;
        options.overwrite = backup_flags->force;
        print_backup(common.db, registry.backup(caller_of(common, registry), backup_flags->file, options));
    });

    auto copy_from = std::make_shared<std::string>();
    auto copy_to = std::make_shared<std::string>();
    auto* copy = app.add_subcommand(
        "copy", "Copy the registry (--db, or --from) into a new file or an empty PostgreSQL database, exactly: every "
                "record, link, audit row, account and revision, checked by a digest of every table on both sides");
    copy->add_option("--from", *copy_from, "The registry to copy (a file or a postgresql:// URI; default: --db)");
    copy->add_option("--to", *copy_to, "A file that does not exist yet, or a postgresql:// URI of an empty database")
        ->required();
    copy->callback([&common, copy_from, copy_to] {
        Common source = common;
        if (!copy_from->empty()) source.db = *copy_from;
        const auto registry = core::Registry::open(source.db, core::Registry::mode::read_only);
        print_copy(source.db, *copy_to, registry.copy_to(caller_of(source, registry), *copy_to));
    });

    auto digest_format = std::make_shared<std::string>("text");
    auto* digest = app.add_subcommand(
        "digest", "Print the registry's fingerprint: each table's rows and SHA-256, and one over them all (two "
                  "registries with the same hold the same, whatever their backends)");
    digest->add_option("--format", *digest_format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    digest->callback([&common, digest_format] {
        const auto d = core::registry_digest(common.db);
        if (*digest_format == "json") {
            nlohmann::json tables = nlohmann::json::array();
            for (const auto& t : d.tables)
                tables.push_back({{"name", t.name}, {"rows", t.rows}, {"sha256", t.sha256}});
            std::cout
                << nlohmann::json{{"revision", d.revision}, {"sha256", d.sha256}, {"tables", std::move(tables)}}.dump(2)
                << '\n';
            return;
        }
        for (const auto& t : d.tables)
            std::cout << t.name << ": " << t.rows << " rows, sha256 " << t.sha256 << '\n';
        std::cout << "revision " << d.revision << "\ndigest " << d.sha256 << '\n';
    });

    auto purge_flags = std::make_shared<PurgeFlags>();
    auto* purge = app.add_subcommand("purge", "Remove personal contacts from the versions of services and actors "
                                              "that history keeps from before a span ago (admins); the records "
                                              "keep theirs");
    purge->add_option("--older-than", purge_flags->older_than, "Versions replaced longer ago than this, e.g. 365d")
        ->required();
    purge->add_flag("--dry-run", purge_flags->dry_run, "Count what would be removed, change nothing");
    purge->callback([&common, purge_flags] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const int days = days_of(purge_flags->older_than);
        const auto r = registry.purge_history(caller_of(common, registry), days, purge_flags->dry_run);
        std::cout << nlohmann::json{{"cutoff", r.cutoff},
                                    {"dry_run", purge_flags->dry_run},
                                    {"versions_examined", r.versions_examined},
                                    {"versions_purged", r.versions_purged},
                                    {"contacts_removed", r.contacts_removed},
                                    {"versions_unreadable", r.versions_unreadable}}
                         .dump()
                  << '\n';
    });

    auto format = std::make_shared<std::string>("text");
    auto* check = app.add_subcommand(
        "check", "Check the registry (integrity, R*Trees, the index against the rows, reference data) without "
                 "changing it; exit 1 on any problem");
    check->add_option("--format", *format, "text (a line per check) or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    check->callback([&common, format] {
        const auto report = core::check_registry(common.db);
        if (*format == "json")
            print_json(common.db, report);
        else
            print_text(report);
        if (!report.ok())
            throw core::error(std::to_string(report.failed()) + " of " + std::to_string(report.checks.size()) +
                              " checks of " + common.db + " found problems (see above)");
        if (*format == "text") std::cout << "all " << report.checks.size() << " checks of " << common.db << " passed\n";
    });
}

} // namespace enlace::cli
