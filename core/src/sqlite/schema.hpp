#pragma once
#include "enlace/core/sqlite.hpp"

namespace enlace::core::detail {

/// The newest schema version this program knows.
int latest_schema_version();

/// PRAGMA user_version of the open file.
int schema_version(sqlite::Database& db);

/// Applies the migrations after the file's version, up to `target`, each in its own transaction.
/// Throws error when the file is newer than this program.
void migrate(sqlite::Database& db, int target);

/// WAL, foreign keys and the other settings every connection uses.
void configure_connection(sqlite::Database& db, bool writable);

} // namespace enlace::core::detail
