// The service worker and the list of what it precaches: the page's own files (walked, so a new
// module needs no edit here) and the vendor files the page loads, all under /v/<tag>/.
#include "web_offline.hpp"

#include "endpoints.hpp"

#include "enlace/core/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

namespace enlace::http::detail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view tag_placeholder = "__ENLACE_ASSET_TAG__";

/// The vendor files the page loads (map.js): Leaflet with its images, markercluster, the outlines.
/// Vector tiles need the network, so Leaflet.VectorGrid is not among them.
constexpr std::array<std::string_view, 11> vendor_files{{
    "/vendor/leaflet/leaflet.css",
    "/vendor/leaflet/leaflet.js",
    "/vendor/leaflet/images/layers.png",
    "/vendor/leaflet/images/layers-2x.png",
    "/vendor/leaflet/images/marker-icon.png",
    "/vendor/leaflet/images/marker-icon-2x.png",
    "/vendor/leaflet/images/marker-shadow.png",
    "/vendor/markercluster/MarkerCluster.css",
    "/vendor/markercluster/leaflet.markercluster.js",
    "/vendor/topojson-client/topojson-client.min.js",
    "/vendor/world-atlas/countries-110m.json",
}};

/// The page's own files: everything it serves but the page itself ("/" is precached as such),
/// the worker and the npm manifests.
std::vector<std::string> own_files(const fs::path& root) {
    static const std::array<std::string_view, 6> extensions{{".js", ".css", ".json", ".svg", ".png", ".webmanifest"}};
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name == "node_modules" || name.front() == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        std::error_code file_ec;
        if (!it->is_regular_file(file_ec)) continue;
        if (name == "sw.js" || name == "package.json" || name == "package-lock.json") continue;
        const auto ext = it->path().extension().string();
        if (std::find(extensions.begin(), extensions.end(), ext) == extensions.end()) continue;
        out.push_back("/" + it->path().lexically_relative(root).generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

Response service_worker(const fs::path& root, const std::string& tag) {
    auto found = find_asset(root, "/sw.js");
    if (!found) throw core::not_found("no resource at /sw.js");
    auto& body = found->body;
    for (auto at = body.find(tag_placeholder); at != std::string::npos; at = body.find(tag_placeholder, at))
        body.replace(at, tag_placeholder.size(), tag);
    found->precompressed.reset(); // the file's forms hold the placeholder
    found->headers.emplace_back("Cache-Control", "no-cache");
    return *found;
}

Response offline_assets(const fs::path& root, const std::string& tag) {
    nlohmann::json assets = nlohmann::json::array();
    for (const auto& file : own_files(root))
        assets.push_back("/v/" + tag + file);
    for (const auto file : vendor_files)
        if (find_asset(root, std::string(file))) assets.push_back("/v/" + tag + std::string(file));
    auto response = json_response({{"tag", tag}, {"assets", std::move(assets)}});
    response.headers.emplace_back("Cache-Control", "no-cache");
    return response;
}

} // namespace enlace::http::detail
