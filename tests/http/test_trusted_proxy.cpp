// Behind a reverse proxy every connection comes from the proxy: `--trusted-proxy` makes the
// sign-in and report throttles count the client the proxy names in X-Forwarded-For, and only
// for proxies the operator named (anyone can send the header).
#include "forwarded_client.hpp"
#include "serve_process.hpp"
#include "support/temp_registry.hpp"

#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

using enlace::http::detail::TrustedProxies;
using enlace::test::ScratchDir;
using enlace::test::ServeProcess;
namespace ip = boost::asio::ip;

TEST_CASE("trusted proxies: the client is the rightmost forwarded address that is not a trusted proxy") {
    const TrustedProxies proxies({"127.0.0.1", "10.0.0.2", "2001:db8::1"});
    const auto proxy = ip::make_address("127.0.0.1");
    CHECK(proxies.client(proxy, "203.0.113.5").to_string() == "203.0.113.5");
    // The left entries are the client's own claims; the rightmost untrusted one was seen by a proxy.
    CHECK(proxies.client(proxy, "198.51.100.1, 203.0.113.5").to_string() == "203.0.113.5");
    // A chain of trusted proxies vouches further left.
    CHECK(proxies.client(proxy, "198.51.100.1, 203.0.113.5, 10.0.0.2").to_string() == "203.0.113.5");
    CHECK(proxies.client(ip::make_address("::ffff:127.0.0.1"), "2001:db8::7").to_string() == "2001:db8::7");
    CHECK(proxies.client(ip::make_address("2001:db8::1"), "::ffff:203.0.113.9").to_string() == "203.0.113.9");
    // No header, or a malformed entry: the last hop that could be vouched for.
    CHECK(proxies.client(proxy, "").to_string() == "127.0.0.1");
    CHECK(proxies.client(proxy, "not-an-address").to_string() == "127.0.0.1");
    CHECK(proxies.client(proxy, "203.0.113.5, bogus, 10.0.0.2").to_string() == "10.0.0.2");
}

TEST_CASE("trusted proxies: a peer that is not a trusted proxy is the client whatever it forwards") {
    const TrustedProxies proxies({"10.0.0.2"});
    CHECK(proxies.client(ip::make_address("192.0.2.7"), "203.0.113.5").to_string() == "192.0.2.7");
    CHECK(TrustedProxies().client(ip::make_address("192.0.2.7"), "203.0.113.5").to_string() == "192.0.2.7");
    CHECK(proxies.contains(ip::make_address("::ffff:10.0.0.2")));
    CHECK_FALSE(proxies.contains(ip::make_address("10.0.0.3")));
    CHECK_THROWS_WITH(TrustedProxies({"10.0.0.2", "proxy.example"}), "'proxy.example' is not an IP address");
}

namespace {

struct DemoServer {
    ScratchDir dir;
    enlace::core::Registry registry = enlace::test::make_registry(dir);
    std::unique_ptr<ServeProcess> server;

    explicit DemoServer(const std::vector<std::string>& args) {
        registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));
        server = std::make_unique<ServeProcess>(dir.registry(), dir.file("serve.log"), args);
        REQUIRE(server->wait_until_up());
    }

    /// A sign-in with a wrong token, as forwarded for `client`.
    int bad_sign_in(const std::string& client) const {
        return enlace::test::request(server->port, "GET", "/api/v1/me",
                                     "Authorization: Bearer enl_1_wrong\r\nX-Forwarded-For: " + client + "\r\n")
            .status;
    }
};

constexpr int allowed_failures = 10; // a minute's failed sign-ins per client (AuthThrottle's default)

} // namespace

TEST_CASE("serve --trusted-proxy throttles failed sign-ins per forwarded client, not per proxy") {
    DemoServer s({"--trusted-proxy", "127.0.0.1"});
    for (int i = 0; i < allowed_failures; ++i)
        REQUIRE(s.bad_sign_in("203.0.113.5") == 401);
    CHECK(s.bad_sign_in("203.0.113.5") == 429);
    CHECK(s.bad_sign_in("203.0.113.6") == 401); // another client behind the same proxy
}

TEST_CASE("serve without --trusted-proxy ignores X-Forwarded-For: a client cannot dodge the throttle with it") {
    DemoServer s({});
    for (int i = 0; i < allowed_failures; ++i)
        REQUIRE(s.bad_sign_in("203.0.113." + std::to_string(i)) == 401);
    CHECK(s.bad_sign_in("203.0.113.200") == 429);
}

TEST_CASE("serve --trusted-proxy refuses an entry that is not an IP address, naming it") {
    ScratchDir dir;
    enlace::test::make_registry(dir);
    CHECK(enlace::test::run_enlace({"--db", dir.registry(), "serve", "--trusted-proxy", "127.0.0.1,proxy.lan"},
                                   dir.file("serve.log")) == 2);
    std::ifstream log(dir.file("serve.log"));
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    CHECK(text.find("'proxy.lan' is not an IP address") != std::string::npos);
}
