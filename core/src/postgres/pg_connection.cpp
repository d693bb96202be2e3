#include "pg_connection.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/storage_full.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <utility>

namespace enlace::core::detail::pg {
namespace {

/// SQLSTATE 53100 (disk_full): the server found no room for what it had to write.
constexpr const char* disk_full_state = "53100";

void ignore_notice(void*, const char*) {}

/// Refuses a connection URI that is not one, or that carries a password (DECISIONS.md: a password
/// belongs in PGPASSFILE, or the socket's peer authentication needs none), before connecting:
/// location() appears in messages and logs, and must never hold a secret.
void check_uri(const std::string& uri) {
    char* message = nullptr;
    PQconninfoOption* options = PQconninfoParse(uri.c_str(), &message);
    if (!options) {
        std::string why = message ? message : "out of memory";
        if (message) PQfreemem(message);
        while (!why.empty() && why.back() == '\n')
            why.pop_back();
        throw error("registry location is not a valid PostgreSQL URI: " + why);
    }
    bool secret = false;
    for (PQconninfoOption* o = options; o->keyword; ++o)
        if ((std::strcmp(o->keyword, "password") == 0 || std::strcmp(o->keyword, "sslpassword") == 0) && o->val &&
            *o->val)
            secret = true;
    PQconninfoFree(options);
    if (secret)
        throw error("a PostgreSQL registry URI may not carry a password (it would show in messages and process "
                    "lists): put it in a PGPASSFILE, or connect over the server's socket");
}

std::string trimmed(const char* text) {
    std::string out = text ? text : "";
    while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
        out.pop_back();
    return out;
}

} // namespace

bool is_uri(std::string_view location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

void Params::push(std::optional<std::string> value) { m_values.push_back(std::move(value)); }

const char* const* Params::values() const {
    // Taken when sent: the strings move as the vector grows.
    m_pointers.clear();
    for (const auto& v : m_values)
        m_pointers.push_back(v ? v->c_str() : nullptr);
    return m_pointers.data();
}

std::string Params::add(std::string_view value) {
    push(std::string(value));
    return "$" + std::to_string(m_values.size());
}

std::string Params::add(std::int64_t value) { return add(std::string_view(std::to_string(value))); }

std::string Params::add(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value); // exactly the double, read back by the server
    return add(std::string_view(text));
}

std::string Params::add(bool value) { return add(std::string_view(value ? "true" : "false")); }

std::string Params::add(const std::optional<std::string>& value) { return value ? add(*value) : add_null(); }

std::string Params::add(const std::optional<int>& value) {
    return value ? add(static_cast<std::int64_t>(*value)) : add_null();
}

std::string Params::add_null() {
    push(std::nullopt);
    return "$" + std::to_string(m_values.size());
}

std::string Params::add_ids(const std::vector<std::int64_t>& ids) {
    std::string text = "{";
    for (const auto id : ids)
        text += (text.size() > 1 ? "," : "") + std::to_string(id);
    return add(std::string_view(text + "}"));
}

std::string Result::text(int row, int column) const { return PQgetvalue(m_result.get(), row, column); }

std::optional<std::string> Result::optional_text(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return text(row, column);
}

std::int64_t Result::integer(int row, int column) const {
    return is_null(row, column) ? 0 : std::strtoll(PQgetvalue(m_result.get(), row, column), nullptr, 10);
}

std::optional<int> Result::optional_int(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return static_cast<int>(integer(row, column));
}

double Result::real(int row, int column) const {
    return is_null(row, column) ? 0.0 : std::strtod(PQgetvalue(m_result.get(), row, column), nullptr);
}

bool Result::boolean(int row, int column) const {
    const char* v = PQgetvalue(m_result.get(), row, column);
    return v && (v[0] == 't' || v[0] == '1');
}

std::int64_t Result::affected() const {
    const char* n = PQcmdTuples(m_result.get());
    return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

Connection::Connection(const std::string& uri) : m_conn(nullptr, &PQfinish), m_location(uri) {
    check_uri(uri);
    m_conn.reset(PQconnectdb(uri.c_str()));
    if (!m_conn) throw db_error("registry '" + uri + "': cannot connect (out of memory)", 0);
    if (PQstatus(m_conn.get()) != CONNECTION_OK)
        throw db_error("registry '" + uri + "': cannot connect: " + trimmed(PQerrorMessage(m_conn.get())), 0);
    PQsetNoticeProcessor(m_conn.get(), &ignore_notice, nullptr);
    start_session();
}

void Connection::start_session() {
    script(std::string("SET statement_timeout = '") + statement_timeout +
           "'; SET client_min_messages = warning; SET TIME ZONE 'UTC'");
}

void Connection::reopen() {
    m_prepared.clear(); // a new session has none of them
    PQreset(m_conn.get());
    if (PQstatus(m_conn.get()) != CONNECTION_OK)
        throw store_unavailable(
            "registry '" + m_location + "': cannot connect again: " + trimmed(PQerrorMessage(m_conn.get())), 0);
    start_session();
}

int Connection::take_notifications() {
    int n = 0;
    while (PGnotify* notice = PQnotifies(m_conn.get())) {
        PQfreemem(notice);
        ++n;
    }
    return n;
}

void Connection::check(PGresult* result, const std::string& sql) {
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string state =
        result && PQresultErrorField(result, PG_DIAG_SQLSTATE) ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : "";
    std::string message = trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(m_conn.get()));
    if (result) PQclear(result);
    if (message.empty()) message = trimmed(PQerrorMessage(m_conn.get()));
    // The SQLSTATE's five characters, as a number for db_error::code (its class and subclass).
    const int code = state.empty() ? 0 : static_cast<int>(std::strtol(state.c_str(), nullptr, 36));
    if (PQstatus(m_conn.get()) == CONNECTION_BAD)
        throw store_unavailable("registry '" + m_location + "': the connection was lost: " + message, code, sql);
    if (state == disk_full_state)
        throw storage_full("registry '" + m_location + "': the database server's disk is full (" + message + ")", code,
                           0, sql);
    throw db_error("registry '" + m_location + "': " + message + (state.empty() ? "" : " [" + state + "]"), code, sql);
}

const std::string* Connection::prepared(const std::string& sql, int parameters) {
    if (const auto it = m_prepared.find(sql); it != m_prepared.end()) return &it->second;
    if (m_prepared.size() >= max_prepared) return nullptr;
    std::string name = "enlace_" + std::to_string(m_prepared.size() + 1);
    PGresult* result = PQprepare(m_conn.get(), name.c_str(), sql.c_str(), parameters, nullptr);
    check(result, sql);
    PQclear(result);
    return &m_prepared.emplace(sql, std::move(name)).first->second;
}

void Connection::run_prelude() {
    if (!m_prelude) return;
    const auto prelude = std::exchange(m_prelude, nullptr); // it runs statements itself
    prelude();
}

Result Connection::exec(const std::string& sql, const Params& params) {
    run_prelude();
    const auto* name = prepared(sql, params.size());
    PGresult* result =
        name ? PQexecPrepared(m_conn.get(), name->c_str(), params.size(), params.values(), nullptr, nullptr, 0)
             : PQexecParams(m_conn.get(), sql.c_str(), params.size(), nullptr, params.values(), nullptr, nullptr, 0);
    check(result, sql);
    return Result(result);
}

void Connection::script(const std::string& sql) { script_result(sql); }

Result Connection::script_result(const std::string& sql) {
    run_prelude();
    PGresult* result = PQexec(m_conn.get(), sql.c_str());
    check(result, sql);
    return Result(result);
}

void Connection::copy_in(const std::string& sql, std::string_view data) {
    run_prelude();
    PGresult* started = PQexec(m_conn.get(), sql.c_str());
    if (!started || PQresultStatus(started) != PGRES_COPY_IN) {
        check(started, sql); // throws, unless the server answered something unexpected but fine
        PQclear(started);
        throw db_error("registry '" + m_location + "': the server did not start the copy", 0, sql);
    }
    PQclear(started);
    constexpr std::size_t chunk = 1 << 20;
    const char* failure = nullptr;
    for (std::size_t at = 0; at < data.size() && !failure; at += chunk) {
        const auto n = static_cast<int>(std::min(chunk, data.size() - at));
        if (PQputCopyData(m_conn.get(), data.data() + at, n) != 1) failure = "the copy could not be sent";
    }
    PQputCopyEnd(m_conn.get(), failure);
    // The copy's outcome, then nothing: every result is read so that the connection is ready.
    std::exception_ptr failed;
    while (PGresult* result = PQgetResult(m_conn.get())) {
        if (!failed && PQresultStatus(result) != PGRES_COMMAND_OK) {
            try {
                check(result, sql); // clears the result as it throws
            } catch (...) {
                failed = std::current_exception();
            }
            continue;
        }
        PQclear(result);
    }
    if (failed) std::rethrow_exception(failed);
}

void Connection::quietly(const char* sql) noexcept {
    if (PGresult* result = PQexec(m_conn.get(), sql)) PQclear(result);
}

} // namespace enlace::core::detail::pg
