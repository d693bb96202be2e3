// Raw bytes through Boost.Beast's request parser with the server's limits (http/src/beast_request.hpp),
// then, when a request parsed, the server's own mapping into http::Request and the handler over a
// demo registry. "Authorization: @editor" or "@reviewer" stands for that user's token.
#include "beast_request.hpp"
#include "http_support.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace {

namespace bhttp = boost::beast::http;
enlace::fuzz::DemoServer* server = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    static enlace::fuzz::DemoServer demo;
    server = &demo;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(enlace::http::detail::header_limit);
    parser.body_limit(enlace::http::detail::body_limit);
    parser.eager(true);
    boost::beast::error_code ec;
    // As the socket would deliver them: the input in as many puts as the parser asks for, then
    // its end (the server closes without a reply when nothing came at all).
    std::size_t used = 0;
    bool starved = false; // the parser asked for more: none comes, as when the client closes
    while (!ec && !parser.is_done() && used < size) {
        const auto n = parser.put(boost::asio::buffer(data + used, size - used), ec);
        used += n;
        if (ec == bhttp::error::need_more) {
            ec = {};
            starved = true;
            break;
        }
        if (n == 0) break;
    }
    if (used == size) starved = true;
    if (starved && !ec && !parser.is_done() && parser.got_some()) parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0; // 400, 413 or 431 from the server; nothing for the handler
    auto request = enlace::http::detail::request_from(parser.get(), "192.0.2.1");
    request.authorization = server->authorization(request.authorization);
    enlace::fuzz::check_response(request, server->send(request));
    return 0;
}
