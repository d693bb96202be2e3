#pragma once
// Services as JSON and GeoJSON text: the REST form (the core's record JSON) and the OGC API form
// (flat properties of strings and numbers, so GIS clients and -where filters work). Written
// straight into the body: a page holds up to 10,000 of them.
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace enlace::http::detail {

/// The core's record JSON plus distance_m; with `lang`, name and description resolved to one
/// string and `resolved_language` saying which language was used (and whether it was a fallback).
void append_rest_item(std::string& out, const core::ServiceView& service, std::optional<double> distance_m,
                      const std::string& lang);

/// A REST item as a GeoJSON Feature: geometry = its public location, properties = the rest.
void append_rest_feature(std::string& out, const core::ServiceView& service, std::optional<double> distance_m,
                         const std::string& lang);

/// The map form of a REST item (`view=map`): id, name (in `lang`, else its fallback), types and
/// the public location with its precision and whether it is coarsened; what a page needs to draw
/// every match as a marker, a tenth of the full record.
void append_map_item(std::string& out, const core::ServiceView& service, const std::string& lang);

/// The map form as a GeoJSON Feature: geometry = the public location (null without a site),
/// properties = name, types, precision and coarsened.
void append_map_feature(std::string& out, const core::ServiceView& service, const std::string& lang);

/// An OGC API feature as JSON text: integer id, public point, flat properties (name in `lang`,
/// country alpha-2, types comma-joined).
void append_ogc_feature(std::string& out, const core::ServiceView& service, std::optional<double> distance_m,
                        const std::string& lang);

/// With `lang`: item[field] = the text in that language (or its fallback) and used[field] = which
/// language it came from; nothing when the text is empty.
void resolve_field(nlohmann::json& item, nlohmann::json& used, const core::LocalizedText& text,
                   const std::string& field, const std::string& lang);

} // namespace enlace::http::detail
