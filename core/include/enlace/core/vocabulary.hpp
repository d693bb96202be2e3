#pragma once
// The spelling of each enumeration in JSON, SQL and URLs, in one place.
#include "enlace/core/model.hpp"

#include <optional>
#include <string_view>

namespace enlace::core {

std::string_view to_string(LocationPrecision value);
std::string_view to_string(ContactKind value);
std::string_view to_string(ServiceStatus value);
std::string_view to_string(Visibility value);
std::string_view to_string(ReviewStatus value);

std::optional<LocationPrecision> parse_location_precision(std::string_view text);
std::optional<ContactKind> parse_contact_kind(std::string_view text);
std::optional<ServiceStatus> parse_service_status(std::string_view text);
std::optional<Visibility> parse_visibility(std::string_view text);
std::optional<ReviewStatus> parse_review_status(std::string_view text);

/// "mo".."su" -> 0..6.
std::optional<int> parse_weekday(std::string_view text);
std::string_view weekday_code(int day);

/// The allowed values, for error messages ("one of active, inactive, ...").
std::string_view service_status_values();
/// The review statuses, comma-separated, for messages.
std::string_view review_status_values();

} // namespace enlace::core
