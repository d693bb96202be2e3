// GET /api/v1/report: the compiled report of published good practices (docs/report.md), in the
// public view whoever asks, as HTML (the default) or PDF. One renders at a time: a request that
// finds another rendering gets 503 with Retry-After at once, rather than holding a server thread
// for the seconds the other takes.
#include "endpoints.hpp"
#include "problem.hpp"
#include "report_gate.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/report/report.hpp"

namespace enlace::http::detail {

std::mutex& report_gate() {
    static std::mutex gate;
    return gate;
}

Response rest_report(const Call& call) {
    call.params.require_known({"country", "axis", "lang", "format", "paper"});
    const auto format = call.params.has("format") ? call.params.get("format") : "html";
    if (format != "html" && format != "pdf") throw core::query_error("format", "must be html or pdf");
    const auto options =
        report::parse_options(call.context.registry.reference(), call.params.get("country"), call.params.get("axis"),
                              call.params.get("lang"), call.params.get("paper"));

    std::unique_lock gate(report_gate(), std::try_to_lock);
    if (!gate.owns_lock()) {
        auto busy = problem(503, "Report in progress",
                            "another report is being rendered; one renders at a time: try again in " +
                                std::to_string(report_retry_after_s) + " s");
        busy.headers.emplace_back("Retry-After", std::to_string(report_retry_after_s));
        return busy;
    }
    const auto compiled = report::Report::collect(call.context.registry, options);
    Response response;
    if (format == "pdf") {
        response.content_type = "application/pdf";
        response.body = compiled.pdf();
        response.headers.emplace_back("Content-Disposition", "inline; filename=\"enlace-report.pdf\"");
    } else {
        response.content_type = "text/html; charset=utf-8";
        response.body = compiled.html();
        response.headers.emplace_back("Content-Security-Policy", report::content_security_policy());
    }
    return response;
}

} // namespace enlace::http::detail
