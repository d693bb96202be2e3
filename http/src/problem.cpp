#include "problem.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/storage_full.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <exception>

namespace enlace::http::detail {
namespace {

/// A problem's JSON text. Its detail and parameter may echo the client's bytes, which need not be
/// UTF-8: those are written as U+FFFD rather than thrown out of the handler (found by fuzz_http_request).
std::string problem_text(const nlohmann::json& body) {
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

Response problem(int status, const std::string& title, const std::string& detail, const std::string& parameter) {
    nlohmann::json body{{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
    if (!parameter.empty()) body["parameter"] = parameter;
    Response response;
    response.status = status;
    response.content_type = "application/problem+json";
    response.body = problem_text(body);
    return response;
}

Response current_exception_response(const std::string& path) {
    try {
        throw;
    } catch (const core::query_error& e) {
        return problem(400, "Bad request parameter", e.what(), e.parameter());
    } catch (const core::not_found& e) {
        return problem(404, "Not found", e.what());
    } catch (const unsupported_media& e) {
        return problem(415, "Unsupported media type", e.what());
    } catch (const precondition_malformed& e) {
        return problem(412, "Precondition failed", e.what());
    } catch (const revision_not_reached& e) {
        auto response = problem(503, "Revision not reached", e.what(), "min_revision");
        response.headers.emplace_back("Retry-After", "1");
        return response;
    } catch (const too_many_attempts& e) {
        auto response = problem(429, e.title(), e.what());
        response.headers.emplace_back("Retry-After", std::to_string(e.retry_after()));
        return response;
    } catch (const core::unauthorized& e) {
        auto response = problem(401, "Unauthorized", e.what());
        response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"enlace\"");
        return response;
    } catch (const core::forbidden& e) {
        return problem(403, "Forbidden", e.what());
    } catch (const core::stale_version& e) {
        auto response = e.missing() ? problem(428, "Precondition required", e.what())
                                    : problem(412, "Precondition failed", e.what());
        response.headers.emplace_back("ETag", "\"v" + std::to_string(e.current()) + "\"");
        return response;
    } catch (const core::conflict& e) {
        auto response = problem(409, "Conflict", e.what());
        if (e.candidate() != 0) {
            auto body = nlohmann::json::parse(response.body);
            body["candidate"] = e.candidate();
            response.body = problem_text(body);
        }
        return response;
    } catch (const core::validation_error& e) {
        // Every bad member at once, each by its JSON path.
        auto body = nlohmann::json::parse(problem(422, "Unprocessable record", e.what()).body);
        nlohmann::json errors = nlohmann::json::array();
        for (const auto& issue : e.issues())
            errors.push_back({{"path", issue.field}, {"reason", issue.reason}});
        body["errors"] = std::move(errors);
        Response response;
        response.status = 422;
        response.content_type = "application/problem+json";
        response.body = problem_text(body);
        return response;
    } catch (const core::storage_full& e) {
        // The write was rolled back and reads go on; the file's path stays in the log.
        std::fprintf(stderr, "enlace serve: error on %s: %s\n", path.c_str(), e.what());
        return problem(507, "Insufficient storage",
                       e.system_errno() == EFBIG
                           ? "The registry's file reached the server's file size limit: nothing was changed."
                           : "The registry's disk is full: nothing was changed.");
    } catch (const core::store_unavailable& e) {
        // The database went away under the request (a restart, a failover): worth another try.
        std::fprintf(stderr, "enlace serve: error on %s: %s\n", path.c_str(), e.what());
        auto response = problem(503, "Registry unavailable", "The registry's database cannot be reached: try again.");
        response.headers.emplace_back("Retry-After", "1");
        return response;
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
