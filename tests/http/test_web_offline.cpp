// The web map's offline shell (http/src/web_offline.cpp): the service worker made for the current
// asset tag, the list of files it precaches, and the web app manifest, from the real web root.
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <regex>

using enlace::test::body;
using enlace::test::DemoHandler;

TEST_CASE("web: /sw.js carries the current asset tag, is revalidated on every check, and keeps out of the API") {
    DemoHandler h;
    const auto sw = h.get("/sw.js");
    REQUIRE(sw.status == 200);
    CHECK(sw.content_type == "text/javascript; charset=utf-8");
    CHECK(sw.header("Cache-Control") == "no-cache");
    CHECK(sw.body.find("__ENLACE_ASSET_TAG__") == std::string::npos);
    std::smatch m;
    REQUIRE(std::regex_search(sw.body, m, std::regex("const TAG = '([0-9a-f]{12})'")));
    const auto tag = m[1].str();
    // The page names its assets under the same tag.
    CHECK(h.get("/").body.find("/v/" + tag + "/js/app.js") != std::string::npos);
    // Never an API answer: the worker leaves /api, /ogcapi and /tiles to the network.
    CHECK(sw.body.find("(api|ogcapi|tiles)") != std::string::npos);

    const auto list = h.get("/offline-assets.json");
    REQUIRE(list.status == 200);
    CHECK(list.header("Cache-Control") == "no-cache");
    const auto doc = body(list);
    CHECK(doc["tag"] == tag);
    std::vector<std::string> assets = doc["assets"];
    for (const auto* wanted :
         {"/js/app.js", "/js/offline.js", "/js/offline_answer.js", "/css/app.css", "/i18n/fr.json", "/favicon.svg",
          "/manifest.webmanifest", "/vendor/leaflet/leaflet.js", "/vendor/world-atlas/countries-110m.json"}) {
        INFO(wanted);
        CHECK(std::find(assets.begin(), assets.end(), "/v/" + tag + wanted) != assets.end());
    }
    for (const auto& url : assets) {
        INFO(url);
        CHECK(url.rfind("/v/" + tag + "/", 0) == 0);
        CHECK(url.find("sw.js") == std::string::npos);
        CHECK(url.find("package") == std::string::npos);
        const auto r = h.get(url);
        CHECK(r.status == 200);
        CHECK(r.header("Cache-Control") == "public, max-age=31536000, immutable");
    }
}

TEST_CASE("web: the page links an installable web app manifest") {
    DemoHandler h;
    const auto page = h.get("/");
    CHECK(std::regex_search(page.body,
                            std::regex("<link rel=\"manifest\" href=\"/v/[0-9a-f]{12}/manifest.webmanifest\">")));
    const auto r = h.get("/manifest.webmanifest");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/manifest+json");
    const auto doc = body(r);
    CHECK(doc["start_url"] == "/");
    CHECK(doc["scope"] == "/");
    CHECK(doc["display"] == "standalone");
    CHECK(doc["short_name"] == "Enlace");
    CHECK(doc["theme_color"] == "#0b5394");
    REQUIRE_FALSE(doc["icons"].empty());
    for (const auto& icon : doc["icons"])
        CHECK(h.get(icon["src"].get<std::string>()).status == 200);
}
