#pragma once
// The web map's offline shell (docs/web.md "Offline"): its service worker and the list of files
// the worker keeps, both made for the current asset tag.
#include "enlace/http/handler.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace enlace::http::detail {

/// A file of the page or of a vendor folder by its URL path (web_assets.cpp).
std::optional<Response> find_asset(const std::filesystem::path& root, const std::string& path);

/// /sw.js with the tag written in: a new tag is a new worker (the browser compares its bytes),
/// which precaches that tag's files and drops the old ones. Revalidated on every check.
Response service_worker(const std::filesystem::path& root, const std::string& tag);

/// /offline-assets.json: {"tag", "assets": [versioned URLs of every file the page loads]}.
Response offline_assets(const std::filesystem::path& root, const std::string& tag);

} // namespace enlace::http::detail
