#pragma once
// The client a request comes from when a reverse proxy stands between: the socket's peer is then
// the proxy, which appends the client's address to X-Forwarded-For. Only proxies the operator
// names (`enlace serve --trusted-proxy`) are believed: anyone can send an X-Forwarded-For.
#include <boost/asio/ip/address.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace enlace::http::detail {

class TrustedProxies {
  public:
    TrustedProxies() = default;
    /// Throws std::invalid_argument naming the first entry that is not an IP address.
    explicit TrustedProxies(const std::vector<std::string>& addresses);

    bool contains(const boost::asio::ip::address& peer) const;

    /// Who sent the request: when `peer` is a trusted proxy, the rightmost address of
    /// X-Forwarded-For that is not one (proxies append, so entries left of it are the client's
    /// own claims); otherwise, or when the header is absent or malformed, `peer` itself.
    boost::asio::ip::address client(const boost::asio::ip::address& peer, std::string_view forwarded_for) const;

  private:
    std::vector<boost::asio::ip::address> m_addresses;
};

/// An IPv4-mapped IPv6 address as the IPv4 address it is; any other as it is.
boost::asio::ip::address unmapped(const boost::asio::ip::address& address);

} // namespace enlace::http::detail
