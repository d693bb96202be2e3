// `enlace backup`: SQLite's online backup of the registry file into a new file, a few pages at a
// time inside one read snapshot, so that the copy is of one revision however much others write
// meanwhile (in WAL mode they never wait for it). The copy is written beside the destination and
// moved there only once it is whole and has passed SQLite's integrity check.
#include "enlace/core/errors.hpp"
#include "sqlite_store.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>
#include <utility>

namespace enlace::core::detail {
namespace {

namespace fs = std::filesystem;

/// SQLite's files beside a database: a copy moved over one of them would wreck the registry.
constexpr const char* companion_suffixes[] = {"-wal", "-shm", "-journal"};

error exists_error(const std::string& destination) {
    return error("backup: '" + destination + "' exists: give another file, or --force to replace it");
}

/// Refuses a destination that would overwrite the registry or one already there.
void refuse_destination(const std::string& registry, const fs::path& destination, bool overwrite) {
    std::error_code ec;
    const fs::path source = fs::weakly_canonical(registry, ec);
    const fs::path target = fs::weakly_canonical(destination, ec);
    if (fs::exists(destination) && fs::equivalent(destination, registry, ec))
        throw error("backup: '" + destination.string() + "' is the registry itself: give another file");
    for (const char* suffix : companion_suffixes)
        if (target == fs::path(source.string() + suffix))
            throw error("backup: '" + destination.string() + "' is one of the registry's own files: give another file");
    if (fs::exists(fs::symlink_status(destination)) && !overwrite) throw exists_error(destination.string());
}

/// The file next to the destination that the copy is made in: removed, with any journal SQLite
/// left beside it, unless it was moved into place.
class PartialFile {
  public:
    explicit PartialFile(const fs::path& destination) {
        const fs::path dir = destination.has_parent_path() ? destination.parent_path() : fs::path(".");
        std::string name = (dir / ("." + destination.filename().string() + ".partial-XXXXXX")).string();
        const int fd = mkstemp(name.data());
        if (fd < 0) throw error("backup: cannot create a file in '" + dir.string() + "': " + std::strerror(errno));
        close(fd);
        m_path = name;
    }
    PartialFile(const PartialFile&) = delete;
    PartialFile& operator=(const PartialFile&) = delete;
    ~PartialFile() {
        if (m_path.empty()) return;
        std::error_code ignored;
        fs::remove(m_path, ignored);
        for (const char* suffix : companion_suffixes)
            fs::remove(m_path + suffix, ignored);
    }
    const std::string& path() const { return m_path; }

    /// Moves the copy to `destination` (atomically; one there is replaced only when `overwrite`,
    /// so one created meanwhile is not), and makes the move durable.
    void move_to(const fs::path& destination, bool overwrite) {
        const std::string target = destination.string();
        int rc = 0;
        if (overwrite) {
            rc = std::rename(m_path.c_str(), target.c_str());
        } else {
            rc = renameat2(AT_FDCWD, m_path.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE);
            if (rc != 0 && errno == EEXIST) throw exists_error(target);
            if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) // a file system without NOREPLACE
                rc = std::rename(m_path.c_str(), target.c_str());
        }
        if (rc != 0) throw error("backup: cannot move the copy to '" + target + "': " + std::strerror(errno));
        m_path.clear();
        sync_directory(destination.has_parent_path() ? destination.parent_path() : fs::path("."));
    }

  private:
    /// A rename is durable only once its directory is on disk.
    static void sync_directory(const fs::path& dir) {
        const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
        if (fd < 0) return;
        fsync(fd);
        close(fd);
    }

    std::string m_path;
};

/// An sqlite3_backup, finished however the copy ends.
class BackupHandle {
  public:
    BackupHandle(sqlite::Database& copy, sqlite::Database& source)
        : m_copy(copy), m_backup(sqlite3_backup_init(copy.handle(), "main", source.handle(), "main")) {
        if (!m_backup)
            throw db_error("backup: SQLite: " + std::string(sqlite3_errmsg(copy.handle())),
                           sqlite3_extended_errcode(copy.handle()));
    }
    BackupHandle(const BackupHandle&) = delete;
    BackupHandle& operator=(const BackupHandle&) = delete;
    ~BackupHandle() {
        if (m_backup) sqlite3_backup_finish(m_backup);
    }

    /// Copies every page, `options.pages_per_step` at a time, pausing while the copy is locked.
    /// Returns how many pages the database has.
    std::int64_t run(const BackupOptions& options) {
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        for (;;) {
            const int rc = sqlite3_backup_step(m_backup, options.pages_per_step);
            if ((rc == SQLITE_OK || rc == SQLITE_DONE) && options.after_step) {
                const std::int64_t total = sqlite3_backup_pagecount(m_backup);
                options.after_step(total - sqlite3_backup_remaining(m_backup), total);
            }
            if (rc == SQLITE_DONE) break;
            if (rc == SQLITE_OK) continue;
            if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < give_up) {
                std::this_thread::sleep_for(options.busy_pause);
                continue;
            }
            throw db_error("backup: SQLite: " + std::string(sqlite3_errstr(rc)), rc);
        }
        const std::int64_t pages = sqlite3_backup_pagecount(m_backup);
        const int rc = sqlite3_backup_finish(std::exchange(m_backup, nullptr));
        if (rc != SQLITE_OK) throw db_error("backup: SQLite: " + std::string(sqlite3_errmsg(m_copy.handle())), rc);
        return pages;
    }

  private:
    sqlite::Database& m_copy;
    sqlite3_backup* m_backup;
};

std::int64_t count_rows(sqlite::Database& db, const char* table) {
    sqlite::Statement stmt(db, std::string("SELECT count(*) FROM ") + table);
    return stmt.step() ? stmt.column_int(0) : 0;
}

/// Checks the copy as SQLite sees it and says what it holds.
BackupResult describe(sqlite::Database& copy, std::int64_t pages) {
    sqlite::Statement integrity(copy, "PRAGMA integrity_check");
    const std::string verdict = integrity.step() ? integrity.column_text(0) : "no answer";
    if (verdict != "ok")
        throw error("backup: the copy failed SQLite's integrity check (" + verdict + "); nothing was kept");
    integrity.reset();
    BackupResult result;
    result.pages = pages;
    result.services = count_rows(copy, "services");
    result.actors = count_rows(copy, "actors");
    result.practices = count_rows(copy, "practices");
    result.users = count_rows(copy, "users");
    return result;
}

} // namespace

BackupResult SqliteStore::backup(const std::string& destination, const BackupOptions& options) {
    if (m_transaction != 0) throw error("backup: not inside a transaction");
    refuse_destination(m_db.path(), destination, options.overwrite);
    PartialFile partial(destination);
    BackupResult result;
    {
        sqlite::Database copy(partial.path(), sqlite::open_mode::read_write);
        std::int64_t pages = 0;
        {
            // One read snapshot for the whole copy: without it each step would take a snapshot of
            // its own, and a write by another connection between steps would restart the copy.
            begin_read();
            struct EndRead {
                SqliteStore& store;
                ~EndRead() { store.end_read(); }
            } end{*this};
            prepare("SELECT count(*) FROM sqlite_schema").step();
            pages = BackupHandle(copy, m_db).run(options);
        }
        // A file of its own, readable without the -wal and -shm files a WAL registry needs.
        copy.exec("PRAGMA journal_mode = DELETE");
        result = describe(copy, pages);
    }
    result.bytes = static_cast<std::int64_t>(fs::file_size(partial.path()));
    partial.move_to(destination, options.overwrite);
    result.destination = destination;
    return result;
}

} // namespace enlace::core::detail
