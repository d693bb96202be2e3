#pragma once
// The HTTP server: Beast over asio, N threads, each with its own registry connection (writable unless read_only).
#include "enlace/core/registry.hpp"
#include "enlace/http/handler.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace enlace::http {

struct ServerOptions {
    std::string bind = "127.0.0.1";
    unsigned short port = 8080; // 0: any free port (the chosen one is reported to on_listening)
    int threads = 2;
    int max_connections = 256;              // beyond it a new connection gets 503 and is closed
    int max_connections_per_client = 32;    // from one IPv4 address or IPv6 /64; beyond it, 503
    int max_requests_per_connection = 1000; // then the keep-alive connection is closed
    // From the moment the server waits for a request (a new connection, or a keep-alive one after
    // its last reply; with TLS the handshake has as long again): the whole head must have come by
    // then, or the connection is closed. Short, so that partial heads cannot hold connections.
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds body_timeout{30}; // from the end of the head: the body and the reply
    std::string tls_cert;                  // PEM certificate chain; with tls_key, serve HTTPS only
    std::string tls_key;                   // PEM private key
    bool read_only = false;                // refuse every write (the registry file is opened read-only)
    // Reverse proxies (IP addresses) whose X-Forwarded-For names the client, for the sign-in and
    // report throttles; their connections count in the total only, not as one client's share.
    std::vector<std::string> trusted_proxies;
    Config config;
};

/// Listens and serves until SIGINT or SIGTERM, then stops accepting, lets requests in flight finish
/// and returns. `on_listening` gets the base URL ("http://127.0.0.1:8080/") once the socket is bound.
/// Throws std::runtime_error when the address cannot be bound (e.g. the port is taken) or the TLS
/// certificate or key cannot be read. With TLS the URL starts with https://.
void serve(const core::Registry& registry, const ServerOptions& options,
           const std::function<void(const std::string& url)>& on_listening);

} // namespace enlace::http
