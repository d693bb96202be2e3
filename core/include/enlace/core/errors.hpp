#pragma once
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

} // namespace enlace::core
