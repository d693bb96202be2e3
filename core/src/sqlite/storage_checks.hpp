#pragma once
// The checks of `enlace check` that SQLite answers (maintenance.hpp): run on a read-only
// connection of their own, in one snapshot, so that they neither change the file nor depend on
// its schema version being this program's.
#include "enlace/core/maintenance.hpp"

#include <string>

namespace enlace::core::detail {

/// Adds the storage checks of the file at `path` to `report`. Returns whether its schema version
/// is this program's (the checks over the registry itself need it). Throws db_error only when the
/// file cannot be opened.
bool check_storage(const std::string& path, CheckReport& report);

} // namespace enlace::core::detail
