// The pure handler (http/include/enlace/http/handler.hpp) over a demo registry, on requests built
// from the input with a framing of its own (no HTTP parser in the way, so any method, target and
// header value reaches the handler):
//   METHOD TARGET\n            (up to the first space; no space: the whole line is the method, target "/")
//   Name: value\n ...          (host, accept, origin, if-none-match, access-control-request-method,
//                               authorization, if-match, content-type, accept-encoding,
//                               accept-language; others ignored; "authorization: @editor" or
//                               "@reviewer" stands for that user's token)
//   \n
//   body
// Every response passes check_response (http_support.hpp).
#include "http_support.hpp"

#include <cctype>
#include <memory>

namespace {

enlace::fuzz::DemoServer* server = nullptr;

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// The next line of `text` (without its '\n'), consumed; the rest when there is no '\n'.
std::string_view next_line(std::string_view& text) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    return line;
}

void set_header(enlace::http::Request& r, std::string_view name, std::string_view value) {
    const auto key = lower(name);
    std::string v(value);
    if (key == "host")
        r.host = v;
    else if (key == "accept")
        r.accept = v;
    else if (key == "origin")
        r.origin = v;
    else if (key == "if-none-match")
        r.if_none_match = v;
    else if (key == "access-control-request-method")
        r.access_control_request_method = v;
    else if (key == "authorization")
        r.authorization = server->authorization(value);
    else if (key == "if-match")
        r.if_match = v;
    else if (key == "content-type")
        r.content_type = v;
    else if (key == "accept-encoding")
        r.accept_encoding = v;
    else if (key == "accept-language")
        r.accept_language = v;
}

enlace::http::Request request_of(std::string_view text) {
    enlace::http::Request r;
    const auto first = next_line(text);
    const auto space = first.find(' ');
    r.method = std::string(first.substr(0, space));
    r.target = space == std::string_view::npos ? "/" : std::string(first.substr(space + 1));
    r.client = "192.0.2.1";
    while (!text.empty()) {
        const auto line = next_line(text);
        if (line.empty()) break;
        const auto colon = line.find(':');
        auto value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
        set_header(r, line.substr(0, colon), value);
    }
    r.body = std::string(text);
    return r;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    static enlace::fuzz::DemoServer demo;
    server = &demo;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto request = request_of(enlace::fuzz::text_of(data, size));
    enlace::fuzz::check_response(request, server->send(request));
    return 0;
}
