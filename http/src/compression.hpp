#pragma once
// Content codings for responses (RFC 9110 section 8.4): the choice from Accept-Encoding, and gzip
// (zlib) and Brotli encoders. Static files are compressed once, ahead (static_files.hpp); other
// responses with gzip as they are answered.
#include <string>
#include <string_view>

namespace enlace::http::detail {

enum class Encoding { identity, gzip, brotli };

/// The token of a coding in Content-Encoding ("gzip", "br"; empty for identity).
std::string_view encoding_token(Encoding encoding);

/// The coding to answer with, given Accept-Encoding: the acceptable one with the highest q value,
/// Brotli before gzip when they tie; identity when neither is acceptable (q=0, absent) or
/// `brotli_ready` is false and only Brotli is. A coding is never forced on a client that did not ask.
Encoding negotiate_encoding(std::string_view accept_encoding, bool brotli_ready);

/// True for media types that shrink when compressed (text, JSON, JavaScript, SVG, XML, CSV, vector
/// tiles); false for those that are compressed already (ZIP, PNG, GeoPackage's pages are left).
bool compressible(std::string_view content_type);

/// Bodies smaller than this are sent as they are: the coding's framing would eat the gain.
inline constexpr std::size_t min_compressed_size = 512;

/// `bytes` as a gzip member (RFC 1952), at zlib level 1 (fastest) to 9 (smallest).
std::string gzip_compress(std::string_view bytes, int level);

/// `bytes` as a Brotli stream (RFC 7932), at quality 0 to 11.
std::string brotli_compress(std::string_view bytes, int quality);

} // namespace enlace::http::detail
