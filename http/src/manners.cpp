#include "manners.hpp"

#include "compression.hpp"
#include "problem.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>

namespace enlace::http::detail {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Calls f(item) for each comma-separated, trimmed, non-empty item.
template <class F> void for_each_item(std::string_view list, F&& f) {
    while (true) {
        const auto comma = list.find(',');
        const auto item = trim(list.substr(0, comma));
        if (!item.empty()) f(item);
        if (comma == std::string_view::npos) return;
        list.remove_prefix(comma + 1);
    }
}

/// The media type without parameters, lower case ("application/geo+json").
std::string bare_type(std::string_view media) { return lower(trim(media.substr(0, media.find(';')))); }

/// The q value of a media range (1 when absent or unreadable).
double quality(std::string_view range) {
    auto rest = range;
    while (true) {
        const auto semi = rest.find(';');
        if (semi == std::string_view::npos) return 1.0;
        rest.remove_prefix(semi + 1);
        const auto param = trim(rest.substr(0, rest.find(';')));
        if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
            return std::strtod(std::string(param.substr(2)).c_str(), nullptr);
    }
}

bool range_matches(const std::string& range, const std::string& type) {
    if (range == "*/*" || range == type) return true;
    const auto slash = type.find('/');
    if (range.size() > 2 && range.ends_with("/*")) return type.compare(0, slash + 1, range, 0, range.size() - 1) == 0;
    // A client asking for JSON can read any JSON-based type (GeoJSON, problem+json, OpenAPI).
    return range == "application/json" && type.starts_with("application/") && type.ends_with("+json");
}

} // namespace

std::uint64_t body_hash(std::string_view bytes) {
    // libstdc++'s hash of bytes (MurmurHash2, fixed seed) reads eight bytes a step: a feature
    // page is tens of kilobytes, hashed on every answer. Stable for a given build.
    return std::hash<std::string_view>{}(bytes);
}

std::string etag_of(std::string_view body) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string tag(18, '"');
    auto hash = body_hash(body);
    for (int i = 16; i >= 1; --i, hash >>= 4)
        tag[static_cast<std::size_t>(i)] = hex[hash & 0xf];
    return tag;
}

bool none_match_hits(std::string_view if_none_match, std::string_view etag) {
    bool hit = false;
    for_each_item(if_none_match, [&](std::string_view tag) {
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        hit = hit || tag == "*" || tag == etag;
    });
    return hit;
}

bool accepts(std::string_view accept, std::string_view content_type) {
    if (trim(accept).empty()) return true;
    const auto type = bare_type(content_type);
    bool ok = false;
    for_each_item(accept, [&](std::string_view range) {
        ok = ok || (quality(range) > 0 && range_matches(bare_type(range), type));
    });
    return ok;
}

std::string allowed_origin(std::string_view configured, std::string_view origin) {
    std::string allowed;
    for_each_item(configured, [&](std::string_view item) {
        if (item == "*")
            allowed.assign(1, '*'); // not = "*": GCC 12 warns falsely (-Wrestrict) on that
        else if (allowed.empty() && !origin.empty() && item == origin)
            allowed = std::string(origin);
    });
    return allowed;
}

void add_vary(Response& response, std::string_view token) {
    for (auto& [name, value] : response.headers)
        if (name == "Vary") {
            value += ", ";
            value += token;
            return;
        }
    response.headers.emplace_back("Vary", std::string(token));
}

namespace {

/// The coding this response goes out in: none for small or already compressed bodies.
Encoding coding_for(const Request& request, Response& response) {
    if (response.body.empty() || !compressible(response.content_type)) return Encoding::identity;
    add_vary(response, "Accept-Encoding"); // the answer depends on it, whichever coding is chosen
    if (response.body.size() < min_compressed_size) return Encoding::identity;
    const auto& ready = response.precompressed;
    return negotiate_encoding(request.accept_encoding, ready && !ready->brotli.empty());
}

/// Replaces the body by its `encoding` form: made ahead when the endpoint has it, else gzip now
/// (level 5 up to a megabyte, then 1: an export of 100 MB must not cost seconds of CPU).
void encode_body(Encoding encoding, Response& response) {
    const auto& ready = response.precompressed;
    if (encoding == Encoding::brotli)
        response.body = ready->brotli;
    else if (ready && !ready->gzip.empty())
        response.body = ready->gzip;
    else
        response.body = gzip_compress(response.body, response.body.size() <= 1024 * 1024 ? 5 : 1);
    response.precompressed.reset();
    response.headers.emplace_back("Content-Encoding", std::string(encoding_token(encoding)));
}

/// A compressed body is another representation: its ETag is weak (as nginx makes it), which
/// If-None-Match compares weakly and If-Match, reading versions, ignores.
void weaken_etag(Response& response) {
    for (auto& [name, value] : response.headers)
        if (name == "ETag" && !value.starts_with("W/")) value.insert(0, "W/");
}

bool has_header(const Response& response, std::string_view name) {
    for (const auto& header : response.headers)
        if (header.first == name) return true;
    return false;
}

} // namespace

void apply_manners(const Request& request, bool names_position, const Config& config, Response& response) {
    // 204 carries no representation, so there is nothing for Accept to exclude (a page's DELETE
    // sends Accept: application/json and must get its 204).
    if (response.status >= 200 && response.status < 300 && response.status != 204 &&
        !accepts(request.accept, response.content_type)) {
        const auto produced = bare_type(response.content_type);
        response = problem(406, "Not acceptable", "this resource is served as " + produced + ", which Accept excludes");
    }
    const auto encoding = coding_for(request, response);
    if (response.status == 200) {
        // A record's own ETag is its version (set by its endpoint); anything else, its bytes.
        auto etag = response.header("ETag");
        if (etag.empty()) {
            etag = etag_of(response.body);
            response.headers.emplace_back("ETag", etag);
        }
        if (names_position) std::erase_if(response.headers, [](const auto& h) { return h.first == "Cache-Control"; });
        if (names_position || !has_header(response, "Cache-Control"))
            response.headers.emplace_back("Cache-Control", names_position ? "no-store" : "public, max-age=60");
        if (!request.if_none_match.empty() && none_match_hits(request.if_none_match, etag)) {
            response.status = 304;
            response.body.clear();
            response.precompressed.reset();
        }
    } else if (names_position) {
        response.headers.emplace_back("Cache-Control", "no-store");
    }
    if (encoding != Encoding::identity) {
        weaken_etag(response); // a 304 too: it names the tag the client holds, the compressed one's
        if (!response.body.empty()) encode_body(encoding, response);
    }
    if (config.cors_origin.empty()) return;
    const auto origin = allowed_origin(config.cors_origin, request.origin);
    if (!origin.empty()) response.headers.emplace_back("Access-Control-Allow-Origin", origin);
    if (origin != "*") add_vary(response, "Origin");
}

Response options_response(const Request& request, const Config& config) {
    Response response;
    response.status = 204;
    response.content_type.clear();
    response.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
    if (config.cors_origin.empty()) return response;
    const auto origin = allowed_origin(config.cors_origin, request.origin);
    if (origin != "*") response.headers.emplace_back("Vary", "Origin");
    if (origin.empty() || request.origin.empty()) return response;
    response.headers.emplace_back("Access-Control-Allow-Origin", origin);
    response.headers.emplace_back("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    response.headers.emplace_back("Access-Control-Allow-Headers",
                                  "Accept, Accept-Language, If-None-Match, If-Match, Authorization, Content-Type");
    response.headers.emplace_back("Access-Control-Expose-Headers", "ETag, Location, Enlace-Revision");
    response.headers.emplace_back("Access-Control-Max-Age", "600");
    return response;
}

} // namespace enlace::http::detail
