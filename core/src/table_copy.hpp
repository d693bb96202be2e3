#pragma once
// The tables a registry moves between stores with (copy_registry): every table both stores keep
// with the same columns, in an order where a table comes after those it refers to. What a store
// derives from them (full text, site trees, geography, words) is not among them: each store builds
// its own again (Store::derive_from_rows).
#include "enlace/core/store.hpp"

#include <string>
#include <vector>

namespace enlace::core::detail {

/// The tables, each with its columns and its order; change together with a migration of both
/// schemas.
const std::vector<TableShape>& copied_tables();

/// The table's columns as SQL lists them ("a, b, c").
std::string column_list(const TableShape& table);

} // namespace enlace::core::detail
