#pragma once
// HTTP manners around the endpoints: content negotiation (406), validators (ETag, 304), caching
// and CORS. Pure functions over Request/Response, applied by the router.
#include "enlace/http/handler.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace enlace::http::detail {

/// A 64-bit hash of the bytes, for ETags.
std::uint64_t body_hash(std::string_view bytes);

/// The strong validator of a body: the quoted hex FNV-1a hash.
std::string etag_of(std::string_view body);

/// True when an If-None-Match value (a list of entity tags or "*") matches `etag` (weak comparison,
/// as RFC 9110 prescribes for If-None-Match).
bool none_match_hits(std::string_view if_none_match, std::string_view etag);

/// True when an Accept value admits `content_type` (no Accept, */*, type/*, the type itself, or
/// application/json for any application/...+json); a range with q=0 excludes.
bool accepts(std::string_view accept, std::string_view content_type);

/// The allowed origin to echo for `origin`, given the configured list ("a,b" or "*"); empty when
/// CORS is off or the origin is not listed.
std::string allowed_origin(std::string_view configured, std::string_view origin);

/// Adds `token` to the response's Vary header (one header, comma-separated).
void add_vary(Response& response, std::string_view token);

/// Applies the manners to a routed response: 406, ETag / 304 and Cache-Control for reads (no-store
/// when the query names a position; an endpoint's own Cache-Control is kept), the content coding,
/// CORS headers.
void apply_manners(const Request& request, bool names_position, const Config& config, Response& response);

/// The answer to OPTIONS: a CORS preflight (204 with Allow-Methods and Allow-Headers) when the
/// origin is allowed, else a plain 204 with Allow.
Response options_response(const Request& request, const Config& config);

} // namespace enlace::http::detail
