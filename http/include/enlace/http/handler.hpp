#pragma once
// The pure HTTP handler: a request in, a response out, over the core. No sockets and no Beast
// types here, so tests call it directly and most files compile without Beast.
#include "enlace/core/registry.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace enlace::http {

struct Request {
    std::string method = "GET";
    std::string target;                        // path and query string, as sent ("/api/v1/services?country=SV")
    std::string host;                          // the Host header, used for absolute links when no public URL is set
    std::string accept;                        // the Accept header
    std::string origin;                        // the Origin header (CORS)
    std::string if_none_match;                 // the If-None-Match header (conditional GET)
    std::string access_control_request_method; // set on a CORS preflight (OPTIONS)
    std::string authorization;                 // the Authorization header ("Bearer enl_..."): never logged
    std::string if_match;                      // the If-Match header (a write's version: "v3")
    std::string content_type;                  // of the body
    std::string body;                          // a write's body (the server bounds its size)
    std::string client;                        // the peer's address, for throttling sign-ins and reports; never logged
    std::string accept_encoding;               // the Accept-Encoding header (gzip, br)
    std::string accept_language;               // the Accept-Language header: which dictionary the page hints
};

/// A body's compressed forms, made ahead for static files (empty: make gzip on the fly, no Brotli).
struct Precompressed {
    std::string gzip;
    std::string brotli;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // extra headers (Cache-Control, ...)
    std::shared_ptr<const Precompressed> precompressed;       // the body's forms, when made ahead

    /// The value of an extra header, or empty.
    std::string header(std::string_view name) const;
};

/// Server settings the handler needs.
struct Config {
    std::string public_url;     // e.g. "https://enlace.example.org" (no trailing slash); empty: from Host
    std::string cors_origin;    // origins allowed by CORS, comma-separated, or "*"; empty: no CORS headers
    std::string tile_url;       // web map tile layer URL template; empty: offline outlines only (no third party)
    int map_tiles_above = 5000; // the web map draws more matches than this as vector tiles
    std::string web_root;       // the web map's files; empty: <program's folder>/../share/enlace/web
};

/// The folder the web map is served from: config.web_root, or ../share/enlace/web beside the
/// program (installed, or in the build tree, where it links to http/web).
std::string web_root_of(const Config& config);

/// The longest request target (path and query) answered; longer ones get 414.
inline constexpr std::size_t max_target_length = 4096;

/// What the access log may record of a request target: the path without the query (which may name
/// a position) and, for a tile, without its z/x/y (which says where someone looks).
std::string loggable_path(std::string_view target);

class AuthThrottle;
class ReportThrottle;

/// What one request is answered with: one registry connection (of the calling thread; writable
/// for writes and sign-ins), config, the failed-sign-in throttle and the problem-report throttle
/// every thread shares (none: no throttling).
struct Context {
    core::Registry& registry;
    const Config& config;
    AuthThrottle* throttle = nullptr;
    ReportThrottle* report_throttle = nullptr;
};

/// Answers one request (reads: GET, HEAD, OPTIONS; writes: POST, PUT, PATCH, DELETE with a bearer
/// token, docs/security.md). Never throws: errors become application/problem+json
/// responses. Adds ETag and Cache-Control to successful reads, answers If-None-Match with 304 and a
/// CORS preflight with 204, refuses with 406 when Accept excludes what the endpoint produces, and
/// compresses a compressible body with the coding Accept-Encoding prefers (Content-Encoding set,
/// ETag weakened, Vary: Accept-Encoding).
/// For HEAD the body is still filled in (the server sends its length, not the bytes).
Response handle(const Request& request, Context& context);

} // namespace enlace::http
