#pragma once
// Bearer tokens as text, and the cryptography behind them (OpenSSL): `enl_<id>_<secret>`, where
// the secret is 256 bits from the system's CSPRNG, base64url without padding (43 characters).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace enlace::core::detail {

/// A new secret; throws error when the CSPRNG fails.
std::string new_secret();
/// The SHA-256 of the text, as 64 hex digits: what is stored of a secret.
std::string sha256_hex(std::string_view text);
/// Whether two digests are equal, in time that does not depend on where they differ.
bool same_digest(std::string_view a, std::string_view b);

struct TokenParts {
    std::int64_t id = 0;
    std::string secret;
};
/// The id and secret of a token's text, or nothing when it is not of the form (any length,
/// any bytes from outside are checked: this runs on every Authorization header).
std::optional<TokenParts> parse_token(std::string_view text);
std::string token_text(std::int64_t id, const std::string& secret);

} // namespace enlace::core::detail
