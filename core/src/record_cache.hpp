#pragma once
// Public views of services, decoded from their stored documents, shared by the connections of one
// process and valid for one services revision: the records around a busy crossing are parsed once,
// not on every query. Bounded: past its capacity an arbitrary entry makes room.
#include "enlace/core/model.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace enlace::core::detail {

class RecordCache {
public:
    explicit RecordCache(std::size_t capacity) : m_capacity(capacity) {}

    /// The record as of `revision`, if cached.
    std::shared_ptr<const Service> get(std::int64_t id, std::int64_t revision);
    /// Keeps a record read at `revision`; a newer revision empties the cache, an older one is ignored.
    void put(std::int64_t id, std::int64_t revision, std::shared_ptr<const Service> service);

private:
    std::mutex m_mutex;
    std::size_t m_capacity;
    std::int64_t m_revision = -1;
    std::unordered_map<std::int64_t, std::shared_ptr<const Service>> m_services;
};

} // namespace enlace::core::detail
