#pragma once
// One libpq connection of the PostgreSQL store: statements with their values always sent apart
// from the SQL text (PQexecParams), results read by row and column, and every failure turned into
// the core's errors (a full disk into storage_full, as the SQLite store does).
#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace enlace::core::detail::pg {

/// Whether a registry location names a PostgreSQL database (a libpq connection URI).
bool is_uri(std::string_view location);

/// The values of one statement, numbered $1, $2, ... in the order they are added. Each value
/// travels as text beside the statement; none is ever written into the SQL.
class Params {
  public:
    /// Adds a value and returns its placeholder ("$3").
    std::string add(std::string_view value);
    std::string add(const std::string& value) { return add(std::string_view(value)); }
    std::string add(const char* value) { return add(std::string_view(value)); }
    std::string add(std::int64_t value);
    std::string add(int value) { return add(static_cast<std::int64_t>(value)); }
    std::string add(double value);
    std::string add(bool value);
    std::string add(const std::optional<std::string>& value);
    std::string add(const std::optional<int>& value);
    std::string add_null();
    /// An array value ("{1,2,3}") of ids, for `= ANY($n::bigint[])`.
    std::string add_ids(const std::vector<std::int64_t>& ids);
    /// "$1, $2, $3" for the list, its values added.
    template <class T> std::string list(const std::vector<T>& values) {
        std::string out;
        for (const auto& v : values) {
            if (!out.empty()) out += ", ";
            if constexpr (std::is_integral_v<T>)
                out += add(static_cast<std::int64_t>(v));
            else
                out += add(v);
        }
        return out;
    }

    int size() const { return static_cast<int>(m_values.size()); }
    const char* const* values() const;

  private:
    void push(std::optional<std::string> value);
    std::vector<std::optional<std::string>> m_values;
    mutable std::vector<const char*> m_pointers;
};

/// The rows a statement returned.
class Result {
  public:
    explicit Result(PGresult* result) : m_result(result, &PQclear) {}
    int rows() const { return PQntuples(m_result.get()); }
    bool empty() const { return rows() == 0; }
    bool is_null(int row, int column) const { return PQgetisnull(m_result.get(), row, column) != 0; }
    std::string text(int row, int column) const;
    std::optional<std::string> optional_text(int row, int column) const;
    std::int64_t integer(int row, int column) const;
    std::optional<int> optional_int(int row, int column) const;
    double real(int row, int column) const;
    bool boolean(int row, int column) const;
    /// The type of a column (its OID: 16 boolean, 20 bigint, 701 double precision, ...).
    Oid column_type(int column) const { return PQftype(m_result.get(), column); }
    /// Rows an UPDATE or DELETE touched.
    std::int64_t affected() const;

  private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> m_result;
};

/// Every statement of a connection ends within this (a stuck lock or a runaway query is an error,
/// not a hang); a writer waiting for the write lock waits as long.
inline constexpr const char* statement_timeout = "60s";
/// One statement of a batch (an import, `enlace copy`) works over the whole batch: this long.
inline constexpr const char* bulk_statement_timeout = "30min";

class Connection {
  public:
    /// Connects to `uri` (refused when it carries a password: use PGPASSFILE or the socket) and
    /// bounds every statement's time.
    explicit Connection(const std::string& uri);
    const std::string& location() const { return m_location; }
    /// Runs one statement with its values; throws db_error (storage_full for a full disk).
    Result exec(const std::string& sql, const Params& params = {});
    /// Runs statements without values (schema scripts, BEGIN, COMMIT).
    void script(const std::string& sql);
    /// Runs statements without values in one round trip, and returns the last one's result.
    Result script_result(const std::string& sql);
    /// Runs `COPY ... FROM STDIN` (text format) with `data` as its rows: the fastest way in for
    /// many rows. Throws db_error as exec does.
    void copy_in(const std::string& sql, std::string_view data);
    /// Runs a statement and ignores its failure (a rollback while another error unwinds).
    void quietly(const char* sql) noexcept;
    /// Runs `prelude` once, before the next statement that exec, script, script_result or copy_in
    /// sends: a snapshot a reader began but may not need, so that nothing is sent until it reads.
    void before_next_statement(std::function<void()> prelude) { m_prelude = std::move(prelude); }
    /// Forgets a prelude not yet run (the read ended without a statement).
    void drop_prelude() noexcept { m_prelude = nullptr; }
    /// The prelude not yet run, if any, taken out: a statement that does its job itself runs
    /// without it (and may put it back).
    std::function<void()> take_prelude() noexcept { return std::exchange(m_prelude, nullptr); }
    PGTransactionStatusType transaction_status() const { return PQtransactionStatus(m_conn.get()); }
    /// Whether the connection is gone (the server closed it: a restart, a failover, a terminated
    /// backend). libpq knows only once a statement has failed on it.
    bool lost() const { return PQstatus(m_conn.get()) == CONNECTION_BAD; }
    /// Connects again with the same parameters and session settings; statements are prepared
    /// anew. Throws db_error when the server cannot be reached.
    void reopen();

    // --- Notifications (LISTEN), for the change feed.
    /// The socket to wait on for the server's messages.
    int socket() const { return PQsocket(m_conn.get()); }
    /// Reads what the server has sent; false when the connection failed.
    bool consume_input() { return PQconsumeInput(m_conn.get()) == 1; }
    /// Drops the notifications received so far and returns how many there were.
    int take_notifications();

  private:
    void start_session();
    void run_prelude();
    void check(PGresult* result, const std::string& sql);
    /// The name `sql` is prepared under on this connection, preparing it the first time; null once
    /// max_prepared statements are (the rest run unprepared).
    const std::string* prepared(const std::string& sql, int parameters);

    /// Statements are prepared once per connection, so that the server parses them once rather
    /// than at every run. The program's statements are a fixed set of texts but for a few whose
    /// text follows the query (its filters); the bound keeps those from growing without end.
    static constexpr std::size_t max_prepared = 256;

    std::unique_ptr<PGconn, void (*)(PGconn*)> m_conn;
    std::string m_location;
    std::unordered_map<std::string, std::string> m_prepared; // statement text -> its name
    std::function<void()> m_prelude;
};

} // namespace enlace::core::detail::pg
