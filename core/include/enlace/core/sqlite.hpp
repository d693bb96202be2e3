#pragma once
// A thin, move-only RAII layer over the SQLite C API. Every failure throws db_error with the
// extended result code; values only ever travel as bound parameters.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace enlace::core::sqlite {

enum class open_mode { read_only, read_write, create };

class Database {
  public:
    /// Opens (or creates, with open_mode::create) the file at path; closes again if setup fails.
    Database(const std::string& path, open_mode mode);
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    /// Runs one or more statements that take no parameters (schema, pragmas).
    void exec(std::string_view sql);
    /// The same where a failure has nothing to add (ROLLBACK after another failure).
    void exec_quietly(const char* sql) noexcept;
    /// Whether a transaction is open (SQLite may end one by itself after an I/O error).
    bool in_transaction() const;
    /// Whether the open transaction has written (holds the write lock).
    bool writing() const;
    std::int64_t last_insert_rowid() const;
    int changes() const;
    sqlite3* handle() const noexcept { return m_db; }
    const std::string& path() const noexcept { return m_path; }

  private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Statement {
  public:
    Statement(const Database& db, std::string_view sql);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    /// Binds by 1-based index; returns *this so binds chain.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    /// Binds text that SQLite reads in place rather than copies (large documents on hot write
    /// paths): it must outlive the statement's next reset, which run() does.
    Statement& bind_view(int index, std::string_view value);
    Statement& bind_view(int index, std::string&& value) = delete;
    Statement& bind_null(int index);
    /// Binds bytes as a BLOB (copied).
    Statement& bind_blob(int index, const void* data, std::size_t size);
    template <class T> Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    /// Steps once: true when a row is available, false when done.
    bool step();
    /// Steps a statement that returns no rows.
    void run();
    void reset();

    bool is_null(int column) const;
    /// SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
    int column_type(int column) const;
    std::int64_t column_int(int column) const;
    double column_double(int column) const;
    std::string column_text(int column) const;
    std::optional<std::string> column_optional_text(int column) const;
    std::optional<std::int64_t> column_optional_int(int column) const;

  private:
    sqlite3_stmt* m_stmt = nullptr;
    sqlite3* m_db = nullptr;
};

/// BEGIN on construction; commit() is explicit; the destructor rolls back an uncommitted one.
class Transaction {
  public:
    enum class kind { deferred, immediate };
    explicit Transaction(Database& db, kind k = kind::immediate);
    /// The same from statements prepared once ("BEGIN ...", "COMMIT"): a server opens a read
    /// snapshot per request, and parsing those two each time shows in its profile.
    Transaction(Database& db, Statement& begin, Statement& commit);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

  private:
    Database* m_db;
    Statement* m_commit = nullptr;
    bool m_open = true;
};

/// A named savepoint inside a transaction: release() keeps its writes, the destructor undoes an
/// unreleased one (so one refused record in a batch leaves the others intact).
class Savepoint {
  public:
    explicit Savepoint(Database& db);
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;
    ~Savepoint();
    void release();

  private:
    Database* m_db;
    bool m_open = true;
};

} // namespace enlace::core::sqlite
