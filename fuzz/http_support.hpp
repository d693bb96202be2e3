#pragma once
// What the two HTTP fuzz targets share: the handler over a demo registry with two users made once,
// and the checks every response must pass.
#include "fuzz_support.hpp"

#include "enlace/core/access.hpp"
#include "enlace/core/accounts.hpp"
#include "enlace/http/handler.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace enlace::fuzz {

/// The demo registry, an editor and a reviewer of GT and SV. An input names them in its
/// Authorization header as "@editor" or "@reviewer" (their tokens are random, made at start).
class DemoServer {
  public:
    DemoServer() {
        const auto holder = core::Caller::holder("fuzz");
        m_editor = "Bearer " + m_demo.registry.add_user(holder, "fuzz_editor", core::Role::editor, {"GT", "SV"}).token;
        m_reviewer =
            "Bearer " + m_demo.registry.add_user(holder, "fuzz_reviewer", core::Role::reviewer, {"GT", "SV"}).token;
    }

    /// The Authorization header an input's value stands for.
    std::string authorization(std::string_view value) const {
        if (value == "@editor") return m_editor;
        if (value == "@reviewer") return m_reviewer;
        return std::string(value);
    }

    http::Response send(const http::Request& request) {
        http::Context context{m_demo.registry, m_config};
        return http::handle(request, context);
    }

  private:
    DemoRegistry m_demo;
    http::Config m_config;
    std::string m_editor, m_reviewer;
};

/// A response to any input: a status from 200 to 599 and never 500 (client input is never the
/// server's fault), no body for 204 and 304, and JSON that parses wherever the type says JSON.
inline void check_response(const http::Request& request, const http::Response& response) {
    const auto what = request.method + " " + request.target + "\n" + request.body + "\n-> " +
                      std::to_string(response.status) + " " + response.body.substr(0, 2000);
    if (response.status < 200 || response.status > 599) finding("a status outside 200-599", what);
    if (response.status == 500) finding("a 500 for client input", what);
    if ((response.status == 204 || response.status == 304) && !response.body.empty())
        finding("a body on a 204 or 304", what);
    const auto type = std::string_view(response.content_type).substr(0, response.content_type.find(';'));
    const bool json_type = type.ends_with("/json") || type.ends_with("+json");
    if (json_type && !response.body.empty() && response.header("Content-Encoding").empty() &&
        !nlohmann::json::accept(response.body))
        finding("a JSON response that does not parse", what);
}

} // namespace enlace::fuzz
