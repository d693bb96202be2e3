#include "token_secret.hpp"

#include "enlace/core/errors.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>

namespace enlace::core::detail {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t secret_bytes = 32;
constexpr std::size_t secret_chars = 43; // 256 bits in base64url, unpadded

std::string base64url(const unsigned char* bytes, std::size_t n) {
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        bits = (bits << 8) | bytes[i];
        count += 8;
        while (count >= 6) {
            out += alphabet[(bits >> (count - 6)) & 63u];
            count -= 6;
        }
    }
    if (count > 0) out += alphabet[(bits << (6 - count)) & 63u];
    return out;
}

} // namespace

std::string new_secret() {
    std::array<unsigned char, secret_bytes> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw error("the system's random generator failed");
    return base64url(bytes.data(), bytes.size());
}

std::string sha256_hex(std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
        throw error("SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

bool same_digest(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<TokenParts> parse_token(std::string_view text) {
    if (text.size() > 64 || !text.starts_with("enl_")) return std::nullopt;
    text.remove_prefix(4);
    const auto sep = text.find('_');
    if (sep == std::string_view::npos || sep == 0 || sep > 18) return std::nullopt;
    TokenParts parts;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + sep, parts.id);
    if (ec != std::errc() || end != text.data() + sep || parts.id < 1) return std::nullopt;
    const auto secret = text.substr(sep + 1);
    if (secret.size() != secret_chars || secret.find_first_not_of(alphabet) != std::string_view::npos)
        return std::nullopt;
    parts.secret = std::string(secret);
    return parts;
}

std::string token_text(std::int64_t id, const std::string& secret) {
    return "enl_" + std::to_string(id) + "_" + secret;
}

} // namespace enlace::core::detail
