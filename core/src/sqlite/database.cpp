#include "enlace/core/sqlite.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/storage_full.hpp"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace enlace::core::sqlite {
namespace {

// Why a write found no room, from SQLite's code and the errno of the write() that failed; empty
// when it did not fail for lack of room. A write past the file size limit is only "disk I/O
// error" to SQLite (SQLITE_IOERR_WRITE with EFBIG), a full disk SQLITE_FULL.
std::string lack_of_room(int extended, int system_errno) {
    const int primary = extended & 0xff;
    if (primary != SQLITE_FULL && primary != SQLITE_IOERR) return {};
    if (system_errno == EFBIG) return "the file size limit of this process (ulimit -f) is reached";
    if (system_errno == EDQUOT) return "the disk quota is used up";
    if (primary == SQLITE_FULL || system_errno == ENOSPC) return "the disk is full";
    return {};
}

// Whether `path` or its write-ahead log has grown to this process's file size limit. SQLite
// records errno only after its own clean-up calls, which may have replaced the EFBIG of the write.
bool at_file_size_limit(const std::string& path) {
    rlimit limit{};
    if (path.empty() || ::getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return false;
    for (const auto& file : {path, path + "-wal", path + "-journal"}) {
        struct stat info {};
        if (::stat(file.c_str(), &info) == 0 && static_cast<rlim_t>(info.st_size) + 65536 >= limit.rlim_cur)
            return true;
    }
    return false;
}

// Throws the error SQLite reports on db: storage_full, naming the file and the cause, when a write
// found no room; db_error otherwise.
[[noreturn]] void throw_error(sqlite3* db, int code, const std::string& detail, std::string_view sql) {
    const int extended = db ? sqlite3_extended_errcode(db) : code;
    const char* name = db ? sqlite3_db_filename(db, "main") : nullptr;
    int system_errno = db ? sqlite3_system_errno(db) : 0;
    if ((extended & 0xff) == SQLITE_IOERR && system_errno != ENOSPC && system_errno != EDQUOT &&
        at_file_size_limit(name ? name : ""))
        system_errno = EFBIG;
    if (const auto cause = lack_of_room(extended, system_errno); !cause.empty()) {
        const std::string file = name && *name ? "'" + std::string(name) + "'" : std::string("a temporary file");
        const std::string os = system_errno != 0 ? std::string(std::strerror(system_errno)) + "; " : std::string();
        throw storage_full("cannot write " + file + ": " + cause + " (" + os + "SQLite: " + detail + ")", extended,
                           system_errno, std::string(sql));
    }
    throw db_error("SQLite: " + detail, extended, std::string(sql));
}

[[noreturn]] void fail(sqlite3* db, int code, std::string_view sql = {}) {
    throw_error(db, code, db ? sqlite3_errmsg(db) : sqlite3_errstr(code), sql);
}

int flags_for(open_mode mode) {
    switch (mode) {
    case open_mode::read_only:
        return SQLITE_OPEN_READONLY;
    case open_mode::read_write:
        return SQLITE_OPEN_READWRITE;
    case open_mode::create:
        return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    }
    return SQLITE_OPEN_READONLY;
}

// SQLite counts every allocation under one process-wide mutex unless told otherwise: with a
// connection per thread (the server's readers, an import's reading and writing threads) every
// malloc then contends for it. Enlace never asks for those counts. This only takes effect before
// SQLite's first use in the process (GDAL's SQLite-based drivers would come after the registry).
void stop_counting_memory() {
    static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)configured;
}

} // namespace

Database::Database(const std::string& path, open_mode mode) : m_path(path) {
    stop_counting_memory();
    // NOMUTEX: a connection belongs to one thread at a time; the caller guarantees it.
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags_for(mode) | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db); // a handle is returned even on failure and must be closed
        m_db = nullptr;
        throw db_error("cannot open registry '" + path + "': " + message, rc);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 5000);
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

Database::~Database() { sqlite3_close(m_db); }

void Database::exec(std::string_view sql) {
    std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string detail = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw_error(m_db, rc, detail, text);
    }
}

void Database::exec_quietly(const char* sql) noexcept { sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(m_db) == 0; }

bool Database::writing() const { return sqlite3_txn_state(m_db, "main") == SQLITE_TXN_WRITE; }

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

Statement::Statement(const Database& db, std::string_view sql) : m_db(db.handle()) {
    const int rc =
        sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK) fail(m_db, rc, sql);
}

Statement::Statement(Statement&& other) noexcept : m_stmt(std::exchange(other.m_stmt, nullptr)), m_db(other.m_db) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_db = other.m_db;
    }
    return *this;
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::bind(int index, std::int64_t value) {
    if (const int rc = sqlite3_bind_int64(m_stmt, index, value); rc != SQLITE_OK) fail(m_db, rc);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (const int rc = sqlite3_bind_double(m_stmt, index, value); rc != SQLITE_OK) fail(m_db, rc);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    const int rc = sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(m_db, rc);
    return *this;
}

Statement& Statement::bind_view(int index, std::string_view value) {
    const int rc = sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(m_db, rc);
    return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    if (const int rc = sqlite3_bind_blob64(m_stmt, index, data, size, SQLITE_TRANSIENT); rc != SQLITE_OK)
        fail(m_db, rc);
    return *this;
}

Statement& Statement::bind_null(int index) {
    if (const int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK) fail(m_db, rc);
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(m_db, rc, sqlite3_sql(m_stmt));
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

int Statement::column_type(int column) const { return sqlite3_column_type(m_stmt, column); }
std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::column_double(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Statement::column_text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

std::optional<std::string> Statement::column_optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return column_text(column);
}

std::optional<std::int64_t> Statement::column_optional_int(int column) const {
    if (is_null(column)) return std::nullopt;
    return column_int(column);
}

Transaction::Transaction(Database& db, kind k) : m_db(&db) {
    db.exec(k == kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction() {
    if (m_open) sqlite3_exec(m_db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Transaction::Transaction(Database& db, Statement& begin, Statement& commit) : m_db(&db), m_commit(&commit) {
    begin.run();
}

void Transaction::commit() {
    if (m_commit)
        m_commit->run();
    else
        m_db->exec("COMMIT");
    m_open = false;
}

Savepoint::Savepoint(Database& db) : m_db(&db) { db.exec("SAVEPOINT record"); }

Savepoint::~Savepoint() {
    if (m_open) {
        sqlite3_exec(m_db->handle(), "ROLLBACK TO record", nullptr, nullptr, nullptr);
        sqlite3_exec(m_db->handle(), "RELEASE record", nullptr, nullptr, nullptr);
    }
}

void Savepoint::release() {
    m_db->exec("RELEASE record");
    m_open = false;
}

} // namespace enlace::core::sqlite
