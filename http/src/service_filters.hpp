#pragma once
#include "enlace/core/access.hpp"
// Query parameters -> the core's one service query, shared by the REST, export and OGC endpoints,
// with the one list of filter parameters their OpenAPI documents describe.
#include "query_params.hpp"

#include "enlace/core/query.hpp"

#include <string_view>
#include <vector>

namespace enlace::http::detail {

struct LimitRule {
    int default_limit;
    int max_limit;
    bool clamp; // OGC API: a limit over the maximum is clamped; REST: it is an error (core's)
};

/// A service filter as the APIs name and describe it.
struct FilterParameter {
    std::string_view name;
    std::string_view description;
    std::string_view type;   // OpenAPI schema type: string, number, integer
    std::string_view format; // OpenAPI format (date, date-time) or empty
};

/// Every filter service_query reads, in the order the documents list them.
const std::vector<FilterParameter>& service_filter_parameters();

/// The filter names followed by `more`: what an endpoint that takes the filters declares.
std::vector<std::string_view> with_service_filters(std::initializer_list<std::string_view> more);

/// Reads every filter of service_filter_parameters() that is present, and limit and cursor.
/// Always the public audience. Throws core::query_error(name).
core::ServiceQuery service_query(const Params& params, const LimitRule& limits);

using core::split_list;

} // namespace enlace::http::detail
