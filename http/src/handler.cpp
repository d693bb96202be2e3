// The router: splits the target, checks the method and Host, dispatches by path, and adds the
// manners every response needs (ETag / 304, caching, CORS, 406; see manners.cpp).
#include "enlace/http/handler.hpp"

#include "endpoints.hpp"
#include "manners.hpp"
#include "problem.hpp"

#include "enlace/core/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>
#include <vector>

namespace enlace::http {
namespace detail {
namespace {

std::vector<std::string> segments(std::string_view path) {
    std::vector<std::string> out;
    while (!path.empty()) {
        const auto slash = path.find('/');
        auto part = path.substr(0, slash);
        if (!part.empty()) out.emplace_back(url_decode(part, "path"));
        if (slash == std::string_view::npos) break;
        path = path.substr(slash + 1);
    }
    return out;
}

/// A Host header is echoed into links: only host names, IPv4/IPv6 literals and a port pass.
bool plausible_host(const std::string& host) {
    if (host.empty() || host.size() > 255) return false;
    for (unsigned char c : host)
        if (!(std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']')) return false;
    return true;
}

std::string base_url(const Request& request, const Config& config) {
    if (!config.public_url.empty()) {
        auto url = config.public_url;
        while (!url.empty() && url.back() == '/')
            url.pop_back();
        return url;
    }
    if (!plausible_host(request.host)) throw core::query_error("Host", "header is missing or malformed");
    return "http://" + request.host;
}

std::optional<core::RecordKind> kind_of_collection(const std::string& segment) {
    if (segment == "services") return core::RecordKind::service;
    if (segment == "actors") return core::RecordKind::actor;
    if (segment == "practices") return core::RecordKind::practice;
    return std::nullopt;
}

/// A method the resource does not take: 405 naming those it does.
[[noreturn]] void refuse_method(const std::string& allowed) { throw method_not_allowed(allowed); }

const std::string reads = "GET, HEAD, OPTIONS";

bool is_action(const std::string& segment) {
    for (const auto* action : {"submit", "withdraw", "request-changes", "approve", "archive", "restore", "verify"})
        if (segment == action) return true;
    return false;
}

/// The write and review API: /api/v1/{kind}[/{id}[/{action}|/history|/revisions[/{rev}/{action}]]].
std::optional<Response> route_records(Call& call, const std::vector<std::string>& seg, core::RecordKind kind) {
    const auto& method = call.request.method;
    const bool get = method == "GET" || method == "HEAD";
    const auto n = seg.size();
    if (n == 3) {
        if (method == "POST") return rest_create(call, kind);
        if (!get) refuse_method("GET, HEAD, POST, OPTIONS");
        return std::nullopt;
    }
    const auto id = parse_id(seg[3]);
    if (n == 4) {
        if (method == "PUT") return rest_change(call, kind, id, false);
        if (method == "PATCH") return rest_change(call, kind, id, true);
        if (method == "DELETE") return rest_delete(call, kind, id);
        if (!get) refuse_method("GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
        return std::nullopt;
    }
    if (n == 5 && (seg[4] == "history" || seg[4] == "revisions")) {
        if (!get) refuse_method(reads);
        return seg[4] == "history" ? rest_history(call, kind, id) : rest_revisions(call, kind, id);
    }
    if (n == 5 && kind == core::RecordKind::service && seg[4] == "reports") {
        if (method != "POST") refuse_method("POST, OPTIONS");
        return rest_file_report(call, id);
    }
    if (n == 5 && is_action(seg[4])) {
        if (method != "POST") refuse_method("POST, OPTIONS");
        return rest_record_action(call, kind, id, seg[4]);
    }
    if (n == 7 && seg[4] == "revisions") {
        if (method != "POST") refuse_method("POST, OPTIONS");
        return rest_revision_action(call, kind, id, parse_id(seg[5]), seg[6]);
    }
    throw core::not_found("no resource at " + call.path);
}

Response route(Call& call, const std::vector<std::string>& seg) {
    const auto n = seg.size();
    auto is = [&](std::size_t i, std::string_view s) { return n > i && seg[i] == s; };
    const auto& method = call.request.method;
    const bool get = method == "GET" || method == "HEAD";
    if (n == 1 && is(0, "healthz")) {
        if (!get) refuse_method(reads);
        return rest_healthz(call);
    }
    if (n == 1 && is(0, "readyz")) {
        if (!get) refuse_method(reads);
        return rest_readyz(call);
    }
    if (is(0, "api") && is(1, "v1") && n >= 3) {
        if (is(2, "reports")) return route_reports(call, seg);
        if (is(2, "plan")) return route_plan(call, seg);
        if (const auto kind = kind_of_collection(seg[2]); kind && n >= 3) {
            if (auto written = route_records(call, seg, *kind)) return std::move(*written);
        } else if (!get) {
            refuse_method(reads);
        }
        if (n == 3 && is(2, "services")) return rest_services(call);
        if (n == 4 && is(2, "services")) return rest_service(call, parse_id(seg[3]));
        if (n == 3 && is(2, "taxonomy")) return rest_taxonomy(call);
        if (n == 3 && is(2, "countries")) return rest_countries(call);
        if (n == 5 && is(2, "countries") && is(4, "bundle")) return rest_country_bundle(call, seg[3]);
        if (n == 3 && is(2, "stats")) return rest_stats(call);
        if (n == 3 && is(2, "export")) return rest_export(call);
        if (n == 3 && is(2, "report")) return rest_report(call);
        if (n == 3 && is(2, "places")) return rest_places(call);
        if (n == 3 && is(2, "actors")) return rest_actors(call);
        if (n == 4 && is(2, "actors")) return rest_actor(call, parse_id(seg[3]));
        if (n == 3 && is(2, "practices")) return rest_practices(call);
        if (n == 4 && is(2, "practices")) return rest_practice(call, parse_id(seg[3]));
        if (n == 3 && is(2, "review")) return rest_review_queue(call);
        if (n == 3 && is(2, "me")) return rest_me(call);
        if (n == 3 && is(2, "stale")) return rest_stale(call);
    }
    if (is(0, "ogcapi") && n >= 4 && is(1, "collections") && is(2, "services") && is(3, "items") && !get) {
        if (n == 4 && method == "POST") return rest_create(call, core::RecordKind::service, true);
        if (n == 5 && method == "PUT")
            return rest_change(call, core::RecordKind::service, parse_id(seg[4]), false, true);
        if (n == 5 && method == "PATCH") return rest_change(call, core::RecordKind::service, parse_id(seg[4]), true);
        if (n == 5 && method == "DELETE") return rest_delete(call, core::RecordKind::service, parse_id(seg[4]));
        refuse_method(n == 4 ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
    }
    if (!get) refuse_method(reads);
    if (n == 2 && is(0, "api") && is(1, "openapi.json")) return rest_openapi(call);
    if (is(0, "ogcapi")) {
        if (n == 1) return ogc_landing(call);
        if (n == 2 && is(1, "conformance")) return ogc_conformance(call);
        if (n == 2 && is(1, "api")) return ogc_api(call);
        if (n == 2 && is(1, "api.html")) return ogc_api_html(call);
        if (n == 2 && is(1, "collections")) return ogc_collections(call);
        if (n == 3 && is(1, "collections")) return ogc_collection(call, seg[2]);
        if (n == 4 && is(1, "collections") && is(3, "items")) return ogc_items(call, seg[2]);
        if (n == 5 && is(1, "collections") && is(3, "items")) return ogc_item(call, seg[2], seg[4]);
    }
    if (is(0, "tiles")) {
        if (n == 2 && is(1, "services.json")) return tile_json(call);
        if (n == 5 && is(1, "services")) return tile_services(call, seg[2], seg[3], seg[4]);
        throw core::not_found("no resource at " + call.path);
    }
    if (!is(0, "api") && !is(0, "ogcapi")) return web_asset(call);
    throw core::not_found("no resource at " + call.path);
}

} // namespace

void require_revision(Params& params, const core::Registry& registry) {
    const auto wanted_text = params.take("min_revision");
    if (!wanted_text) return;
    long long wanted = -1;
    const auto* end = wanted_text->data() + wanted_text->size();
    if (std::from_chars(wanted_text->data(), end, wanted).ptr != end || wanted < 0)
        throw core::query_error("min_revision", "must be a whole number of 0 or more (a write's Enlace-Revision)");
    // A fresh snapshot of the one registry the servers share, which also brings this process to
    // it: a page read at the revision followed is then at least there. A revision a write
    // returned is reached at once; one not reached has not been committed: no use waiting.
    if (const auto reached = registry.revision(); reached < wanted)
        throw revision_not_reached("the registry is at revision " + std::to_string(reached) + ", not yet " +
                                   *wanted_text);
}

Response json_response(const nlohmann::json& body, const std::string& content_type) {
    // Invalid UTF-8 an endpoint echoes from the request becomes U+FFFD instead of an exception.
    return text_response(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), content_type);
}

std::string utc_now() {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

Response text_response(std::string body, const std::string& content_type) {
    Response response;
    response.content_type = content_type;
    response.body = std::move(body);
    return response;
}

std::int64_t parse_id(const std::string& segment) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), id);
    if (ec != std::errc() || end != segment.data() + segment.size() || id < 1)
        throw core::not_found("no record with id '" + segment + "'");
    return id;
}

} // namespace detail

std::string Response::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key == name) return value;
    return {};
}

std::string loggable_path(std::string_view target) {
    const auto path = target.substr(0, target.find('?'));
    if (path.starts_with("/tiles/") && !path.ends_with(".json")) {
        const auto kind_end = path.find('/', 7);
        return std::string(path.substr(0, kind_end)) + (kind_end == std::string_view::npos ? "" : "/{z}/{x}/{y}");
    }
    return std::string(path);
}

Response handle(const Request& request, Context& context) {
    const std::string_view target = request.target;
    const auto question = target.find('?');
    const std::string path(target.substr(0, question));
    const auto query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

    if (request.method == "OPTIONS") return detail::options_response(request, context.config);
    Response response;
    const bool known_method = request.method == "GET" || request.method == "HEAD" || request.method == "POST" ||
                              request.method == "PUT" || request.method == "PATCH" || request.method == "DELETE";
    if (request.target.size() > max_target_length) {
        response = detail::problem(414, "URI too long",
                                   "the request target is longer than " + std::to_string(max_target_length) + " bytes");
    } else if (!known_method) {
        response = detail::problem(405, "Method not allowed",
                                   "this server answers GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS");
        response.headers.emplace_back("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    } else {
        try {
            detail::Call call{request,
                              context,
                              path,
                              detail::Params::parse(query),
                              detail::base_url(request, context.config),
                              core::Caller::anyone()};
            call.caller = detail::caller_of(request, context);
            detail::require_revision(call.params, context.registry);
            response = detail::route(call, detail::segments(path));
        } catch (const detail::method_not_allowed& e) {
            response = detail::problem(405, "Method not allowed", "this resource answers " + std::string(e.what()));
            response.headers.emplace_back("Allow", e.what());
        } catch (...) {
            response = detail::current_exception_response(path);
        }
    }
    detail::apply_manners(request, detail::mentions_position(query), context.config, response);
    // What a token may change: kept by no shared cache, and never answered from one for another caller.
    if (!request.authorization.empty()) {
        std::erase_if(response.headers, [](const auto& h) { return h.first == "Cache-Control"; });
        response.headers.emplace_back("Cache-Control", "private, no-store");
    }
    if (path.rfind("/api/", 0) == 0 || path.rfind("/ogcapi", 0) == 0) detail::add_vary(response, "Authorization");
    return response;
}

} // namespace enlace::http
