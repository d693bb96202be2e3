#pragma once
// The one place where a registry location picks its backend.
#include "enlace/core/registry.hpp"
#include "enlace/core/store.hpp"

#include <memory>
#include <string>

namespace enlace::core::detail {

/// The store a location names: a PostgreSQL database for a libpq connection URI
/// (postgresql://, postgres://), a SQLite file otherwise (which must exist unless `m` creates it).
std::unique_ptr<Store> open_store(const std::string& location, Registry::mode m);

} // namespace enlace::core::detail
