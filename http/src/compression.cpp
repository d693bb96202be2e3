#include "compression.hpp"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace enlace::http::detail {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

/// The q value of one Accept-Encoding item ("gzip;q=0.5"); 1 when absent, 0 when unreadable.
double item_quality(std::string_view params) {
    while (!params.empty()) {
        const auto semi = params.find(';');
        const auto param = trim(params.substr(0, semi));
        if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
            const std::string value(param.substr(2));
            char* end = nullptr;
            const double q = std::strtod(value.c_str(), &end);
            return end == value.c_str() + value.size() && q >= 0 && q <= 1 ? q : 0;
        }
        if (semi == std::string_view::npos) break;
        params.remove_prefix(semi + 1);
    }
    return 1;
}

} // namespace

std::string_view encoding_token(Encoding encoding) {
    switch (encoding) {
    case Encoding::gzip:
        return "gzip";
    case Encoding::brotli:
        return "br";
    case Encoding::identity:
        break;
    }
    return {};
}

Encoding negotiate_encoding(std::string_view accept_encoding, bool brotli_ready) {
    // An unlisted coding takes the q of "*" when there is one, else it is not acceptable.
    double gzip_q = -1, brotli_q = -1, any_q = -1;
    while (!accept_encoding.empty()) {
        const auto comma = accept_encoding.find(',');
        const auto item = trim(accept_encoding.substr(0, comma));
        const auto semi = item.find(';');
        const auto name = trim(item.substr(0, semi));
        const double q = semi == std::string_view::npos ? 1.0 : item_quality(item.substr(semi + 1));
        if (iequals(name, "gzip") || iequals(name, "x-gzip"))
            gzip_q = q;
        else if (iequals(name, "br"))
            brotli_q = q;
        else if (name == "*")
            any_q = q;
        if (comma == std::string_view::npos) break;
        accept_encoding.remove_prefix(comma + 1);
    }
    if (gzip_q < 0) gzip_q = any_q;
    if (brotli_q < 0) brotli_q = any_q;
    if (!brotli_ready) brotli_q = -1;
    if (brotli_q > 0 && brotli_q >= gzip_q) return Encoding::brotli;
    if (gzip_q > 0) return Encoding::gzip;
    return Encoding::identity;
}

bool compressible(std::string_view content_type) {
    const auto type = trim(content_type.substr(0, content_type.find(';')));
    if (type.starts_with("text/")) return true;
    for (std::string_view t : {"application/json", "application/javascript", "application/xml", "image/svg+xml",
                               "application/vnd.mapbox-vector-tile", "application/manifest+json"})
        if (iequals(type, t)) return true;
    // application/geo+json, problem+json, vnd.oai.openapi+json, schema+json, gml+xml, ...
    return type.starts_with("application/") && (type.ends_with("+json") || type.ends_with("+xml"));
}

std::string gzip_compress(std::string_view bytes, int level) {
    // zlib counts in uInt; bodies are held in memory and far below that.
    if (bytes.size() > std::numeric_limits<uInt>::max() / 2) throw std::length_error("gzip: body too large");
    z_stream stream{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("gzip: the encoder could not start");
    // deflateBound is enough for one deflate(Z_FINISH) over the whole input.
    std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = deflate(&stream, Z_FINISH);
    const auto size = stream.total_out;
    deflateEnd(&stream);
    if (result != Z_STREAM_END) throw std::runtime_error("gzip: the encoder failed");
    out.resize(size);
    return out;
}

std::string brotli_compress(std::string_view bytes, int quality) {
    std::size_t size = BrotliEncoderMaxCompressedSize(bytes.size());
    if (size == 0) size = bytes.size() + 1024; // 0 means "too large to bound": never for our bodies
    std::string out(size, '\0');
    if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, bytes.size(),
                               reinterpret_cast<const std::uint8_t*>(bytes.data()), &size,
                               reinterpret_cast<std::uint8_t*>(out.data())))
        throw std::runtime_error("brotli: the encoder failed");
    out.resize(size);
    return out;
}

} // namespace enlace::http::detail
