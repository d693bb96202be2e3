#pragma once
// Services as JSON and GeoJSON text: the REST form (the core's record JSON) and the OGC API form
// (flat properties of strings and numbers, so GIS clients and -where filters work). Written
// straight into the body: a page holds up to 10,000 of them.
#include "enlace/core/model.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace enlace::http::detail {

/// The core's record JSON plus distance_m; with `lang`, name and description resolved to one
/// string and `resolved_language` saying which language was used (and whether it was a fallback).
void append_rest_item(std::string& out, const core::Service& service, std::optional<double> distance_m,
                      const std::string& lang);

/// A REST item as a GeoJSON Feature: geometry = its public location, properties = the rest.
void append_rest_feature(std::string& out, const core::Service& service, std::optional<double> distance_m,
                         const std::string& lang);

/// An OGC API feature as JSON text: integer id, public point, flat properties (name in `lang`,
/// country alpha-2, types comma-joined).
void append_ogc_feature(std::string& out, const core::Service& service, std::optional<double> distance_m,
                        const std::string& lang);

/// With `lang`: item[field] = the text in that language (or its fallback) and used[field] = which
/// language it came from; nothing when the text is empty.
void resolve_field(nlohmann::json& item, nlohmann::json& used, const core::LocalizedText& text, const std::string& field,
                   const std::string& lang);

} // namespace enlace::http::detail
