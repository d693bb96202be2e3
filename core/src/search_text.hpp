#pragma once
// What the full-text condition searches in a service (conditions.hpp, `words`): its names and
// descriptions in every language and its place names, never a street (a sensitive site's street
// must not be findable). A store's full-text index keeps exactly this; the SQLite store keeps no
// copy of it and replaces a row by handing back the text computed from the version it replaces,
// so change it only together with a migration that rebuilds the index.
#include "enlace/core/model.hpp"

#include <array>
#include <string>

namespace enlace::core::detail {

/// name, description and place, each a column of the full-text index.
std::array<std::string, 3> search_text(const Service& service);
/// An actor's names with its acronym, and its descriptions.
std::array<std::string, 2> search_text(const Actor& actor);
/// A practice's titles, and its narratives (problem, description, results, ...).
std::array<std::string, 2> search_text(const Practice& practice);

} // namespace enlace::core::detail
