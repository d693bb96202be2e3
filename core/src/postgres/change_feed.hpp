#pragma once
// The PostgreSQL store's change feed: a connection of its own that LISTENs on the channel every
// write transaction NOTIFYs as it commits (PostgresStore::commit), so that a server learns of
// another server's write at once instead of at its next read.
#include "enlace/core/store.hpp"

#include <memory>
#include <string>

namespace enlace::core::detail::pg {

/// The channel of committed changes. A NOTIFY is sent at commit only, and once per transaction.
inline constexpr const char* change_channel = "enlace_changes";

/// A feed listening on the database `uri` names; throws db_error when it cannot connect.
std::unique_ptr<ChangeFeed> listen_for_changes(const std::string& uri);

} // namespace enlace::core::detail::pg
