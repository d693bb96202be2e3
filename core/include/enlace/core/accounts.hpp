#pragma once
// Registry users, their bearer tokens and the security log. A token is `enl_<id>_<secret>`: the
// id finds it, the secret (256 random bits) proves it; only the secret's SHA-256 is stored, and it
// is compared in constant time. Tokens expire (90 days by default, a year at most), can be
// revoked, and stop at once when their user is disabled.
#include "enlace/core/access.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace enlace::core {

struct User {
    std::int64_t id = 0;
    std::string name;
    Role role = Role::viewer;
    std::vector<std::string> countries;
    bool disabled = false;
    std::string created_at;
    /// Tokens that are neither revoked nor expired, and when the last of them was last used.
    int active_tokens = 0;
    std::string last_used_at;
};

/// A token as issued: the text is shown once and never stored.
struct IssuedToken {
    std::string token;
    std::string expires_at;
};

/// One line of the append-only security log.
struct SecurityEvent {
    std::int64_t id = 0;
    std::string at;
    std::string who; // the caller's signature, or "anyone"
    std::string
        action; // user-added, token-issued, tokens-revoked, user-disabled, sign-in, authentication-failed, refused
    std::string subject; // the user or record concerned
    std::string detail;  // never a token, a secret or an Authorization header
};

/// What the store keeps of a token.
struct StoredToken {
    std::int64_t id = 0, user_id = 0;
    std::string secret_hash; // SHA-256 of the secret, hex
    std::string created_at, expires_at, last_used_at;
    bool revoked = false;
};

/// Token lifetimes: the default and the longest allowed, in days.
inline constexpr int default_token_days = 90;
inline constexpr int max_token_days = 365;

} // namespace enlace::core
