#pragma once
// Errors as application/problem+json (RFC 7807): the one place exceptions become status codes.
#include "enlace/http/handler.hpp"

#include <string>

namespace enlace::http::detail {

/// A problem response; `parameter` (when given) names the offending query parameter.
Response problem(int status, const std::string& title, const std::string& detail, const std::string& parameter = {});

/// Maps the exception being handled (call inside a catch block): core::query_error -> 400 naming
/// the parameter, core::not_found -> 404, anything else -> 500 with a fixed body (detail logged).
Response current_exception_response(const std::string& path);

} // namespace enlace::http::detail
