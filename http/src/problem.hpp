#pragma once
// Errors as application/problem+json (RFC 7807): the one place exceptions become status codes.
#include "enlace/http/handler.hpp"

#include <stdexcept>
#include <string>

namespace enlace::http::detail {

/// A client that failed to sign in too often, or filed too many problem reports (`title` says
/// which), for `retry_after` seconds more (429).
class too_many_attempts : public std::runtime_error {
  public:
    explicit too_many_attempts(int retry_after)
        : too_many_attempts(retry_after, "Too many failed sign-ins",
                            "too many failed sign-ins from this client: try again in " + std::to_string(retry_after) +
                                " s") {}
    too_many_attempts(int retry_after, std::string title, const std::string& detail)
        : std::runtime_error(detail), m_retry_after(retry_after), m_title(std::move(title)) {}
    int retry_after() const noexcept { return m_retry_after; }
    const std::string& title() const noexcept { return m_title; }

  private:
    int m_retry_after;
    std::string m_title;
};

/// A write's body of a media type the endpoint does not take (415).
class unsupported_media : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// An If-Match header that is not a record's ETag (412: it cannot match).
class precondition_malformed : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A read asked for a revision (min_revision) the registry has not reached in the time allowed:
/// 503 with Retry-After, the client asks again.
class revision_not_reached : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A method the resource does not take; what() lists those it does (405 with Allow).
class method_not_allowed : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A problem response; `parameter` (when given) names the offending query parameter.
Response problem(int status, const std::string& title, const std::string& detail, const std::string& parameter = {});

/// Maps the exception being handled (call inside a catch block): core::query_error -> 400 naming
/// the parameter, unauthorized -> 401 (WWW-Authenticate: Bearer), forbidden -> 403, not_found ->
/// 404, conflict -> 409 (with the candidate of a duplicate), stale_version -> 412 (428 when no
/// version was given), validation_error -> 422 listing every bad member by its JSON path,
/// too_many_attempts -> 429 (Retry-After), storage_full -> 507 naming the cause (a full disk or
/// the file size limit; the path only in the log), anything else -> 500 with a fixed body (detail logged).
Response current_exception_response(const std::string& path);

} // namespace enlace::http::detail
