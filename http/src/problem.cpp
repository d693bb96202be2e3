#include "problem.hpp"

#include "enlace/core/errors.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>

namespace enlace::http::detail {

Response problem(int status, const std::string& title, const std::string& detail, const std::string& parameter) {
    nlohmann::json body{{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
    if (!parameter.empty()) body["parameter"] = parameter;
    Response response;
    response.status = status;
    response.content_type = "application/problem+json";
    response.body = body.dump();
    return response;
}

Response current_exception_response(const std::string& path) {
    try {
        throw;
    } catch (const core::query_error& e) {
        return problem(400, "Bad request parameter", e.what(), e.parameter());
    } catch (const core::not_found& e) {
        return problem(404, "Not found", e.what());
    } catch (const std::exception& e) {
        // The detail may hold SQL or file paths: log it, never send it.
        std::fprintf(stderr, "enlace serve: error on %s: %s\n", path.c_str(), e.what());
        return problem(500, "Internal server error", "The server could not answer this request.");
    } catch (...) {
        std::fprintf(stderr, "enlace serve: unknown error on %s\n", path.c_str());
        return problem(500, "Internal server error", "The server could not answer this request.");
    }
}

} // namespace enlace::http::detail
