#include "connection_limits.hpp"

#include <algorithm>
#include <utility>

namespace enlace::http::detail {

ClientKey client_key(const boost::asio::ip::address& peer) {
    namespace ip = boost::asio::ip;
    ClientKey key{};
    if (peer.is_v6() && !peer.to_v6().is_v4_mapped()) {
        key[0] = 6;
        const auto bytes = peer.to_v6().to_bytes();
        std::copy(bytes.begin(), bytes.begin() + 8, key.begin() + 1); // the /64
    } else {
        key[0] = 4;
        const auto v4 = peer.is_v4() ? peer.to_v4() : ip::make_address_v4(ip::v4_mapped, peer.to_v6());
        const auto bytes = v4.to_bytes();
        std::copy(bytes.begin(), bytes.end(), key.begin() + 1);
    }
    return key;
}

ConnectionSlot::ConnectionSlot(ConnectionSlot&& other) noexcept
    : m_limits(std::exchange(other.m_limits, nullptr)), m_client(other.m_client) {}

ConnectionSlot& ConnectionSlot::operator=(ConnectionSlot&& other) noexcept {
    if (this != &other) {
        release();
        m_limits = std::exchange(other.m_limits, nullptr);
        m_client = other.m_client;
    }
    return *this;
}

ConnectionSlot::~ConnectionSlot() { release(); }

void ConnectionSlot::release() noexcept {
    if (m_limits) std::exchange(m_limits, nullptr)->release(m_client);
}

ConnectionLimits::ConnectionLimits(int total, int per_client)
    : m_total(std::max(1, total)), m_per_client(std::max(1, per_client)) {}

Admission ConnectionLimits::admit(const boost::asio::ip::address& peer, bool without_share) {
    const auto client = client_key(peer);
    std::lock_guard lock(m_mutex);
    if (m_open >= m_total) return {{}, Refusal::total};
    auto& from_client = m_by_client[client];
    if (from_client >= m_per_client && !without_share) return {{}, Refusal::client_share};
    ++from_client;
    ++m_open;
    return {ConnectionSlot(this, client), Refusal::none};
}

void ConnectionLimits::release(const ClientKey& client) noexcept {
    std::lock_guard lock(m_mutex);
    --m_open;
    const auto it = m_by_client.find(client);
    if (it != m_by_client.end() && --it->second <= 0) m_by_client.erase(it);
}

int ConnectionLimits::open() const {
    std::lock_guard lock(m_mutex);
    return m_open;
}

int ConnectionLimits::open_from(const boost::asio::ip::address& peer) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_by_client.find(client_key(peer));
    return it == m_by_client.end() ? 0 : it->second;
}

} // namespace enlace::http::detail
