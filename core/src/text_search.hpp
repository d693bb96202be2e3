#pragma once
#include <string>
#include <string_view>

namespace enlace::core::detail {

/// Turns a user's words into an FTS5 query: every word must appear, as a prefix, each quoted so
/// that no FTS5 syntax in the input is interpreted. Throws query_error(parameter) when no word.
std::string fts_match(std::string_view text, const std::string& parameter);

} // namespace enlace::core::detail
