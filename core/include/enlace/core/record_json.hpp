#pragma once
// The one JSON form of each record: used by `enlace show/list/add`, the REST API and GeoJSON
// properties, so that `enlace show | enlace add` round-trips.
#include "enlace/core/model.hpp"

#include <nlohmann/json_fwd.hpp>

namespace enlace::core {

nlohmann::json to_json(const Service& service);
nlohmann::json to_json(const Actor& actor);
nlohmann::json to_json(const Practice& practice);
nlohmann::json to_json(const Country& country);
nlohmann::json to_json(const TaxonomyTerm& term);
nlohmann::json to_json(const OpeningHours& hours);
nlohmann::json to_json(const LocalizedText& text);

/// Reads a record, throwing validation_error with every malformed field (by JSON path). Codes,
/// countries and coordinates are checked against the reference data when the registry stores it.
Service service_from_json(const nlohmann::json& doc);
Actor actor_from_json(const nlohmann::json& doc);
Practice practice_from_json(const nlohmann::json& doc);

/// An outline as a GeoJSON MultiPolygon geometry, and back (Polygon or MultiPolygon; throws
/// validation_error naming "geometry" when malformed).
nlohmann::json to_geojson(const MultiPolygon& outline);
MultiPolygon outline_from_geojson(const nlohmann::json& geometry);

/// "08:30" -> 510, "24:00" -> 1440; nothing when malformed.
std::optional<int> parse_clock(std::string_view text);
std::string format_clock(int minutes);

} // namespace enlace::core
