#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace enlace::core {

/// Base of every error the core throws; callers at the edges (CLI, HTTP) translate these.
class error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A SQLite call failed: carries the extended result code and the statement text (never values).
class db_error : public error {
  public:
    db_error(const std::string& message, int code, std::string sql = {});
    int code() const noexcept { return m_code; }
    const std::string& sql() const noexcept { return m_sql; }

  private:
    int m_code;
    std::string m_sql;
};

/// The store cannot be reached: the database server closed the connection (a restart, a
/// failover) or does not answer. Nothing of the statement's transaction was kept; the same request
/// can be sent again (the connection is opened again at the next transaction).
class store_unavailable : public db_error {
  public:
    using db_error::db_error;
};

/// One reason a record was refused: the field (JSON path, e.g. "location.lat") and why.
struct validation_issue {
    std::string field;
    std::string reason;
};

/// A record was refused. Lists every problem found, so a compiler can fix them in one pass.
class validation_error : public error {
  public:
    explicit validation_error(std::vector<validation_issue> issues);
    validation_error(std::string field, std::string reason);
    const std::vector<validation_issue>& issues() const noexcept { return m_issues; }

  private:
    std::vector<validation_issue> m_issues;
};

/// A query parameter has a value the core cannot use (names the parameter).
class query_error : public error {
  public:
    query_error(std::string parameter, const std::string& reason);
    const std::string& parameter() const noexcept { return m_parameter; }

  private:
    std::string m_parameter;
};

/// A record looked up by id or key does not exist (or is not visible to the caller).
class not_found : public error {
  public:
    using error::error;
};

/// No caller could be established: no token, or one that is unknown, wrong, expired, revoked or
/// of a disabled user (the message says which only in general terms).
class unauthorized : public error {
  public:
    using error::error;
};

/// The caller is known but may not do this (a role's function, a record it may read but not write).
class forbidden : public error {
  public:
    using error::error;
};

/// The write was made against a version of the record that is no longer the stored one (another
/// writer came first; HTTP 412), or without naming the version it was made against (428).
class stale_version : public error {
  public:
    stale_version(const std::string& message, std::int64_t current, bool missing = false)
        : error(message), m_current(current), m_missing(missing) {}
    std::int64_t current() const noexcept { return m_current; }
    /// Whether no version was given at all (rather than an old one).
    bool missing() const noexcept { return m_missing; }

  private:
    std::int64_t m_current;
    bool m_missing;
};

/// The request conflicts with the record's state: a transition its review state does not allow,
/// a delete of a record others link to, a probable duplicate (then `candidate` is its id).
class conflict : public error {
  public:
    explicit conflict(const std::string& message, std::int64_t candidate = 0)
        : error(message), m_candidate(candidate) {}
    std::int64_t candidate() const noexcept { return m_candidate; }

  private:
    std::int64_t m_candidate;
};

} // namespace enlace::core
