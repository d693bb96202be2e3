#pragma once
// What is due for verification: the one rule the CLI (`enlace stale`) and the server
// (`GET /api/v1/stale`) share.
#include "enlace/core/access.hpp"
#include "enlace/core/query.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace enlace::core {

/// Today (UTC) minus a span of days such as "180d", as YYYY-MM-DD. Throws query_error naming
/// `parameter` for anything else.
std::string days_before_today(std::string_view span, const std::string& parameter);

/// The services of `countries` (the caller's own when none are given) never verified, or last
/// verified more than `span` ago, on exact points. Throws unauthorized for the public, forbidden
/// for a country outside the caller's, query_error (`parameter`) for a bad span.
ServiceQuery due_for_verification(const Caller& caller, std::vector<std::string> countries, std::string_view span,
                                  const std::string& parameter);

} // namespace enlace::core
