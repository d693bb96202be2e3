// Over a real socket against `enlace serve`: HEAD, 304, CORS preflight, 414 and 431, the
// connection cap, the per-client share and the header deadline (slowloris), the keep-alive request
// cap, and a clear error for a port already taken.
#include "serve_process.hpp"
#include "support/temp_registry.hpp"

#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <string_view>
#include <thread>

using enlace::test::ScratchDir;
using enlace::test::ServeProcess;

namespace {

struct DemoServer {
    ScratchDir dir;
    enlace::core::Registry registry = enlace::test::make_registry(dir);
    std::unique_ptr<ServeProcess> server;

    explicit DemoServer(const std::vector<std::string>& args = {}) {
        registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));
        server = std::make_unique<ServeProcess>(dir.registry(), dir.file("serve.log"), args);
        REQUIRE(server->wait_until_up());
    }
    int port() const { return server->port; }
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

bool send_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const auto n = ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

/// A request head without its closing blank line: the server waits for the rest.
constexpr std::string_view partial_head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Wait: ";

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("over a socket HEAD sends the GET headers and no body, and If-None-Match gives 304") {
    DemoServer s;
    const auto get = enlace::test::request(s.port(), "GET", "/api/v1/services?country=GT");
    REQUIRE(get.status == 200);
    REQUIRE(get.complete);
    const auto etag = get.header("etag");
    REQUIRE(!etag.empty());
    CHECK(get.header("cache-control") == "public, max-age=60");

    const auto head = enlace::test::request(s.port(), "HEAD", "/api/v1/services?country=GT");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.header("content-length") == std::to_string(get.body.size()));
    CHECK(head.header("etag") == etag);
    CHECK(head.header("content-type") == get.header("content-type"));

    for (const auto* method : {"GET", "HEAD"}) {
        const auto cached =
            enlace::test::request(s.port(), method, "/api/v1/services?country=GT", "If-None-Match: " + etag + "\r\n");
        CHECK(cached.status == 304);
        CHECK(cached.body.empty());
        CHECK(cached.header("etag") == etag);
    }
    const auto near = enlace::test::request(s.port(), "GET", "/api/v1/services?lat=14.6&lon=-90.5&k=2");
    CHECK(near.header("cache-control") == "no-store");
}

TEST_CASE("over a socket a CORS preflight from a listed origin is answered") {
    DemoServer s({"--cors-origin", "https://a.example,https://map.example"});
    const auto r = enlace::test::request(s.port(), "OPTIONS", "/ogcapi/collections/services/items",
                                         "Origin: https://map.example\r\nAccess-Control-Request-Method: GET\r\n"
                                         "Access-Control-Request-Headers: if-none-match\r\n");
    CHECK(r.status == 204);
    CHECK(r.complete);
    CHECK(r.header("access-control-allow-origin") == "https://map.example");
    CHECK(r.header("access-control-allow-methods") == "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    CHECK(r.header("vary") == "Origin");
    const auto get = enlace::test::request(s.port(), "GET", "/healthz", "Origin: https://a.example\r\n");
    CHECK(get.header("access-control-allow-origin") == "https://a.example");
    const auto other = enlace::test::request(s.port(), "GET", "/healthz", "Origin: https://evil.example\r\n");
    CHECK(other.header("access-control-allow-origin").empty());
}

TEST_CASE("over a socket an overlong target is 414 and oversized headers 431") {
    DemoServer s;
    const auto long_target = enlace::test::request(s.port(), "GET", "/api/v1/services?q=" + std::string(5000, 'a'));
    CHECK(long_target.status == 414);
    CHECK(long_target.header("content-type") == "application/problem+json");
    const auto big_header =
        enlace::test::request(s.port(), "GET", "/healthz", "X-Filler: " + std::string(10000, 'x') + "\r\n");
    CHECK(big_header.status == 431);
    CHECK(enlace::test::request(s.port(), "GET", "/healthz").status == 200); // still serving
}

TEST_CASE("over a socket connections beyond --max-connections get 503 and are closed") {
    DemoServer s({"--max-connections", "2"});
    const int a = enlace::test::connect_loopback(s.port());
    const int b = enlace::test::connect_loopback(s.port());
    REQUIRE(a >= 0);
    REQUIRE(b >= 0);
    // Until the server has accepted both as sessions a third may still get in (a loaded machine
    // takes longer than any fixed wait; once, under a full parallel test run, longer than 5 s):
    // asked again until refused, for at most 20 s.
    auto refused = enlace::test::request(s.port(), "GET", "/healthz");
    for (int i = 0; i < 200 && refused.status != 503; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        refused = enlace::test::request(s.port(), "GET", "/healthz");
    }
    CHECK(refused.status == 503);
    CHECK(refused.complete);
    ::close(a);
    ::close(b);
    bool served = false;
    for (int i = 0; i < 50 && !served; ++i) {
        served = enlace::test::request(s.port(), "GET", "/healthz").status == 200;
        if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(served);
}

TEST_CASE("over a socket 300 partial heads from one address do not lock out another client") {
    DemoServer s; // the default limits
    std::vector<int> attacker;
    for (int i = 0; i < 300; ++i) {
        const int fd = enlace::test::connect_from("127.0.0.2", s.port());
        REQUIRE(fd >= 0);
        send_all(fd, partial_head);
        attacker.push_back(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // all accepted or refused by now

    // Another client is served at once, again and again.
    for (int i = 0; i < 5; ++i) {
        const auto start = Clock::now();
        const auto r = enlace::test::request(s.port(), "GET", "/healthz");
        CHECK(r.status == 200);
        CHECK(seconds_since(start) < 2.0);
    }
    // The attacker's address is over its share: a new connection from it is refused cleanly.
    const int more = enlace::test::connect_from("127.0.0.2", s.port());
    REQUIRE(more >= 0);
    const auto refused = enlace::test::read_all(more, 5000);
    ::close(more);
    CHECK(refused.rfind("HTTP/1.1 503 ", 0) == 0);
    CHECK(refused.find("Retry-After: ") != std::string::npos);
    for (const int fd : attacker)
        ::close(fd);
}

TEST_CASE("over a socket a request head must arrive within --header-timeout, its body has longer") {
    DemoServer s({"--header-timeout", "2"});

    SECTION("a partial head is closed after the deadline, with nothing sent") {
        const int fd = enlace::test::connect_loopback(s.port());
        REQUIRE(fd >= 0);
        REQUIRE(send_all(fd, partial_head));
        const auto start = Clock::now();
        const auto reply = enlace::test::read_all(fd, 10000); // ends when the server closes
        const double took = seconds_since(start);
        ::close(fd);
        CHECK(reply.empty());
        CHECK(took > 1.5);
        CHECK(took < 4.0);
    }
    SECTION("a connection that sends nothing is closed after the deadline") {
        const int fd = enlace::test::connect_loopback(s.port());
        REQUIRE(fd >= 0);
        const auto start = Clock::now();
        enlace::test::read_all(fd, 10000);
        const double took = seconds_since(start);
        ::close(fd);
        CHECK(took > 1.5);
        CHECK(took < 4.0);
    }
    SECTION("a head sent slowly but within the deadline is served") {
        const int fd = enlace::test::connect_loopback(s.port());
        REQUIRE(fd >= 0);
        REQUIRE(send_all(fd, partial_head));
        std::this_thread::sleep_for(std::chrono::milliseconds(800));
        REQUIRE(send_all(fd, "slow\r\nConnection: close\r\n\r\n"));
        const auto reply = enlace::test::read_all(fd, 10000);
        ::close(fd);
        CHECK(reply.rfind("HTTP/1.1 200 ", 0) == 0);
    }
    SECTION("a body may take longer than the head's deadline") {
        const int fd = enlace::test::connect_loopback(s.port());
        REQUIRE(fd >= 0);
        REQUIRE(send_all(
            fd, "POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 4\r\n\r\n"));
        std::this_thread::sleep_for(std::chrono::milliseconds(3000));
        REQUIRE(send_all(fd, "body"));
        const auto reply = enlace::test::read_all(fd, 10000);
        ::close(fd);
        CHECK(reply.rfind("HTTP/1.1 405 ", 0) == 0);
    }
}

TEST_CASE("over a socket a keep-alive connection is closed after 1000 requests") {
    DemoServer s;
    const int fd = enlace::test::connect_loopback(s.port());
    REQUIRE(fd >= 0);
    std::string burst;
    for (int i = 0; i < 1000; ++i)
        burst += "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    std::thread writer([&] {
        std::size_t sent = 0;
        while (sent < burst.size()) {
            const auto n = ::send(fd, burst.data() + sent, burst.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
        }
    });
    const auto replies = enlace::test::read_all(fd, 10000); // ends when the server closes
    writer.join();
    ::close(fd);
    CHECK(count_of(replies, "HTTP/1.1 200 OK") == 1000);
    CHECK(count_of(replies, "Connection: close") == 1);
}

TEST_CASE("a port already taken is a clear error and exit status 1") {
    DemoServer s;
    const auto log = s.dir.file("second.log");
    const int code =
        enlace::test::run_enlace({"--db", s.dir.registry(), "serve", "--port", std::to_string(s.port())}, log);
    CHECK(code == 1);
    std::ifstream in(log);
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    INFO(text);
    CHECK(text.find("already in use") != std::string::npos);
    CHECK(text.find(std::to_string(s.port())) != std::string::npos);
    CHECK(s.server->terminate() == 0);
}

TEST_CASE("over a socket a focal point writes with a token, a second server reads it, and no token is logged") {
    DemoServer s;
    const auto issued =
        s.registry.add_user(enlace::core::Caller::holder("test"), "ana", enlace::core::Role::editor, {"GT"});
    const std::string body = R"({"name":{"es":"Defensoría en frontera"},"types":["PRO.AUTHORITY"],"country":"GT",)"
                             R"("location":{"lon":-92.0,"lat":14.9}})";
    const auto post = [&](const std::string& auth) {
        return enlace::test::exchange(
            s.port(), "POST /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + auth +
                          "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body);
    };
    const auto anonymous = post("");
    CHECK(anonymous.status == 401);
    CHECK(anonymous.header("www-authenticate").rfind("Bearer", 0) == 0);
    const auto created = post("Authorization: Bearer " + issued.token + "\r\n");
    INFO(created.body);
    REQUIRE(created.status == 201);
    CHECK(created.header("etag") == "\"v1\"");
    const auto id = nlohmann::json::parse(created.body)["id"].get<std::int64_t>();
    const std::string target = "/api/v1/services/" + std::to_string(id);
    CHECK(enlace::test::request(s.port(), "GET", target).status == 404); // a draft
    const auto mine = enlace::test::request(s.port(), "GET", target, "Authorization: Bearer " + issued.token + "\r\n");
    CHECK(mine.status == 200);
    CHECK(mine.header("cache-control") == "private, no-store");

    // The writes are in the file: another server on it sees the draft to its editor.
    ServeProcess other(s.dir.registry(), s.dir.file("other.log"));
    REQUIRE(other.wait_until_up());
    CHECK(enlace::test::request(other.port, "GET", target, "Authorization: Bearer " + issued.token + "\r\n").status ==
          200);
    other.terminate();
    CHECK(s.server->terminate() == 0);
    std::ifstream log(s.dir.file("serve.log"));
    const std::string logged{std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>()};
    CHECK(logged.find("POST /api/v1/services 201") != std::string::npos);
    CHECK(logged.find(issued.token.substr(issued.token.find('_', 4) + 1)) == std::string::npos);
    CHECK(logged.find("Bearer") == std::string::npos);
}
