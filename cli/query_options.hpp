#pragma once
// The service filters shared by `enlace list` and `enlace near`, as flags, turned into the core's
// one query model.
#include "enlace/core/query.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace enlace::cli {

struct ServiceFilterOptions {
    std::string countries, available_in, types, populations, languages, statuses, text, bbox, open_at, gender;
    std::string updated_since, verified_since, verified_before, cursor;
    std::optional<int> age;
    std::optional<double> lat, lon, radius_km;
    std::optional<int> k;
    std::optional<int> limit; // default: k when given, else 50
    bool authorised = false;
};

/// Registers the filter flags; `with_near` adds --lat/--lon/--radius-km/-k as required or optional.
void add_service_filters(CLI::App& command, ServiceFilterOptions& options, bool near_required);

/// Throws core::query_error naming the flag for a value the core cannot use.
core::ServiceQuery to_query(const ServiceFilterOptions& options);

using core::split_list;

} // namespace enlace::cli
