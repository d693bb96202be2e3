#include "forwarded_client.hpp"

#include <algorithm>
#include <stdexcept>

namespace enlace::http::detail {

namespace ip = boost::asio::ip;

ip::address unmapped(const ip::address& address) {
    if (address.is_v6() && address.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, address.to_v6());
    return address;
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& addresses) {
    for (const auto& text : addresses) {
        boost::system::error_code ec;
        const auto address = ip::make_address(text, ec);
        if (ec) throw std::invalid_argument("'" + text + "' is not an IP address");
        m_addresses.push_back(unmapped(address));
    }
}

bool TrustedProxies::contains(const ip::address& peer) const {
    return std::find(m_addresses.begin(), m_addresses.end(), unmapped(peer)) != m_addresses.end();
}

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

ip::address TrustedProxies::client(const ip::address& peer, std::string_view forwarded_for) const {
    if (!contains(peer)) return unmapped(peer);
    ip::address client = unmapped(peer);
    // From the right: each trusted hop vouches for the address left of it.
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        const auto entry = trimmed(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
        forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
        boost::system::error_code ec;
        const auto address = ip::make_address(std::string(entry), ec);
        if (ec) return client; // malformed: the last hop we could vouch for
        client = unmapped(address);
        if (!contains(client)) return client;
    }
    return client;
}

} // namespace enlace::http::detail
