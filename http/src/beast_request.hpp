#pragma once
// What the server reads of a request: the parser's limits, and the Beast request mapped into the
// handler's Request. Shared by the server and the request-head fuzz target (fuzz/fuzz_http_head.cpp),
// so that the target reads exactly what the server reads.
#include "enlace/http/handler.hpp"

#include <boost/beast/http.hpp>

#include <cstddef>
#include <string>

namespace enlace::http::detail {

inline constexpr std::size_t header_limit = 8 * 1024;  // past it: 431
inline constexpr std::size_t body_limit = 1024 * 1024; // past it: 413

/// Where a trusted reverse proxy names the client (forwarded_client.hpp).
inline constexpr const char* forwarded_for_header = "X-Forwarded-For";

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

/// The handler's request of a parsed Beast request from `client` (the peer's address).
inline Request request_from(const BeastRequest& req, std::string client) {
    namespace bhttp = boost::beast::http;
    return Request{std::string(req.method_string()),
                   std::string(req.target()),
                   std::string(req[bhttp::field::host]),
                   std::string(req[bhttp::field::accept]),
                   std::string(req[bhttp::field::origin]),
                   std::string(req[bhttp::field::if_none_match]),
                   std::string(req[bhttp::field::access_control_request_method]),
                   std::string(req[bhttp::field::authorization]),
                   std::string(req[bhttp::field::if_match]),
                   std::string(req[bhttp::field::content_type]),
                   req.body(),
                   std::move(client),
                   std::string(req[bhttp::field::accept_encoding]),
                   std::string(req[bhttp::field::accept_language])};
}

} // namespace enlace::http::detail
