// The web map's static files: served from the web root with the right type, and nothing outside it
// (no "..", encoded or not, no absolute paths, NUL, dot-files, node_modules, or symlinks out).
#include "demo_handler.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using enlace::test::DemoHandler;
using enlace::test::ScratchDir;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

/// A web root with a page, a script, a vendor package, and secrets around it.
struct WebRoot {
    ScratchDir outside;
    fs::path root = outside.path() / "web";
    WebRoot() {
        write(root / "index.html", "<!doctype html><title>map</title>");
        write(root / "js/app.js", "console.log(1)");
        write(root / "css/app.css", "body{}");
        write(root / "i18n/es.json", "{}");
        write(root / ".env", "SECRET=1");
        write(root / "package.json", "{}");
        write(root / "notes.cpp", "int main(){}");
        write(root / "node_modules/leaflet/dist/leaflet.js", "L={}");
        write(root / "node_modules/leaflet/package.json", "{}");
        write(outside.path() / "secret.json", "{\"secret\":1}");
        fs::create_symlink(outside.path() / "secret.json", root / "link.json");
        fs::create_symlink(root / "js/app.js", root / "inside-link.js");
    }
};

} // namespace

TEST_CASE("web: the page and its files are served with their content types") {
    WebRoot web;
    DemoHandler h;
    h.config.web_root = web.root.string();

    const auto page = h.get("/");
    REQUIRE(page.status == 200);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.body.find("<title>map</title>") != std::string::npos);
    CHECK(page.header("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
    CHECK(page.header("Referrer-Policy") == "no-referrer");
    CHECK(!page.header("ETag").empty());

    CHECK(h.get("/index.html").status == 200);
    CHECK(h.get("/js/app.js").content_type == "text/javascript; charset=utf-8");
    CHECK(h.get("/css/app.css").content_type == "text/css; charset=utf-8");
    CHECK(h.get("/i18n/es.json").content_type == "application/json");
    CHECK(h.get("/inside-link.js").status == 200);

    const auto vendor = h.get("/vendor/leaflet/leaflet.js");
    REQUIRE(vendor.status == 200);
    CHECK(vendor.body == "L={}");
    CHECK(vendor.content_type == "text/javascript; charset=utf-8");
}

TEST_CASE("web: nothing outside the web root or the vendor folders is served") {
    WebRoot web;
    DemoHandler h;
    h.config.web_root = web.root.string();
    for (const char* target : {"/../secret.json",
                               "/%2e%2e/secret.json",
                               "/js/%2E%2E/%2e%2e/secret.json",
                               "/..%2fsecret.json",
                               "/js/..%5c..%5csecret.json",
                               "/%2fetc/passwd",
                               "//etc/passwd",
                               "/index.html%00.png",
                               "/.env",
                               "/js/.hidden.js",
                               "/link.json",
                               "/package.json",
                               "/node_modules/leaflet/dist/leaflet.js",
                               "/vendor/leaflet/../package.json",
                               "/vendor/leaflet/%2e%2e/package.json",
                               "/vendor/unknown/x.js",
                               "/notes.cpp",
                               "/missing.js",
                               "/js",
                               "/%zz"}) {
        INFO(target);
        const auto r = h.get(target);
        CHECK((r.status == 404 || r.status == 400));
        CHECK(r.body.find("SECRET") == std::string::npos);
        CHECK(r.body.find("secret\":1") == std::string::npos);
    }
}

TEST_CASE("web: /config.json tells the page its tile layer, none by default") {
    DemoHandler h;
    CHECK(enlace::test::body(h.get("/config.json"))["tile_url"].is_null());
    h.config.tile_url = "https://{s}.tile.example.org/{z}/{x}/{y}.png";
    CHECK(enlace::test::body(h.get("/config.json"))["tile_url"] == h.config.tile_url);
}

TEST_CASE("web: the page may load tiles only from the configured tile host") {
    WebRoot web;
    DemoHandler h;
    h.config.web_root = web.root.string();
    CHECK(h.get("/").header("Content-Security-Policy").find("img-src 'self' data:;") != std::string::npos);
    h.config.tile_url = "https://{s}.tile.example.org/{z}/{x}/{y}.png";
    CHECK(h.get("/").header("Content-Security-Policy").find("img-src 'self' data: https://*.tile.example.org;") !=
          std::string::npos);
}
