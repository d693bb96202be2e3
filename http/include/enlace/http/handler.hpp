#pragma once
// The pure HTTP handler: a request in, a response out, over the core. No sockets and no Beast
// types here, so tests call it directly and most files compile without Beast.
#include "enlace/core/registry.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace enlace::http {

struct Request {
    std::string method = "GET";
    std::string target;  // path and query string, as sent ("/api/v1/services?country=SV")
    std::string host;    // the Host header, used for absolute links when no public URL is set
    std::string accept;  // the Accept header
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Cache-Control, ...)

    /// The value of an extra header, or empty.
    std::string header(std::string_view name) const;
};

/// Server settings the handler needs.
struct Config {
    std::string public_url;   // e.g. "https://enlace.example.org" (no trailing slash); empty: from Host
    std::string cors_origin;  // Access-Control-Allow-Origin value; empty: no CORS header
};

/// What one request is answered with: one registry connection (of the calling thread) and config.
struct Context {
    core::Registry& registry;
    const Config& config;
};

/// Answers one request. Never throws: errors become application/problem+json responses.
Response handle(const Request& request, Context& context);

} // namespace enlace::http
