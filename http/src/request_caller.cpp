// Who sends a request: the public without an Authorization header, the token's user with one.
// A bad token is refused (401) rather than read as the public, so that a client learns its token
// stopped; failures count against the sending client only (never the account).
#include "endpoints.hpp"
#include "problem.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/http/auth_throttle.hpp"

#include <cctype>

namespace enlace::http::detail {

core::Caller caller_of(const Request& request, Context& context) {
    if (request.authorization.empty()) return core::Caller::anyone();
    if (context.throttle)
        if (const int wait = context.throttle->wait_seconds(request.client); wait > 0) throw too_many_attempts(wait);
    std::string_view header = request.authorization;
    constexpr std::string_view scheme = "bearer ";
    bool bearer = header.size() > scheme.size();
    for (std::size_t i = 0; bearer && i < scheme.size(); ++i)
        bearer = std::tolower(static_cast<unsigned char>(header[i])) == scheme[i];
    try {
        if (!bearer) throw core::unauthorized("the Authorization header must be 'Bearer TOKEN'");
        header.remove_prefix(scheme.size());
        while (!header.empty() && header.front() == ' ')
            header.remove_prefix(1);
        return context.registry.authenticate(header);
    } catch (const core::unauthorized&) {
        if (context.throttle) context.throttle->failed(request.client);
        throw;
    }
}

} // namespace enlace::http::detail
