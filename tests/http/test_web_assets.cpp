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
    CHECK(enlace::test::body(h.get("/config.json"))["map_tiles_above"] == 5000);
    h.config.map_tiles_above = 200;
    CHECK(enlace::test::body(h.get("/config.json"))["map_tiles_above"] == 200);
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

TEST_CASE("web: the page hints the modules app.js imports, its dictionary and first API answers, versioned") {
    WebRoot web;
    write(web.root / "index.html",
          "<!doctype html><html><head><title>map</title><script src=\"/js/app.js\" type=\"module\"></script>"
          "</head><body></body></html>");
    write(web.root / "js/app.js", "import { x } from './find.js';\nimport { y } from '../outside.js';\nconst later = "
                                  "() => import('./later.js');");
    write(web.root / "js/find.js", "import { z } from './records.js';\nexport const x = 1;");
    write(web.root / "js/records.js", "export const z = 1;");
    write(web.root / "js/later.js", "export const w = 1;");
    write(web.root / "i18n/en.json", "{}");
    DemoHandler h;
    h.config.web_root = web.root.string();

    const auto page = h.get("/");
    REQUIRE(page.status == 200);
    const auto script = page.body.find("src=\"/v/");
    REQUIRE(script != std::string::npos);
    const auto tag = page.body.substr(script + 8, page.body.find('/', script + 8) - script - 8);
    REQUIRE(!tag.empty());
    const auto head_end = page.body.find("</head>");
    // app.js and what it imports, through find.js; not what it loads later, nor a path out of js/.
    for (const std::string module : {"app.js", "find.js", "records.js"}) {
        const auto hint = page.body.find("<link rel=\"modulepreload\" href=\"/v/" + tag + "/js/" + module + "\">");
        INFO(module);
        CHECK(hint != std::string::npos);
        CHECK(hint < head_end);
    }
    CHECK(page.body.find("later.js") == std::string::npos);
    CHECK(page.body.find("outside.js") == std::string::npos);
    // The dictionary of the first language the browser asks for that the page has, else Spanish.
    const auto dictionary = [&](const std::string& accept_language) {
        enlace::http::Request request;
        request.target = "/";
        request.accept_language = accept_language;
        const auto body = h.send(request).body;
        const auto at = body.find("/i18n/");
        return at == std::string::npos ? std::string() : body.substr(at + 6, body.find('"', at) - at - 6);
    };
    CHECK(dictionary("") == "es.json");
    CHECK(dictionary("en-US,en;q=0.9") == "en.json");
    CHECK(dictionary("de-DE, fr;q=0.8, en;q=0.9") == "en.json");
    CHECK(dictionary("pt-BR,de") == "es.json");
    CHECK(dictionary("EN") == "en.json");
    // Each answer hinted is one the page asks for, and one the server gives.
    for (const std::string answer : {"/config.json", "/api/v1/taxonomy", "/api/v1/countries", "/api/v1/places"}) {
        INFO(answer);
        CHECK(page.body.find("<link rel=\"preload\" as=\"fetch\" crossorigin href=\"" + answer + "\">") < head_end);
        CHECK(h.get(answer).status == 200);
    }
}
