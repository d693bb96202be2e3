#pragma once
// Query parameters -> the core's one service query, shared by the REST and OGC endpoints.
#include "query_params.hpp"

#include "enlace/core/query.hpp"

namespace enlace::http::detail {

struct LimitRule {
    int default_limit;
    int max_limit;
    bool clamp;  // OGC API: a limit over the maximum is clamped; REST: it is an error (core's)
};

/// Reads country, type, population, age, language, q, bbox, lat, lon, radius_km, k, open_at,
/// limit and cursor where present. Always the public audience. Throws core::query_error(name).
core::ServiceQuery service_query(const Params& params, const LimitRule& limits);

using core::split_list;

} // namespace enlace::http::detail
