#pragma once
// Keeping a registry safe: a consistent copy of it taken while others go on reading and writing
// (Registry::backup), and the checks that prove a file sound before it is trusted or restored
// (check_registry). docs/reliability.md ("Backup, restore and checks") says how to use both.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace enlace::core {

struct BackupOptions {
    /// Replace a file already at the destination (otherwise the backup is refused).
    bool overwrite = false;
    /// Pages copied at a time: between steps others may write (a step holds no lock they need).
    int pages_per_step = 256;
    /// How long to wait before trying a step again when it finds a database busy or locked.
    std::chrono::milliseconds busy_pause{20};
    /// Called after each step with the pages copied so far and the pages of the database (for a
    /// progress report; the tests write between steps). The copy stays one snapshot throughout.
    std::function<void(std::int64_t copied, std::int64_t total)> after_step;
};

/// What a backup copied: the copy's size and what it holds (deleted records included, since they
/// are kept to be restored), after it passed SQLite's integrity check.
struct BackupResult {
    std::string destination;
    std::int64_t pages = 0, bytes = 0;
    std::int64_t services = 0, actors = 0, practices = 0, users = 0;
};

/// What `enlace purge` did (or, in a dry run, would do) to the versions history keeps.
struct PurgeResult {
    std::string cutoff;                 // versions replaced before this instant ("2025-12-03T10:00:00Z")
    std::int64_t versions_examined = 0; // stored versions of services and actors older than the cutoff
    std::int64_t versions_purged = 0;   // of them, those that held a personal contact
    std::int64_t contacts_removed = 0;
    std::int64_t versions_unreadable = 0; // not decoded (left as they are, counted for the operator)
};

/// One check of a registry: its name, what it covered when it passed, and the problems it found,
/// each naming the table and the id (the first `max_kept` of them are kept; all are counted).
struct CheckResult {
    static constexpr std::size_t max_kept = 20;

    std::string name;
    std::string covered;
    std::vector<std::string> problems;
    std::int64_t problem_count = 0;
    /// Not run, and why (a check that depends on one that failed); not a problem of its own.
    std::string skipped;

    bool ok() const { return problem_count == 0; }
    void add(std::string problem) {
        if (problems.size() < max_kept) problems.push_back(std::move(problem));
        ++problem_count;
    }
};

struct CheckReport {
    std::vector<CheckResult> checks;

    bool ok() const;
    /// How many checks found a problem.
    int failed() const;
};

/// Runs every check on the registry at `location` without writing to it: the storage's own
/// (schema version, SQLite's integrity and foreign keys, each R*Tree's structure and its rows
/// against the services, who may see each service, the reference codes records use), then, when
/// the registry opens, each audience's in-memory index against the rows it was built from. A
/// check that cannot run on a damaged file reports that as its problem. Throws db_error only when
/// the file cannot be opened at all.
CheckReport check_registry(const std::string& location);

/// One table of a registry as Registry::copy_to moves and compares it.
struct TableDigest {
    std::string name;
    std::int64_t rows = 0;
    std::string sha256; // of its rows in their order, each value with its type
};

/// A registry's fingerprint: each table's rows and digest, and one digest over them all. Two
/// registries with the same are the same registry, whatever their backends.
struct RegistryDigest {
    std::vector<TableDigest> tables;
    std::string sha256;
    std::int64_t revision = 0; // the change log's last
};

/// What Registry::copy_to did: the fingerprint both sides were found to have, and how long it took.
struct CopyResult {
    RegistryDigest digest;
    double seconds = 0;
};

/// The fingerprint of the registry at `location`, read in one snapshot.
RegistryDigest registry_digest(const std::string& location);

} // namespace enlace::core
