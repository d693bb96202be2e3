// `enlace serve --tls-cert --tls-key` over a real socket: curl reaches /healthz over HTTPS, plain
// HTTP to the same port gets no answer, SIGTERM exits 0, and unreadable files fail clearly.
#include "serve_process.hpp"
#include "support/temp_registry.hpp"

#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>
#include <tuple>
#include <vector>

using enlace::test::ScratchDir;
using enlace::test::ServeProcess;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// A self-signed certificate for localhost, valid one day, into dir (cert.pem, key.pem).
void make_certificate(const ScratchDir& dir) {
    const auto command = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 -keyout " +
                         dir.file("key.pem") + " -out " + dir.file("cert.pem") + " > " + dir.file("openssl.log") +
                         " 2>&1";
    const int code = std::system(command.c_str());
    INFO(slurp(dir.file("openssl.log")));
    REQUIRE(code == 0);
}

/// curl -sk over HTTPS (or plain HTTP); the body, or empty when curl failed.
std::string curl(const ScratchDir& dir, const std::string& url) {
    const auto out = dir.file("curl.out");
    const auto command = "curl -sk --max-time 5 -o " + out + " " + url + " > /dev/null 2>&1";
    if (std::system(command.c_str()) != 0) return {};
    return slurp(out);
}

} // namespace

TEST_CASE("serve over TLS answers HTTPS, refuses plain HTTP and stops on SIGTERM") {
    ScratchDir dir;
    auto registry = enlace::test::make_registry(dir);
    registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));
    make_certificate(dir);
    ServeProcess server(dir.registry(), dir.file("serve.log"),
                        {"--tls-cert", dir.file("cert.pem"), "--tls-key", dir.file("key.pem")});
    const auto base = "https://127.0.0.1:" + std::to_string(server.port);
    std::string health;
    for (int i = 0; i < 50 && health.empty(); ++i) {
        health = curl(dir, base + "/healthz");
        if (health.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    INFO(slurp(dir.file("serve.log")));
    CHECK(health.find("\"status\":\"ok\"") != std::string::npos);
    CHECK(curl(dir, base + "/api/v1/services?limit=1").find("\"items\"") != std::string::npos);

    CHECK(enlace::test::request(server.port, "GET", "/healthz").status == 0);
    CHECK(curl(dir, "http://127.0.0.1:" + std::to_string(server.port) + "/healthz").empty());
    CHECK(server.terminate() == 0);
}

TEST_CASE("serve with an unreadable TLS certificate or key exits 1 naming the option") {
    ScratchDir dir;
    auto registry = enlace::test::make_registry(dir);
    make_certificate(dir);
    std::ofstream(dir.file("junk.pem")) << "not a certificate\n";
    const auto db = dir.registry();
    const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
        {dir.file("missing.pem"), dir.file("key.pem"), "--tls-cert"},
        {dir.file("cert.pem"), dir.file("missing.pem"), "--tls-key"},
        {dir.file("junk.pem"), dir.file("key.pem"), "--tls-cert"},
        {dir.file("cert.pem"), dir.file("junk.pem"), "--tls-key"},
    };
    for (const auto& [cert, key, option] : cases) {
        INFO(cert << " " << key);
        const auto log = dir.file("serve.log");
        CHECK(enlace::test::run_enlace({"--db", db, "serve", "--port", "0", "--tls-cert", cert, "--tls-key", key},
                                       log) == 1);
        CHECK(slurp(log).find(option) != std::string::npos);
    }
}
