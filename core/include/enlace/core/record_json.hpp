#pragma once
// The one JSON form of each record: used by `enlace show/list/add`, the REST API and GeoJSON
// properties, so that `enlace show | enlace add` round-trips.
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace enlace::core {

/// How a service's JSON text is written.
struct ServiceJsonForm {
    bool stored = false;  // what the store keeps: no id, timestamps or public_location
    bool location = true; // false for GeoJSON properties, where the geometry carries the point
    std::string language; // non-empty: name and description as the text in that language (or its
                          // fallback), and `resolved_language` saying which language each came from
};

/// Appends the JSON text of a record; to_json gives the same as a JSON tree. A whole record has
/// its exact `location` (and, for a sensitive site, `public_location`); a public view its public
/// location, with `coarsened` when it is a sensitive site's coarsened place.
void append_json(std::string& out, const Service& service, const ServiceJsonForm& form = {});
void append_json(std::string& out, const PublicService& service, const ServiceJsonForm& form = {});
void append_json(std::string& out, const ServiceView& service, const ServiceJsonForm& form = {});
void append_json(std::string& out, const OpeningHours& hours);
void append_json(std::string& out, const LocalizedText& text);
std::string to_json_text(const Service& service, const ServiceJsonForm& form = {});
std::string to_json_text(const PublicService& service, const ServiceJsonForm& form = {});

nlohmann::json to_json(const Service& service);
nlohmann::json to_json(const PublicService& service);
nlohmann::json to_json(const ServiceView& service);
nlohmann::json to_json(const Actor& actor);
nlohmann::json to_json(const Practice& practice);
nlohmann::json to_json(const Country& country);
nlohmann::json to_json(const TaxonomyTerm& term);
nlohmann::json to_json(const LocalizedText& text);

/// What a reader does with a key that is no field of the record: input refuses it, naming it;
/// a stored document (checked when it was written, perhaps by another version) passes over it.
enum class UnknownFields { refuse, ignore };

/// Reads a record, throwing validation_error with every malformed field (by JSON path). Codes,
/// countries and coordinates are checked against the reference data when the registry stores it.
Service service_from_json(const nlohmann::json& doc, UnknownFields unknown = UnknownFields::refuse);
Actor actor_from_json(const nlohmann::json& doc, UnknownFields unknown = UnknownFields::refuse);
Practice practice_from_json(const nlohmann::json& doc, UnknownFields unknown = UnknownFields::refuse);

/// An outline as a GeoJSON MultiPolygon geometry, and back (Polygon or MultiPolygon; throws
/// validation_error naming "geometry" when malformed).
nlohmann::json to_geojson(const MultiPolygon& outline);
MultiPolygon outline_from_geojson(const nlohmann::json& geometry);

/// "08:30" -> 510, "24:00" -> 1440; nothing when malformed.
std::optional<int> parse_clock(std::string_view text);
std::string format_clock(int minutes);

} // namespace enlace::core
