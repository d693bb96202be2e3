#pragma once
// The words of a text condition as an FTS5 query.
#include <string>
#include <vector>

namespace enlace::core::detail {

/// Every word must appear, as a prefix, each quoted so that no FTS5 syntax in the input is
/// interpreted: `"nin"* "guate"*`. The words come from core::search_words (letters and digits only).
std::string fts_query(const std::vector<std::string>& words);

} // namespace enlace::core::detail
