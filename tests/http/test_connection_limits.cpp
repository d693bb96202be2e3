// The server's connection caps (http/src/connection_limits.hpp) without a socket: the total, the
// share of one client, what counts as one client, and places given back by closed connections.
#include "connection_limits.hpp"

#include <catch2/catch.hpp>

#include <vector>

using enlace::http::detail::client_key;
using enlace::http::detail::ConnectionLimits;
using enlace::http::detail::ConnectionSlot;
using enlace::http::detail::Refusal;
namespace ip = boost::asio::ip;

TEST_CASE("connection limits: a client over its share is refused while others are admitted") {
    ConnectionLimits limits(10, 3);
    const auto attacker = ip::make_address("192.0.2.7");
    std::vector<ConnectionSlot> held;
    for (int i = 0; i < 3; ++i) {
        auto a = limits.admit(attacker);
        REQUIRE(a.refused == Refusal::none);
        REQUIRE(a.slot);
        held.push_back(std::move(a.slot));
    }
    const auto fourth = limits.admit(attacker);
    CHECK(fourth.refused == Refusal::client_share);
    CHECK_FALSE(fourth.slot);
    CHECK(limits.open_from(attacker) == 3);

    auto other = limits.admit(ip::make_address("192.0.2.8"));
    CHECK(other.refused == Refusal::none);
    CHECK(limits.open() == 4);

    held.pop_back(); // a closed connection gives its place back
    CHECK(limits.open_from(attacker) == 2);
    CHECK(limits.admit(attacker).refused == Refusal::none); // admitted, and released at once
    CHECK(limits.open() == 3);
}

TEST_CASE("connection limits: the total is checked first and counts every client") {
    ConnectionLimits limits(4, 3);
    std::vector<ConnectionSlot> held;
    for (const auto* peer : {"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"})
        held.push_back(limits.admit(ip::make_address(peer)).slot);
    CHECK(limits.open() == 4);
    CHECK(limits.admit(ip::make_address("192.0.2.5")).refused == Refusal::total);
    held.clear();
    CHECK(limits.open() == 0);
    CHECK(limits.open_from(ip::make_address("192.0.2.1")) == 0);
}

TEST_CASE("connection limits: a moved slot is released once") {
    ConnectionLimits limits(4, 4);
    const auto peer = ip::make_address("198.51.100.1");
    {
        auto a = limits.admit(peer);
        ConnectionSlot moved(std::move(a.slot));
        CHECK_FALSE(a.slot);
        ConnectionSlot assigned;
        assigned = std::move(moved);
        CHECK(limits.open() == 1);
    }
    CHECK(limits.open() == 0);
    CHECK(limits.open_from(peer) == 0);
}

TEST_CASE("connection limits: one IPv6 /64 is one client, and an IPv4-mapped address is its IPv4 one") {
    CHECK(client_key(ip::make_address("2001:db8:1:2::1")) == client_key(ip::make_address("2001:db8:1:2:ffff::9")));
    CHECK(client_key(ip::make_address("2001:db8:1:2::1")) != client_key(ip::make_address("2001:db8:1:3::1")));
    CHECK(client_key(ip::make_address("::ffff:192.0.2.7")) == client_key(ip::make_address("192.0.2.7")));
    CHECK(client_key(ip::make_address("192.0.2.7")) != client_key(ip::make_address("192.0.2.8")));
    // An IPv4 address never meets an IPv6 prefix that starts with the same bytes.
    CHECK(client_key(ip::make_address("192.0.2.7")) != client_key(ip::make_address("c000:207::")));

    ConnectionLimits limits(10, 2);
    const auto a = limits.admit(ip::make_address("2001:db8::1"));
    const auto b = limits.admit(ip::make_address("2001:db8::2"));
    CHECK(limits.admit(ip::make_address("2001:db8::3")).refused == Refusal::client_share);
}
