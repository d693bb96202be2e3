#pragma once
#include <optional>
#include <string_view>

namespace enlace::data {

/// The bytes of a reference file of data/ (e.g. "taxonomy.json") as compiled into the program,
/// or nothing when no such file was embedded.
std::optional<std::string_view> embedded(std::string_view name);

} // namespace enlace::data
