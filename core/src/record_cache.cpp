#include "record_cache.hpp"

namespace enlace::core::detail {

std::shared_ptr<const Service> RecordCache::get(std::int64_t id, std::int64_t revision) {
    std::lock_guard lock(m_mutex);
    if (revision != m_revision) return nullptr;
    auto it = m_services.find(id);
    return it == m_services.end() ? nullptr : it->second;
}

void RecordCache::put(std::int64_t id, std::int64_t revision, std::shared_ptr<const Service> service) {
    if (m_capacity == 0) return;
    std::lock_guard lock(m_mutex);
    if (revision < m_revision) return;
    if (revision > m_revision) {
        m_services.clear();
        m_revision = revision;
    }
    if (m_services.size() >= m_capacity && !m_services.contains(id)) m_services.erase(m_services.begin());
    m_services.insert_or_assign(id, std::move(service));
}

} // namespace enlace::core::detail
