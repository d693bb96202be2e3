#include "open_store.hpp"

#include "enlace/core/errors.hpp"
#include "postgres_store.hpp"
#include "sqlite_store.hpp"

#include <filesystem>

namespace enlace::core::detail {

std::unique_ptr<Store> open_store(const std::string& location, Registry::mode m) {
    if (pg::is_uri(location)) {
        const auto pg_mode = m == Registry::mode::read_only    ? PostgresStore::mode::read_only
                             : m == Registry::mode::read_write ? PostgresStore::mode::read_write
                                                               : PostgresStore::mode::create;
        return std::make_unique<PostgresStore>(location, pg_mode);
    }
    if (m != Registry::mode::create && !std::filesystem::exists(location))
        throw error("registry '" + location + "' does not exist: create it with `enlace init --db " + location + "`");
    const auto sqlite_mode = m == Registry::mode::read_only    ? SqliteStore::mode::read_only
                             : m == Registry::mode::read_write ? SqliteStore::mode::read_write
                                                               : SqliteStore::mode::create;
    return std::make_unique<SqliteStore>(location, sqlite_mode);
}

} // namespace enlace::core::detail
