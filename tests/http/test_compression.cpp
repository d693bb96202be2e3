// Content codings: Accept-Encoding negotiation, gzip on the fly for API answers, Brotli and gzip
// made ahead for the page's files, weak ETags for compressed bodies (304 still works), Vary, and
// the page's assets under a versioned URL cached for a year.
#include "compression.hpp"
#include "demo_handler.hpp"

#include <brotli/decode.h>
#include <catch2/catch.hpp>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <thread>

using enlace::http::detail::Encoding;
using enlace::http::detail::negotiate_encoding;
using enlace::test::DemoHandler;
using enlace::test::make_request;
using enlace::test::ScratchDir;
namespace fs = std::filesystem;

namespace {

std::string gunzip(const std::string& bytes) {
    z_stream stream{};
    REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
    std::string out;
    char buffer[16384];
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    int result = Z_OK;
    while (result == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        result = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    }
    inflateEnd(&stream);
    REQUIRE(result == Z_STREAM_END);
    return out;
}

std::string unbrotli(const std::string& bytes) {
    std::string out(bytes.size() * 40 + 1024, '\0');
    std::size_t size = out.size();
    REQUIRE(BrotliDecoderDecompress(bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()), &size,
                                    reinterpret_cast<std::uint8_t*>(out.data())) == BROTLI_DECODER_RESULT_SUCCESS);
    out.resize(size);
    return out;
}

enlace::http::Response get_encoded(DemoHandler& h, const std::string& target, const std::string& accept_encoding,
                                   const std::string& if_none_match = {}) {
    auto request = make_request("GET", target);
    request.accept_encoding = accept_encoding;
    request.if_none_match = if_none_match;
    return h.send(request);
}

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

/// A page whose files are big enough to be compressed, a small one, and an image.
struct WebRoot {
    ScratchDir dir;
    fs::path root = dir.path() / "web";
    std::string script;
    WebRoot() {
        for (int i = 0; i < 200; ++i)
            script += "export const value" + std::to_string(i) + " = " + std::to_string(i * 7) + ";\n";
        write(root / "index.html", "<!doctype html><link rel=\"stylesheet\" href=\"/css/app.css\">"
                                   "<script src=\"/js/app.js\" type=\"module\"></script>"
                                   "<a href=\"https://example.org/\">x</a>");
        write(root / "js/app.js", script);
        write(root / "css/app.css", "body{}");
        write(root / "logo.png", std::string(2048, '\x7f'));
        write(root / "node_modules/leaflet/dist/leaflet.js", script + "// leaflet\n");
    }
};

/// "/v/<tag>/js/app.js" in the page: the tag its assets are served under.
std::string tag_in(const std::string& page) {
    const auto at = page.find("src=\"/v/");
    REQUIRE(at != std::string::npos);
    const auto start = at + 8;
    return page.substr(start, page.find('/', start) - start);
}

bool varies_on(const enlace::http::Response& r, std::string_view token) {
    return r.header("Vary").find(token) != std::string::npos;
}

} // namespace

TEST_CASE("compression: Accept-Encoding picks the coding, Brotli first, q=0 refuses") {
    CHECK(negotiate_encoding("", true) == Encoding::identity);
    CHECK(negotiate_encoding("identity", true) == Encoding::identity);
    CHECK(negotiate_encoding("gzip", true) == Encoding::gzip);
    CHECK(negotiate_encoding("GZip", true) == Encoding::gzip);
    CHECK(negotiate_encoding("x-gzip", true) == Encoding::gzip);
    CHECK(negotiate_encoding("gzip, deflate, br", true) == Encoding::brotli);
    CHECK(negotiate_encoding("gzip, deflate, br", false) == Encoding::gzip);
    CHECK(negotiate_encoding("br", false) == Encoding::identity);
    CHECK(negotiate_encoding("br;q=0.5, gzip", true) == Encoding::gzip);
    CHECK(negotiate_encoding("br ; q=0.9 , gzip;q=0.8", true) == Encoding::brotli);
    CHECK(negotiate_encoding("br;q=0, gzip;q=0", true) == Encoding::identity);
    CHECK(negotiate_encoding("*", true) == Encoding::brotli);
    CHECK(negotiate_encoding("*;q=0", true) == Encoding::identity);
    CHECK(negotiate_encoding("gzip;q=0, *", true) == Encoding::brotli);
    CHECK(negotiate_encoding("gzip;q=0, *", false) == Encoding::identity);
    CHECK(negotiate_encoding("gzip;q=nonsense", true) == Encoding::identity);
    CHECK(negotiate_encoding("gzip;q=2", true) == Encoding::identity);
    CHECK(negotiate_encoding(",,;q=,gzip", true) == Encoding::gzip);
}

TEST_CASE("compression: API answers are gzipped for clients that ask, with a weak ETag and Vary") {
    DemoHandler h;
    const auto plain = get_encoded(h, "/api/v1/services?country=GT", "");
    REQUIRE(plain.status == 200);
    REQUIRE(plain.body.size() > 1000);
    CHECK(plain.header("Content-Encoding").empty());
    CHECK(varies_on(plain, "Accept-Encoding"));
    CHECK(varies_on(plain, "Authorization"));
    const auto strong = plain.header("ETag");
    CHECK(strong.front() == '"');

    const auto zipped = get_encoded(h, "/api/v1/services?country=GT", "gzip, deflate, br");
    REQUIRE(zipped.status == 200);
    CHECK(zipped.header("Content-Encoding") == "gzip"); // no Brotli on the fly: gzip is cheaper per answer
    CHECK(zipped.body.size() * 3 < plain.body.size());
    CHECK(gunzip(zipped.body) == plain.body);
    CHECK(zipped.header("ETag") == "W/" + strong);
    CHECK(varies_on(zipped, "Accept-Encoding"));
    CHECK(varies_on(zipped, "Authorization"));

    // The tag a browser holds for the compressed body revalidates it; so does the strong one.
    const auto again = get_encoded(h, "/api/v1/services?country=GT", "gzip", zipped.header("ETag"));
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.header("Content-Encoding").empty());
    CHECK(again.header("ETag") == zipped.header("ETag"));
    CHECK(get_encoded(h, "/api/v1/services?country=GT", "gzip", strong).status == 304);

    // A record's ETag is its version: compressed, still the version (If-Match reads W/"v1" too).
    const auto record = get_encoded(h, "/api/v1/services/1", "gzip");
    REQUIRE(record.status == 200);
    CHECK(record.header("ETag").rfind("W/\"v", 0) == 0);

    // A small answer is not worth a coding, but still varies on it.
    const auto small = get_encoded(h, "/api/v1/services/999999", "gzip");
    CHECK(small.status == 404);
    CHECK(small.header("Content-Encoding").empty());
}

TEST_CASE("compression: the page's files come precompressed in Brotli and gzip, images as they are") {
    WebRoot web;
    DemoHandler h;
    h.config.web_root = web.root.string();
    const auto br = get_encoded(h, "/js/app.js", "gzip, br");
    REQUIRE(br.status == 200);
    CHECK(br.header("Content-Encoding") == "br");
    CHECK(unbrotli(br.body) == web.script);
    CHECK(br.body.size() * 4 < web.script.size());
    CHECK(varies_on(br, "Accept-Encoding"));

    const auto gz = get_encoded(h, "/js/app.js", "gzip");
    CHECK(gz.header("Content-Encoding") == "gzip");
    CHECK(gunzip(gz.body) == web.script);
    CHECK(gz.header("ETag") == br.header("ETag")); // weak: the same content in another coding

    CHECK(unbrotli(get_encoded(h, "/vendor/leaflet/leaflet.js", "br").body) == web.script + "// leaflet\n");
    CHECK(get_encoded(h, "/js/app.js", "").body == web.script);

    const auto small = get_encoded(h, "/css/app.css", "gzip, br");
    CHECK(small.header("Content-Encoding").empty());
    CHECK(small.body == "body{}");
    const auto image = get_encoded(h, "/logo.png", "gzip, br");
    CHECK(image.header("Content-Encoding").empty());
    CHECK(image.body.size() == 2048);
    CHECK(!varies_on(image, "Accept-Encoding"));

    // A file changed on disk is read and compressed again.
    write(web.root / "js/app.js", web.script + "export const changed = true;\n");
    CHECK(unbrotli(get_encoded(h, "/js/app.js", "br").body) == web.script + "export const changed = true;\n");
}

TEST_CASE("compression: the page names its assets under a versioned URL, cached for a year") {
    WebRoot web;
    DemoHandler h;
    h.config.web_root = web.root.string();
    const auto page = get_encoded(h, "/", "");
    REQUIRE(page.status == 200);
    CHECK(page.header("Cache-Control") == "no-cache"); // revalidated every visit (304 when unchanged)
    const auto tag = tag_in(page.body);
    CHECK(tag.size() == 12);
    CHECK(page.body.find("href=\"/v/" + tag + "/css/app.css\"") != std::string::npos);
    CHECK(page.body.find("href=\"https://example.org/\"") != std::string::npos); // other hosts untouched
    CHECK(get_encoded(h, "/", "", page.header("ETag")).status == 304);

    const auto versioned = get_encoded(h, "/v/" + tag + "/js/app.js", "");
    REQUIRE(versioned.status == 200);
    CHECK(versioned.body == web.script);
    CHECK(versioned.header("Cache-Control") == "public, max-age=31536000, immutable");
    CHECK(get_encoded(h, "/v/" + tag + "/vendor/leaflet/leaflet.js", "").header("Cache-Control") ==
          "public, max-age=31536000, immutable");

    // Another tag (a page loaded before the files changed): today's file, never cached for a year.
    const auto old = get_encoded(h, "/v/000000000000/js/app.js", "");
    CHECK(old.status == 200);
    CHECK(old.header("Cache-Control") == "no-cache");
    CHECK(get_encoded(h, "/js/app.js", "").header("Cache-Control") == "public, max-age=60");
    for (const char* bad : {"/v/", "/v/x",
                            "/v/"
                            "x/../../secret.json",
                            "/v/x/node_modules/leaflet/dist/leaflet.js"})
        CHECK(get_encoded(h, bad, "").status == 404);

    // A changed file gives the page a new tag (the tag is looked at again after two seconds).
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    write(web.root / "js/app.js", web.script + "// new\n");
    fs::last_write_time(web.root / "js/app.js", fs::last_write_time(web.root / "js/app.js") + std::chrono::seconds(5));
    const auto next = tag_in(get_encoded(h, "/", "").body);
    CHECK(next != tag);
    CHECK(get_encoded(h, "/v/" + tag + "/js/app.js", "").header("Cache-Control") == "no-cache");
}
