// enlace serve: the HTTP server (REST API, GeoJSON, OGC API - Features) over the registry file.
#include "commands.hpp"

#include "enlace/core/registry.hpp"
#include "enlace/http/server.hpp"

#include <arpa/inet.h>

#include <chrono>
#include <filesystem>
#include <iostream>

namespace enlace::cli {

void add_serve_command(CLI::App& app, const Common& common) {
    auto options = std::make_shared<http::ServerOptions>();
    auto header_timeout = std::make_shared<int>(static_cast<int>(options->header_timeout.count()));
    auto record_cache = std::make_shared<std::size_t>(core::Registry::default_record_cache);
    auto* cmd = app.add_subcommand("serve", "Serve the registry over HTTP: REST API, GeoJSON and OGC API - Features");
    cmd->add_option("--bind", options->bind, "Address to listen on")->capture_default_str();
    cmd->add_option("--port", options->port, "Port to listen on (0: any free port)")->capture_default_str();
    cmd->add_option("--threads", options->threads, "Worker threads, each with its own registry connection")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    cmd->add_option("--public-url", options->config.public_url,
                    "Base URL clients reach the server at, for links (default: http://<Host header>)");
    cmd->add_option("--cors-origin", options->config.cors_origin,
                    "Allow browser pages of these origins (comma-separated, or *)");
    cmd->add_option("--max-connections", options->max_connections,
                    "Open connections at most; beyond it a new one gets 503")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--max-connections-per-client", options->max_connections_per_client,
                    "Open connections at most from one client (IPv4 address or IPv6 /64); beyond it a new one gets 503 "
                    "(behind a reverse proxy, all clients are the proxy: raise it to --max-connections)")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option(
           "--header-timeout", *header_timeout,
           "Seconds a client has to send a whole request head (and, with TLS, the handshake); then it is closed")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    cmd->add_option("--record-cache", *record_cache,
                    "Public records kept decoded in memory, shared by the threads (about 2 KB each; 0: none). "
                    "As many as the public services asked for spares reads the store (on PostgreSQL, a round trip)")
        ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 26))
        ->capture_default_str();
    cmd->add_option("--tile-url", options->config.tile_url,
                    "Tile layer URL template for the web map, e.g. https://tile.example.org/{z}/{x}/{y}.png "
                    "(default: none, offline country outlines only: tile requests reveal users' positions)");
    cmd->add_option("--map-tiles-above", options->config.map_tiles_above,
                    "The web map draws a search's matches as vector tiles (/tiles/services) when more than this "
                    "many match, instead of fetching every point")
        ->check(CLI::Range(0, 100000000))
        ->capture_default_str();
    cmd->add_option("--tls-cert", options->tls_cert, "PEM certificate (chain) file: serve HTTPS (with --tls-key)")
        ->needs(cmd->add_option("--tls-key", options->tls_key, "PEM private key file of --tls-cert"));
    cmd->add_flag("--read-only", options->read_only,
                  "Open the registry read-only: every write is refused (a copy published for reading)");
    cmd->add_option("--trusted-proxy", options->trusted_proxies,
                    "Reverse proxies (IP addresses, comma-separated) whose X-Forwarded-For names the client; "
                    "their connections count in --max-connections only")
        ->delimiter(',')
        ->check([](const std::string& address) {
            unsigned char parsed[sizeof(in6_addr)];
            const bool ip =
                inet_pton(AF_INET, address.c_str(), parsed) == 1 || inet_pton(AF_INET6, address.c_str(), parsed) == 1;
            return ip ? std::string() : "'" + address + "' is not an IP address";
        });
    cmd->add_option("--web-root", options->config.web_root,
                    "Folder of the web map's files (default: ../share/enlace/web beside the program)");
    cmd->callback([&common, options, header_timeout, record_cache] {
        options->header_timeout = std::chrono::seconds(*header_timeout);
        // A web root given by hand that holds no page is a mistake to report, not a 404 to serve;
        // the built-in one may be missing where only the program was copied: then the API alone.
        const auto root = std::filesystem::path(http::web_root_of(options->config));
        if (!std::filesystem::is_regular_file(root / "index.html")) {
            if (!options->config.web_root.empty())
                throw usage_error("--web-root '" + options->config.web_root +
                                  "' holds no index.html (the web map's folder, http/web)");
            std::cerr << "enlace serve: no web map at '" << root.string()
                      << "' (give --web-root): serving the API only\n";
        }
        // Never created here: a missing file gets the core's message (run enlace init). Writable
        // unless told otherwise: the write API, and tokens' last use.
        const auto registry = core::Registry::open(common.db, options->read_only ? core::Registry::mode::read_only
                                                                                 : core::Registry::mode::read_write);
        registry.set_record_cache(*record_cache);
        http::serve(registry, *options, [](const std::string& url) {
            std::cout << "Enlace serving " << url << std::endl; // flushed: scripts wait for this line
        });
    });
}

} // namespace enlace::cli
