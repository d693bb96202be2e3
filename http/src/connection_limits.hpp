#pragma once
// The server's connection caps: a total, and a share per client, so that one client holding
// connections open (slowloris) cannot lock the others out.
#include <boost/asio/ip/address.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <mutex>

namespace enlace::http::detail {

/// Who a share is counted for: an IPv4 address, or the /64 prefix of an IPv6 one (one host or
/// one home network usually holds a whole /64). An IPv4-mapped IPv6 address counts as IPv4.
using ClientKey = std::array<std::uint8_t, 9>;
ClientKey client_key(const boost::asio::ip::address& peer);

class ConnectionLimits;

/// One admitted connection; gives its place back when destroyed. Move-only.
class ConnectionSlot {
  public:
    ConnectionSlot() = default;
    ConnectionSlot(ConnectionSlot&& other) noexcept;
    ConnectionSlot& operator=(ConnectionSlot&& other) noexcept;
    ~ConnectionSlot();
    ConnectionSlot(const ConnectionSlot&) = delete;
    ConnectionSlot& operator=(const ConnectionSlot&) = delete;

    explicit operator bool() const { return m_limits != nullptr; }

  private:
    friend class ConnectionLimits;
    ConnectionSlot(ConnectionLimits* limits, const ClientKey& client) : m_limits(limits), m_client(client) {}
    void release() noexcept;

    ConnectionLimits* m_limits = nullptr;
    ClientKey m_client{};
};

enum class Refusal { none, total, client_share };

struct Admission {
    ConnectionSlot slot;             // empty when refused
    Refusal refused = Refusal::none; // why
};

/// Counts open connections, in all and per client. Thread-safe; must outlive its slots.
class ConnectionLimits {
  public:
    /// `total` and `per_client` are the caps (at least 1).
    ConnectionLimits(int total, int per_client);
    ConnectionLimits(const ConnectionLimits&) = delete;
    ConnectionLimits& operator=(const ConnectionLimits&) = delete;

    /// A slot for a new connection from `peer`, or the cap it would pass (the total first).
    /// `without_share`: a trusted reverse proxy, which carries every client's connections.
    Admission admit(const boost::asio::ip::address& peer, bool without_share = false);

    int open() const;
    int open_from(const boost::asio::ip::address& peer) const;

  private:
    friend class ConnectionSlot;
    void release(const ClientKey& client) noexcept;

    const int m_total;
    const int m_per_client;
    mutable std::mutex m_mutex;
    int m_open = 0;
    std::map<ClientKey, int> m_by_client; // only clients with a connection open
};

} // namespace enlace::http::detail
