#pragma once
#include "pg_connection.hpp"

namespace enlace::core::detail::pg {

/// The newest schema version this program writes on PostgreSQL: the same number as the SQLite
/// schema it matches, so that `enlace init` reports one version whatever the backend.
int latest_schema_version();

/// The version in the database's schema_version table (0 for an empty database).
int schema_version(Connection& db);

/// Brings the database to the latest version in one transaction, one migrating
/// process at a time. Throws error when the database is newer than this program.
void migrate(Connection& db);

} // namespace enlace::core::detail::pg
