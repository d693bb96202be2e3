#pragma once
#include "enlace/core/errors.hpp"

#include <string>
#include <utility>

namespace enlace::core {

/// A write found no room for what it had to write: the disk is full (SQLITE_FULL, ENOSPC), a quota
/// is used up (EDQUOT) or a file would pass the process's file size limit (EFBIG, `ulimit -f`). The
/// message names the file and the cause; the transaction the write belonged to is rolled back.
class storage_full : public db_error {
  public:
    storage_full(const std::string& message, int code, int system_errno, std::string sql = {})
        : db_error(message, code, std::move(sql)), m_system_errno(system_errno) {}
    /// The errno the failing write() got (0 when SQLite found the disk full by itself).
    int system_errno() const noexcept { return m_system_errno; }

  private:
    int m_system_errno;
};

} // namespace enlace::core
